-- A team's dashboard and exports at scale (10,000 learners, 500,000
-- attempts) cannot be aggregated from the attempts on every view: it took
-- half a second. The stats_* tables keep the aggregates instead, up to date
-- in the transaction of every write that changes them (the triggers below;
-- SQLite's 008_team_stats.sql keeps the same tables the same way):
--
--   stats_member_items   per team, learner member and item: best score,
--                        attempt count, passed, last attempt, first attempt
--                        (earliest time, then lowest id);
--   stats_team_items     per team and item: sums over stats_member_items;
--   stats_team_days      per team and UTC day: attempts and summed scores;
--   stats_team_confusion per team, expected and chosen triage class;
--   stats_team_questions per team, quiz version and question: the sums
--                        behind facility and discrimination over first
--                        attempts (x: the mark; y: the rest of the attempt).
--
-- Only learner members count, and only their attempts since joining (SPEC).
-- Memberships are only ever inserted or deleted, attempts only inserted.
-- An attempt's marks are inserted by the same statement as the attempt
-- (attempts.go), and row triggers run at the end of the statement, so the
-- attempt's trigger already sees its marks. Each table is derived: Load
-- rebuilds them with stats_rebuild() after a copy.
--
-- Subtracting leaves rows at zero rather than deleting them: readers skip
-- them.
--
-- Unlike SQLite, where one connection writes, PostgreSQL runs submissions
-- side by side, and every submission of a team would update the team's
-- row of the day, holding its lock until it commits: 32 learners of one
-- team at once ran at half the speed. So stats_team_days has a shard
-- column, the learner's id modulo 16: learners submitting at once update
-- different rows, and the reader adds the shards up. (The other team
-- tables change only with a learner's first attempt or a better score.)

CREATE TABLE stats_member_items (
	team_id  BIGINT  NOT NULL,
	user_id  BIGINT  NOT NULL,
	kind     TEXT COLLATE "C" NOT NULL,
	uid      TEXT COLLATE "C" NOT NULL,
	best     INTEGER NOT NULL,
	attempts INTEGER NOT NULL,
	passed   INTEGER NOT NULL,
	last_at  BIGINT  NOT NULL,
	first_at BIGINT  NOT NULL,
	first_id BIGINT  NOT NULL,
	PRIMARY KEY (team_id, user_id, kind, uid)
);

CREATE TABLE stats_team_items (
	team_id  BIGINT  NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	kind     TEXT COLLATE "C" NOT NULL,
	uid      TEXT COLLATE "C" NOT NULL,
	learners INTEGER NOT NULL,
	passed   INTEGER NOT NULL,
	sum_best BIGINT  NOT NULL,
	PRIMARY KEY (team_id, kind, uid)
);

CREATE TABLE stats_team_days (
	team_id   BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	day       BIGINT NOT NULL,
	attempts  BIGINT NOT NULL,
	sum_score BIGINT NOT NULL,
	shard     SMALLINT NOT NULL,
	PRIMARY KEY (team_id, day, shard)
);

CREATE TABLE stats_team_confusion (
	team_id  BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	expected TEXT COLLATE "C" NOT NULL,
	chosen   TEXT COLLATE "C" NOT NULL,
	n        BIGINT NOT NULL,
	PRIMARY KEY (team_id, expected, chosen)
);

CREATE TABLE stats_team_questions (
	team_id     BIGINT  NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	uid         TEXT COLLATE "C" NOT NULL,
	version     INTEGER NOT NULL,
	question_id TEXT COLLATE "C" NOT NULL,
	n           BIGINT  NOT NULL,
	sum_x       BIGINT  NOT NULL,
	sum_y       BIGINT  NOT NULL,
	sum_xy      BIGINT  NOT NULL,
	sum_x2      BIGINT  NOT NULL,
	sum_y2      BIGINT  NOT NULL,
	PRIMARY KEY (team_id, uid, version, question_id)
);

-- stats_first_marks adds (sign 1) or takes away (sign -1) the marks of
-- first attempt attempt_id to team team_id's question sums.
CREATE FUNCTION stats_first_marks(team BIGINT, attempt_id BIGINT, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO stats_team_questions AS t (team_id, uid, version, question_id, n, sum_x, sum_y, sum_xy, sum_x2, sum_y2)
	SELECT team, a.uid, a.version, m.question_id, sign, sign * m.mark, sign * (a.right_count - m.mark),
		sign * m.mark * (a.right_count - m.mark), sign * m.mark * m.mark, sign * (a.right_count - m.mark) * (a.right_count - m.mark)
	FROM attempts a JOIN attempt_marks m ON m.attempt_id = a.id
	WHERE a.id = stats_first_marks.attempt_id AND a.kind = 'quiz'
	ON CONFLICT (team_id, uid, version, question_id) DO UPDATE SET
		n = t.n + EXCLUDED.n, sum_x = t.sum_x + EXCLUDED.sum_x, sum_y = t.sum_y + EXCLUDED.sum_y,
		sum_xy = t.sum_xy + EXCLUDED.sum_xy, sum_x2 = t.sum_x2 + EXCLUDED.sum_x2, sum_y2 = t.sum_y2 + EXCLUDED.sum_y2
$$;

-- A new attempt: its learner's memberships (as a member, joined before
-- it) gain it. The item's team sums and the question sums move in the
-- trigger of stats_member_items.
CREATE FUNCTION stats_attempt_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO stats_member_items AS t (team_id, user_id, kind, uid, best, attempts, passed, last_at, first_at, first_id)
	SELECT tm.team_id, NEW.user_id, NEW.kind, NEW.uid, NEW.score, 1, NEW.passed::integer, NEW.at, NEW.at, NEW.id
	FROM team_members tm
	WHERE tm.user_id = NEW.user_id AND tm.role = 'member' AND NEW.at >= round(date_part('epoch', tm.joined_at) * 1000)::bigint
	ON CONFLICT (team_id, user_id, kind, uid) DO UPDATE SET
		best = greatest(t.best, EXCLUDED.best),
		attempts = t.attempts + 1,
		passed = greatest(t.passed, EXCLUDED.passed),
		last_at = greatest(t.last_at, EXCLUDED.last_at),
		first_id = CASE WHEN (EXCLUDED.first_at, EXCLUDED.first_id) < (t.first_at, t.first_id) THEN EXCLUDED.first_id ELSE t.first_id END,
		first_at = least(t.first_at, EXCLUDED.first_at);

	INSERT INTO stats_team_days AS t (team_id, shard, day, attempts, sum_score)
	SELECT tm.team_id, NEW.user_id % 16, NEW.at / 86400000, 1, NEW.score
	FROM team_members tm
	WHERE tm.user_id = NEW.user_id AND tm.role = 'member' AND NEW.at >= round(date_part('epoch', tm.joined_at) * 1000)::bigint
	ON CONFLICT (team_id, day, shard) DO UPDATE SET attempts = t.attempts + 1, sum_score = t.sum_score + EXCLUDED.sum_score;

	IF NEW.kind = 'sandbox' AND NEW.expected IS NOT NULL AND NEW.chosen IS NOT NULL THEN
		INSERT INTO stats_team_confusion AS t (team_id, expected, chosen, n)
		SELECT tm.team_id, NEW.expected, NEW.chosen, 1
		FROM team_members tm
		WHERE tm.user_id = NEW.user_id AND tm.role = 'member' AND NEW.at >= round(date_part('epoch', tm.joined_at) * 1000)::bigint
		ON CONFLICT (team_id, expected, chosen) DO UPDATE SET n = t.n + 1;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER attempts_stats AFTER INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION stats_attempt_inserted();

-- A member's item changed: the team's item sums follow, and the question
-- sums when the first attempt is another (a new item, or an earlier
-- attempt stored after a later one, as a copy may).
CREATE FUNCTION stats_member_item_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO stats_team_items AS t (team_id, kind, uid, learners, passed, sum_best)
		VALUES (NEW.team_id, NEW.kind, NEW.uid, 1, NEW.passed, NEW.best)
		ON CONFLICT (team_id, kind, uid) DO UPDATE SET
			learners = t.learners + 1, passed = t.passed + EXCLUDED.passed, sum_best = t.sum_best + EXCLUDED.sum_best;
		PERFORM stats_first_marks(NEW.team_id, NEW.first_id, 1);
	ELSIF TG_OP = 'UPDATE' THEN
		IF NEW.passed <> OLD.passed OR NEW.best <> OLD.best THEN
			UPDATE stats_team_items SET passed = passed + NEW.passed - OLD.passed, sum_best = sum_best + NEW.best - OLD.best
			WHERE team_id = NEW.team_id AND kind = NEW.kind AND uid = NEW.uid;
		END IF;
		IF NEW.first_id <> OLD.first_id THEN
			PERFORM stats_first_marks(NEW.team_id, OLD.first_id, -1);
			PERFORM stats_first_marks(NEW.team_id, NEW.first_id, 1);
		END IF;
	ELSE
		UPDATE stats_team_items SET learners = learners - 1, passed = passed - OLD.passed, sum_best = sum_best - OLD.best
		WHERE team_id = OLD.team_id AND kind = OLD.kind AND uid = OLD.uid;
		PERFORM stats_first_marks(OLD.team_id, OLD.first_id, -1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER stats_member_items_changed AFTER INSERT OR DELETE ON stats_member_items
	FOR EACH ROW EXECUTE FUNCTION stats_member_item_changed();
-- Most attempts change neither the best score, nor passed, nor the first
-- attempt: the function is not even called for them.
CREATE TRIGGER stats_member_items_updated AFTER UPDATE ON stats_member_items
	FOR EACH ROW WHEN (NEW.best <> OLD.best OR NEW.passed <> OLD.passed OR NEW.first_id <> OLD.first_id)
	EXECUTE FUNCTION stats_member_item_changed();

-- A learner joins with attempts since the joining time already stored
-- (only a copy does that; joining through the app starts empty), or
-- leaves: their figures enter or leave the team.
CREATE FUNCTION stats_membership_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	m team_members;
	sign INTEGER;
	joined BIGINT;
BEGIN
	IF TG_OP = 'INSERT' THEN
		m := NEW; sign := 1;
	ELSE
		m := OLD; sign := -1;
	END IF;
	IF m.role <> 'member' THEN
		RETURN NULL;
	END IF;
	joined := round(date_part('epoch', m.joined_at) * 1000)::bigint;
	IF sign = 1 THEN
		INSERT INTO stats_member_items (team_id, user_id, kind, uid, best, attempts, passed, last_at, first_at, first_id)
		SELECT m.team_id, m.user_id, a.kind, a.uid, MAX(a.score), COUNT(*), MAX(a.passed::integer), MAX(a.at), MIN(a.at),
			(array_agg(a.id ORDER BY a.at, a.id))[1]
		FROM attempts a WHERE a.user_id = m.user_id AND a.at >= joined
		GROUP BY a.kind, a.uid;
	ELSE
		DELETE FROM stats_member_items WHERE team_id = m.team_id AND user_id = m.user_id;
	END IF;

	INSERT INTO stats_team_days AS t (team_id, shard, day, attempts, sum_score)
	SELECT m.team_id, m.user_id % 16, a.at / 86400000, sign * COUNT(*), sign * SUM(a.score)
	FROM attempts a WHERE a.user_id = m.user_id AND a.at >= joined
	GROUP BY a.at / 86400000
	ON CONFLICT (team_id, day, shard) DO UPDATE SET attempts = t.attempts + EXCLUDED.attempts, sum_score = t.sum_score + EXCLUDED.sum_score;

	INSERT INTO stats_team_confusion AS t (team_id, expected, chosen, n)
	SELECT m.team_id, a.expected, a.chosen, sign * COUNT(*)
	FROM attempts a WHERE a.user_id = m.user_id AND a.at >= joined
		AND a.kind = 'sandbox' AND a.expected IS NOT NULL AND a.chosen IS NOT NULL
	GROUP BY a.expected, a.chosen
	ON CONFLICT (team_id, expected, chosen) DO UPDATE SET n = t.n + EXCLUDED.n;
	RETURN NULL;
END $$;
CREATE TRIGGER team_members_stats AFTER INSERT OR DELETE ON team_members
	FOR EACH ROW EXECUTE FUNCTION stats_membership_changed();

-- stats_rebuild computes every stats_* table again from the data, set-based:
-- for this migration and after Load's copy (which runs with the triggers
-- off, as row by row they would cost minutes at scale). Its own inserts
-- into stats_member_items must not fire that table's triggers, which would
-- count them twice.
CREATE FUNCTION stats_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	ALTER TABLE stats_member_items DISABLE TRIGGER USER;
	TRUNCATE stats_member_items, stats_team_items, stats_team_days, stats_team_confusion, stats_team_questions;

	INSERT INTO stats_member_items (team_id, user_id, kind, uid, best, attempts, passed, last_at, first_at, first_id)
	SELECT tm.team_id, tm.user_id, a.kind, a.uid, MAX(a.score), COUNT(*), MAX(a.passed::integer), MAX(a.at), MIN(a.at),
		(array_agg(a.id ORDER BY a.at, a.id))[1]
	FROM team_members tm JOIN attempts a ON a.user_id = tm.user_id
	WHERE tm.role = 'member' AND a.at >= round(date_part('epoch', tm.joined_at) * 1000)::bigint
	GROUP BY tm.team_id, tm.user_id, a.kind, a.uid;

	INSERT INTO stats_team_items (team_id, kind, uid, learners, passed, sum_best)
	SELECT team_id, kind, uid, COUNT(*), SUM(passed), SUM(best) FROM stats_member_items GROUP BY team_id, kind, uid;

	INSERT INTO stats_team_days (team_id, shard, day, attempts, sum_score)
	SELECT tm.team_id, tm.user_id % 16, a.at / 86400000, COUNT(*), SUM(a.score)
	FROM team_members tm JOIN attempts a ON a.user_id = tm.user_id
	WHERE tm.role = 'member' AND a.at >= round(date_part('epoch', tm.joined_at) * 1000)::bigint
	GROUP BY tm.team_id, tm.user_id % 16, a.at / 86400000;

	INSERT INTO stats_team_confusion (team_id, expected, chosen, n)
	SELECT tm.team_id, a.expected, a.chosen, COUNT(*)
	FROM team_members tm JOIN attempts a ON a.user_id = tm.user_id
	WHERE tm.role = 'member' AND a.at >= round(date_part('epoch', tm.joined_at) * 1000)::bigint
		AND a.kind = 'sandbox' AND a.expected IS NOT NULL AND a.chosen IS NOT NULL
	GROUP BY tm.team_id, a.expected, a.chosen;

	INSERT INTO stats_team_questions (team_id, uid, version, question_id, n, sum_x, sum_y, sum_xy, sum_x2, sum_y2)
	SELECT mi.team_id, a.uid, a.version, m.question_id, COUNT(*), SUM(m.mark), SUM(a.right_count - m.mark),
		SUM(m.mark * (a.right_count - m.mark)), SUM(m.mark * m.mark), SUM((a.right_count - m.mark) * (a.right_count - m.mark))
	FROM stats_member_items mi JOIN attempts a ON a.id = mi.first_id JOIN attempt_marks m ON m.attempt_id = a.id
	WHERE mi.kind = 'quiz'
	GROUP BY mi.team_id, a.uid, a.version, m.question_id;
	ALTER TABLE stats_member_items ENABLE TRIGGER USER;
END $$;

SELECT stats_rebuild();
