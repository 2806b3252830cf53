CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
	name          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL,
	role          TEXT    NOT NULL CHECK (role IN ('learner', 'trainer', 'admin')),
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT    NOT NULL
);

-- One row per graded attempt; detail holds the answers as JSON.
-- at is Unix milliseconds so that ordering and time buckets are cheap.
CREATE TABLE attempts (
	id       INTEGER PRIMARY KEY,
	user_id  INTEGER NOT NULL REFERENCES users (id),
	kind     TEXT    NOT NULL CHECK (kind IN ('quiz', 'sandbox')),
	uid      TEXT    NOT NULL,
	version  INTEGER NOT NULL,
	score    INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
	passed   INTEGER NOT NULL,
	at       INTEGER NOT NULL,
	detail   TEXT    NOT NULL,
	expected TEXT,
	chosen   TEXT
);
CREATE INDEX attempts_user_at ON attempts (user_id, at);
CREATE INDEX attempts_user_item ON attempts (user_id, kind, uid, score);

-- Per-question marks of quiz attempts, for item analysis in SQL.
CREATE TABLE attempt_marks (
	attempt_id  INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
	question_id TEXT    NOT NULL,
	mark        INTEGER NOT NULL CHECK (mark IN (0, 1)),
	PRIMARY KEY (attempt_id, question_id)
);

CREATE TABLE unit_reads (
	user_id INTEGER NOT NULL REFERENCES users (id),
	module  TEXT    NOT NULL,
	unit    TEXT    NOT NULL,
	read_at TEXT    NOT NULL,
	PRIMARY KEY (user_id, module, unit)
);
