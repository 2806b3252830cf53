-- Files trainers imported in the browser. The newest row per (kind, uid)
-- is loaded at start-up over the files shipped with the app; older rows
-- stay so that every version an attempt answered can be read back.
CREATE TABLE authored_items (
	id         INTEGER PRIMARY KEY,
	kind       TEXT    NOT NULL CHECK (kind IN ('quiz', 'sandbox')),
	uid        TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	format     TEXT    NOT NULL,
	filename   TEXT    NOT NULL,
	title      TEXT    NOT NULL DEFAULT '',
	lang       TEXT    NOT NULL DEFAULT '',
	source     BLOB    NOT NULL,
	author_id  INTEGER REFERENCES users (id),
	created_at TEXT    NOT NULL
);
CREATE INDEX authored_items_uid ON authored_items (kind, uid, id);
