-- Settings the server generates once and keeps, such as signing secrets.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Versions of quizzes and scenarios: a new row each time a file's graded
-- content changes, so old attempts keep the version they answered.
CREATE TABLE item_versions (
	kind       TEXT    NOT NULL CHECK (kind IN ('quiz', 'sandbox')),
	uid        TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	hash       TEXT    NOT NULL,
	body       TEXT    NOT NULL,
	created_at TEXT    NOT NULL,
	PRIMARY KEY (kind, uid, version),
	UNIQUE (kind, uid, hash)
);

-- Key/value storage behind Fiber's session, CSRF and limiter middleware.
-- expires_at is a Unix time in seconds, 0 for never.
CREATE TABLE kv (
	k          TEXT PRIMARY KEY,
	v          BLOB NOT NULL,
	expires_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX kv_expires_at ON kv (expires_at) WHERE expires_at > 0;
