-- Teams: a trainer's group of learners, joined with a code.
CREATE TABLE teams (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL,
	code       TEXT    NOT NULL UNIQUE,
	created_by INTEGER REFERENCES users (id),
	created_at TEXT    NOT NULL
);

CREATE TABLE team_members (
	team_id   INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	user_id   INTEGER NOT NULL REFERENCES users (id),
	role      TEXT    NOT NULL CHECK (role IN ('trainer', 'member')),
	joined_at TEXT    NOT NULL,
	PRIMARY KEY (team_id, role, user_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX team_members_user ON team_members (user_id, team_id);

-- Dashboard aggregates walk a team's members, then each member's attempts
-- through these covering indexes, in the order GROUP BY needs:
-- best/last/count per item, first attempts (ordered by at) and the daily
-- average all read (user_id, kind, uid, at, score, passed) without the table.
CREATE INDEX attempts_user_item_at ON attempts (user_id, kind, uid, at, score, passed);
-- The confusion matrix reads only sandbox attempts' triage.
CREATE INDEX attempts_user_triage ON attempts (user_id, expected, chosen) WHERE kind = 'sandbox';
-- Item analysis reads the marks of first attempts without the table.
CREATE INDEX attempt_marks_cover ON attempt_marks (attempt_id, question_id, mark);
