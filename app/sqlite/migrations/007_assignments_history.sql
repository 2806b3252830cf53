-- Work trainers give a team: a quiz, a scenario or a module (uid is its
-- slug), at most once per team and item; assigning it again changes the
-- due date. due is YYYY-MM-DD or NULL; created_at is Unix milliseconds,
-- like attempts.at, since done means "passed at or after created_at".
CREATE TABLE assignments (
	id         INTEGER PRIMARY KEY,
	team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	kind       TEXT    NOT NULL CHECK (kind IN ('quiz', 'sandbox', 'module')),
	uid        TEXT    NOT NULL,
	due        TEXT,
	created_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL,
	UNIQUE (team_id, kind, uid)
);

-- Quizzes and scenarios a trainer retired: learners get 404 and no list
-- shows them; their versions and attempts stay.
CREATE TABLE retired_items (
	kind       TEXT    NOT NULL CHECK (kind IN ('quiz', 'sandbox')),
	uid        TEXT    NOT NULL,
	retired_by INTEGER REFERENCES users (id),
	retired_at TEXT    NOT NULL,
	PRIMARY KEY (kind, uid)
);

-- A version's history reads its imports by (kind, uid, version).
CREATE INDEX authored_items_version ON authored_items (kind, uid, version);
