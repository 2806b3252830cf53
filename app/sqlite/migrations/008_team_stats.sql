-- A team's dashboard and exports at scale (10,000 learners, 500,000
-- attempts) cannot be aggregated from the attempts on every view: it took
-- a second. The stats_* tables keep the aggregates instead, up to date in
-- the transaction of every write that changes them (the triggers below):
--
--   stats_member_items  per team, learner member and item: best score,
--                       attempt count, passed, last attempt, first attempt
--                       (earliest time, then lowest id);
--   stats_team_items    per team and item: sums over stats_member_items;
--   stats_team_days     per team and UTC day: attempts and summed scores;
--   stats_team_confusion per team, expected and chosen triage class;
--   stats_team_questions per team, quiz version and question: the sums
--                       behind facility and discrimination over first
--                       attempts (x: the mark; y: the rest of the attempt).
--
-- Only learner members count, and only their attempts since joining (SPEC).
-- Memberships are only ever inserted or deleted, attempts only inserted,
-- so the triggers handle exactly those. Each table is derived: export
-- leaves stats_* out, and a copy rebuilds them.
--
-- Subtracting leaves rows at zero rather than deleting them: readers skip
-- them.

-- Each quiz attempt's number of right answers, which y needs when a mark
-- arrives (PostgreSQL has it since its 004).
ALTER TABLE attempts ADD COLUMN right_count INTEGER;
UPDATE attempts SET right_count = (SELECT COALESCE(SUM(m.mark), 0) FROM attempt_marks m WHERE m.attempt_id = attempts.id)
	WHERE kind = 'quiz';

CREATE TABLE stats_member_items (
	team_id  INTEGER NOT NULL,
	user_id  INTEGER NOT NULL,
	kind     TEXT    NOT NULL,
	uid      TEXT    NOT NULL,
	best     INTEGER NOT NULL,
	attempts INTEGER NOT NULL,
	passed   INTEGER NOT NULL,
	last_at  INTEGER NOT NULL,
	first_at INTEGER NOT NULL,
	first_id INTEGER NOT NULL,
	PRIMARY KEY (team_id, user_id, kind, uid)
) WITHOUT ROWID;
-- A mark finds the memberships whose first attempt it belongs to.
CREATE INDEX stats_member_items_first ON stats_member_items (first_id);

CREATE TABLE stats_team_items (
	team_id  INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	kind     TEXT    NOT NULL,
	uid      TEXT    NOT NULL,
	learners INTEGER NOT NULL,
	passed   INTEGER NOT NULL,
	sum_best INTEGER NOT NULL,
	PRIMARY KEY (team_id, kind, uid)
) WITHOUT ROWID;

CREATE TABLE stats_team_days (
	team_id   INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	day       INTEGER NOT NULL,
	attempts  INTEGER NOT NULL,
	sum_score INTEGER NOT NULL,
	PRIMARY KEY (team_id, day)
) WITHOUT ROWID;

CREATE TABLE stats_team_confusion (
	team_id  INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	expected TEXT    NOT NULL,
	chosen   TEXT    NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (team_id, expected, chosen)
) WITHOUT ROWID;

CREATE TABLE stats_team_questions (
	team_id     INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	uid         TEXT    NOT NULL,
	version     INTEGER NOT NULL,
	question_id TEXT    NOT NULL,
	n           INTEGER NOT NULL,
	sum_x       INTEGER NOT NULL,
	sum_y       INTEGER NOT NULL,
	sum_xy      INTEGER NOT NULL,
	sum_x2      INTEGER NOT NULL,
	sum_y2      INTEGER NOT NULL,
	PRIMARY KEY (team_id, uid, version, question_id)
) WITHOUT ROWID;

-- The aggregates of the data already there, set-based, before the
-- triggers exist.
INSERT INTO stats_member_items (team_id, user_id, kind, uid, best, attempts, passed, last_at, first_at, first_id)
SELECT tm.team_id, tm.user_id, a.kind, a.uid, MAX(a.score), COUNT(*), MAX(a.passed), MAX(a.at), MIN(a.at),
	(SELECT f.id FROM attempts f WHERE f.user_id = tm.user_id AND f.kind = a.kind AND f.uid = a.uid
		AND f.at >= ((julianday(tm.joined_at) - 2440587.5) * 86400000.0 - 0.5) ORDER BY f.at, f.id LIMIT 1)
FROM team_members tm JOIN attempts a ON a.user_id = tm.user_id
WHERE tm.role = 'member' AND a.at >= ((julianday(tm.joined_at) - 2440587.5) * 86400000.0 - 0.5)
GROUP BY tm.team_id, tm.user_id, a.kind, a.uid;

INSERT INTO stats_team_items (team_id, kind, uid, learners, passed, sum_best)
SELECT team_id, kind, uid, COUNT(*), SUM(passed), SUM(best) FROM stats_member_items GROUP BY team_id, kind, uid;

INSERT INTO stats_team_days (team_id, day, attempts, sum_score)
SELECT tm.team_id, a.at / 86400000, COUNT(*), SUM(a.score)
FROM team_members tm JOIN attempts a ON a.user_id = tm.user_id
WHERE tm.role = 'member' AND a.at >= ((julianday(tm.joined_at) - 2440587.5) * 86400000.0 - 0.5)
GROUP BY tm.team_id, a.at / 86400000;

INSERT INTO stats_team_confusion (team_id, expected, chosen, n)
SELECT tm.team_id, a.expected, a.chosen, COUNT(*)
FROM team_members tm JOIN attempts a ON a.user_id = tm.user_id
WHERE tm.role = 'member' AND a.at >= ((julianday(tm.joined_at) - 2440587.5) * 86400000.0 - 0.5)
	AND a.kind = 'sandbox' AND a.expected IS NOT NULL AND a.chosen IS NOT NULL
GROUP BY tm.team_id, a.expected, a.chosen;

INSERT INTO stats_team_questions (team_id, uid, version, question_id, n, sum_x, sum_y, sum_xy, sum_x2, sum_y2)
SELECT mi.team_id, a.uid, a.version, m.question_id, COUNT(*), SUM(m.mark), SUM(a.right_count - m.mark),
	SUM(m.mark * (a.right_count - m.mark)), SUM(m.mark * m.mark), SUM((a.right_count - m.mark) * (a.right_count - m.mark))
FROM stats_member_items mi JOIN attempts a ON a.id = mi.first_id JOIN attempt_marks m ON m.attempt_id = a.id
WHERE mi.kind = 'quiz'
GROUP BY mi.team_id, a.uid, a.version, m.question_id;

-- A new attempt: its learner's memberships (as a member, joined before
-- it) gain it. The day, triage and item sums move here; the item's team
-- sums move in the triggers of stats_member_items, the question sums when
-- the marks arrive (attempt_marks_stats).
CREATE TRIGGER attempts_stats AFTER INSERT ON attempts BEGIN
	INSERT INTO stats_member_items (team_id, user_id, kind, uid, best, attempts, passed, last_at, first_at, first_id)
	SELECT tm.team_id, NEW.user_id, NEW.kind, NEW.uid, NEW.score, 1, NEW.passed, NEW.at, NEW.at, NEW.id
	FROM team_members tm
	WHERE tm.user_id = NEW.user_id AND tm.role = 'member'
		AND NEW.at >= ((julianday(tm.joined_at) - 2440587.5) * 86400000.0 - 0.5)
	ON CONFLICT DO UPDATE SET
		best = max(best, excluded.best),
		attempts = attempts + 1,
		passed = max(passed, excluded.passed),
		last_at = max(last_at, excluded.last_at),
		first_id = CASE WHEN (excluded.first_at, excluded.first_id) < (first_at, first_id) THEN excluded.first_id ELSE first_id END,
		first_at = min(first_at, excluded.first_at);

	INSERT INTO stats_team_days (team_id, day, attempts, sum_score)
	SELECT tm.team_id, NEW.at / 86400000, 1, NEW.score
	FROM team_members tm
	WHERE tm.user_id = NEW.user_id AND tm.role = 'member'
		AND NEW.at >= ((julianday(tm.joined_at) - 2440587.5) * 86400000.0 - 0.5)
	ON CONFLICT DO UPDATE SET attempts = attempts + 1, sum_score = sum_score + excluded.sum_score;
END;

CREATE TRIGGER attempts_stats_confusion AFTER INSERT ON attempts
WHEN NEW.kind = 'sandbox' AND NEW.expected IS NOT NULL AND NEW.chosen IS NOT NULL BEGIN
	INSERT INTO stats_team_confusion (team_id, expected, chosen, n)
	SELECT tm.team_id, NEW.expected, NEW.chosen, 1
	FROM team_members tm
	WHERE tm.user_id = NEW.user_id AND tm.role = 'member'
		AND NEW.at >= ((julianday(tm.joined_at) - 2440587.5) * 86400000.0 - 0.5)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- A mark of an attempt that is some membership's first attempt.
CREATE TRIGGER attempt_marks_stats AFTER INSERT ON attempt_marks BEGIN
	INSERT INTO stats_team_questions (team_id, uid, version, question_id, n, sum_x, sum_y, sum_xy, sum_x2, sum_y2)
	SELECT mi.team_id, a.uid, a.version, NEW.question_id, 1, NEW.mark, a.right_count - NEW.mark,
		NEW.mark * (a.right_count - NEW.mark), NEW.mark * NEW.mark, (a.right_count - NEW.mark) * (a.right_count - NEW.mark)
	FROM stats_member_items mi JOIN attempts a ON a.id = NEW.attempt_id
	WHERE mi.first_id = NEW.attempt_id
	ON CONFLICT DO UPDATE SET n = n + 1, sum_x = sum_x + excluded.sum_x, sum_y = sum_y + excluded.sum_y,
		sum_xy = sum_xy + excluded.sum_xy, sum_x2 = sum_x2 + excluded.sum_x2, sum_y2 = sum_y2 + excluded.sum_y2;
END;

-- stats_team_questions gains (sign 1) or loses (sign -1) the marks of a
-- first attempt already stored: the three triggers of stats_member_items
-- below repeat this statement with their own attempt and sign, as SQLite
-- has no functions.
CREATE TRIGGER stats_member_items_insert AFTER INSERT ON stats_member_items BEGIN
	INSERT INTO stats_team_items (team_id, kind, uid, learners, passed, sum_best)
	VALUES (NEW.team_id, NEW.kind, NEW.uid, 1, NEW.passed, NEW.best)
	ON CONFLICT DO UPDATE SET learners = learners + 1, passed = passed + excluded.passed, sum_best = sum_best + excluded.sum_best;

	INSERT INTO stats_team_questions (team_id, uid, version, question_id, n, sum_x, sum_y, sum_xy, sum_x2, sum_y2)
	SELECT NEW.team_id, a.uid, a.version, m.question_id, 1, m.mark, a.right_count - m.mark,
		m.mark * (a.right_count - m.mark), m.mark * m.mark, (a.right_count - m.mark) * (a.right_count - m.mark)
	FROM attempts a JOIN attempt_marks m ON m.attempt_id = a.id
	WHERE a.id = NEW.first_id AND NEW.kind = 'quiz'
	ON CONFLICT DO UPDATE SET n = n + excluded.n, sum_x = sum_x + excluded.sum_x, sum_y = sum_y + excluded.sum_y,
		sum_xy = sum_xy + excluded.sum_xy, sum_x2 = sum_x2 + excluded.sum_x2, sum_y2 = sum_y2 + excluded.sum_y2;
END;

CREATE TRIGGER stats_member_items_update AFTER UPDATE ON stats_member_items
WHEN NEW.passed <> OLD.passed OR NEW.best <> OLD.best BEGIN
	UPDATE stats_team_items SET passed = passed + NEW.passed - OLD.passed, sum_best = sum_best + NEW.best - OLD.best
	WHERE team_id = NEW.team_id AND kind = NEW.kind AND uid = NEW.uid;
END;

-- An earlier attempt became the first (only when attempts are stored out
-- of time order, as a copy may): the old first's marks go out, the new
-- first's (if already stored) come in.
CREATE TRIGGER stats_member_items_first AFTER UPDATE OF first_id ON stats_member_items
WHEN NEW.first_id <> OLD.first_id AND NEW.kind = 'quiz' BEGIN
	INSERT INTO stats_team_questions (team_id, uid, version, question_id, n, sum_x, sum_y, sum_xy, sum_x2, sum_y2)
	SELECT NEW.team_id, a.uid, a.version, m.question_id, -1, -m.mark, -(a.right_count - m.mark),
		-m.mark * (a.right_count - m.mark), -m.mark * m.mark, -(a.right_count - m.mark) * (a.right_count - m.mark)
	FROM attempts a JOIN attempt_marks m ON m.attempt_id = a.id
	WHERE a.id = OLD.first_id
	ON CONFLICT DO UPDATE SET n = n + excluded.n, sum_x = sum_x + excluded.sum_x, sum_y = sum_y + excluded.sum_y,
		sum_xy = sum_xy + excluded.sum_xy, sum_x2 = sum_x2 + excluded.sum_x2, sum_y2 = sum_y2 + excluded.sum_y2;

	INSERT INTO stats_team_questions (team_id, uid, version, question_id, n, sum_x, sum_y, sum_xy, sum_x2, sum_y2)
	SELECT NEW.team_id, a.uid, a.version, m.question_id, 1, m.mark, a.right_count - m.mark,
		m.mark * (a.right_count - m.mark), m.mark * m.mark, (a.right_count - m.mark) * (a.right_count - m.mark)
	FROM attempts a JOIN attempt_marks m ON m.attempt_id = a.id
	WHERE a.id = NEW.first_id
	ON CONFLICT DO UPDATE SET n = n + excluded.n, sum_x = sum_x + excluded.sum_x, sum_y = sum_y + excluded.sum_y,
		sum_xy = sum_xy + excluded.sum_xy, sum_x2 = sum_x2 + excluded.sum_x2, sum_y2 = sum_y2 + excluded.sum_y2;
END;

CREATE TRIGGER stats_member_items_delete AFTER DELETE ON stats_member_items BEGIN
	UPDATE stats_team_items SET learners = learners - 1, passed = passed - OLD.passed, sum_best = sum_best - OLD.best
	WHERE team_id = OLD.team_id AND kind = OLD.kind AND uid = OLD.uid;

	INSERT INTO stats_team_questions (team_id, uid, version, question_id, n, sum_x, sum_y, sum_xy, sum_x2, sum_y2)
	SELECT OLD.team_id, a.uid, a.version, m.question_id, -1, -m.mark, -(a.right_count - m.mark),
		-m.mark * (a.right_count - m.mark), -m.mark * m.mark, -(a.right_count - m.mark) * (a.right_count - m.mark)
	FROM attempts a JOIN attempt_marks m ON m.attempt_id = a.id
	WHERE a.id = OLD.first_id AND OLD.kind = 'quiz'
	ON CONFLICT DO UPDATE SET n = n + excluded.n, sum_x = sum_x + excluded.sum_x, sum_y = sum_y + excluded.sum_y,
		sum_xy = sum_xy + excluded.sum_xy, sum_x2 = sum_x2 + excluded.sum_x2, sum_y2 = sum_y2 + excluded.sum_y2;
END;

-- A learner joins with attempts since the joining time already stored
-- (only a copy does that; joining through the app starts empty).
CREATE TRIGGER team_members_stats_insert AFTER INSERT ON team_members WHEN NEW.role = 'member' BEGIN
	INSERT INTO stats_member_items (team_id, user_id, kind, uid, best, attempts, passed, last_at, first_at, first_id)
	SELECT NEW.team_id, NEW.user_id, a.kind, a.uid, MAX(a.score), COUNT(*), MAX(a.passed), MAX(a.at), MIN(a.at),
		(SELECT f.id FROM attempts f WHERE f.user_id = NEW.user_id AND f.kind = a.kind AND f.uid = a.uid
			AND f.at >= ((julianday(NEW.joined_at) - 2440587.5) * 86400000.0 - 0.5) ORDER BY f.at, f.id LIMIT 1)
	FROM attempts a
	WHERE a.user_id = NEW.user_id AND a.at >= ((julianday(NEW.joined_at) - 2440587.5) * 86400000.0 - 0.5)
	GROUP BY a.kind, a.uid;

	INSERT INTO stats_team_days (team_id, day, attempts, sum_score)
	SELECT NEW.team_id, a.at / 86400000, COUNT(*), SUM(a.score) FROM attempts a
	WHERE a.user_id = NEW.user_id AND a.at >= ((julianday(NEW.joined_at) - 2440587.5) * 86400000.0 - 0.5)
	GROUP BY a.at / 86400000
	ON CONFLICT DO UPDATE SET attempts = attempts + excluded.attempts, sum_score = sum_score + excluded.sum_score;

	INSERT INTO stats_team_confusion (team_id, expected, chosen, n)
	SELECT NEW.team_id, a.expected, a.chosen, COUNT(*) FROM attempts a
	WHERE a.user_id = NEW.user_id AND a.at >= ((julianday(NEW.joined_at) - 2440587.5) * 86400000.0 - 0.5)
		AND a.kind = 'sandbox' AND a.expected IS NOT NULL AND a.chosen IS NOT NULL
	GROUP BY a.expected, a.chosen
	ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- A learner leaves (or is removed from) a team: their figures leave it.
CREATE TRIGGER team_members_stats_delete AFTER DELETE ON team_members WHEN OLD.role = 'member' BEGIN
	DELETE FROM stats_member_items WHERE team_id = OLD.team_id AND user_id = OLD.user_id;

	INSERT INTO stats_team_days (team_id, day, attempts, sum_score)
	SELECT OLD.team_id, a.at / 86400000, -COUNT(*), -SUM(a.score) FROM attempts a
	WHERE a.user_id = OLD.user_id AND a.at >= ((julianday(OLD.joined_at) - 2440587.5) * 86400000.0 - 0.5)
	GROUP BY a.at / 86400000
	ON CONFLICT DO UPDATE SET attempts = attempts + excluded.attempts, sum_score = sum_score + excluded.sum_score;

	INSERT INTO stats_team_confusion (team_id, expected, chosen, n)
	SELECT OLD.team_id, a.expected, a.chosen, -COUNT(*) FROM attempts a
	WHERE a.user_id = OLD.user_id AND a.at >= ((julianday(OLD.joined_at) - 2440587.5) * 86400000.0 - 0.5)
		AND a.kind = 'sandbox' AND a.expected IS NOT NULL AND a.chosen IS NOT NULL
	GROUP BY a.expected, a.chosen
	ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
