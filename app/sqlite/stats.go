package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"sync"
	"time"

	"supportlab/app/supportlab"
)

// The dashboard's statistics are aggregated by SQLite: every query starts
// from the team's learner members (team_members' primary key) and reaches
// their attempts through covering indexes (see 003_teams.sql), so the cost
// grows with the rows read from indexes, and Go only ever sees aggregates:
// one row per item, member of the page, day, question or triage pair.

// teamLearners is the FROM clause shared by the statistics: the team's
// learner members joined to the attempts they made since joining (SPEC: a
// team's scores count only those). It ends in a WHERE that callers may
// extend with AND. The unary + keeps the time from choosing the index:
// attempts_user_at would serve the range but not the score, and reading
// every attempt's row costs far more than skipping, in the covering index
// attempts_user_item_at, the few made before joining.
const teamLearners = `team_members tm JOIN attempts a ON a.user_id = tm.user_id
	WHERE tm.team_id = ? AND tm.role = 'member' AND +a.at >= ` + joinedMillis

// TeamScores implements supportlab.TeamService.
func (db *DB) TeamScores(ctx context.Context, teamID int64) ([]supportlab.ItemScore, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.name, u.email, a.kind, a.uid,
			MAX(a.score), COUNT(*), MAX(a.passed), MAX(a.at)
		FROM team_members tm
		JOIN users u ON u.id = tm.user_id
		JOIN attempts a ON a.user_id = tm.user_id
		WHERE tm.team_id = ? AND tm.role = 'member' AND +a.at >= `+joinedMillis+`
		GROUP BY tm.user_id, a.kind, a.uid
		ORDER BY u.name COLLATE NOCASE, u.id, a.kind, a.uid`, teamID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []supportlab.ItemScore{}
	for rows.Next() {
		var s supportlab.ItemScore
		var last int64
		if err := rows.Scan(&s.UserID, &s.Learner, &s.Email, &s.Kind, &s.UID, &s.Best, &s.Attempts, &s.Passed, &last); err != nil {
			return nil, err
		}
		s.Last = time.UnixMilli(last).UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// TeamStats implements supportlab.TeamService. Its queries are
// independent and each reads one part of the result, so they run at the
// same time on the pool of read connections: the dashboard waits for the
// slowest, not for their sum. Each sees the database as of its own start; an
// attempt stored meanwhile may show in one figure and not yet in another.
func (db *DB) TeamStats(ctx context.Context, teamID int64, q supportlab.StatsQuery) (*supportlab.TeamStats, error) {
	if q.Offset < 0 {
		q.Offset = 0
	}
	st := &supportlab.TeamStats{}
	steps := []func(context.Context, *sql.DB, int64, supportlab.StatsQuery, *supportlab.TeamStats) error{
		statsMemberCount, statsDays,
	}
	if !q.SummaryOnly {
		steps = append(steps, statsItems, statsMembers, statsQuestions, statsConfusion)
	}
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = step(ctx, db.read, teamID, q, st)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return st, nil
}

// Each step below fills its own fields of st and no other, which is what
// lets TeamStats run them concurrently.

func statsMemberCount(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	return rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = ? AND role = 'member'`, teamID).Scan(&st.MemberCount)
}

// statsItems finds the matrix's columns: each item with how many members
// tried and passed it and the mean of their best scores.
func statsItems(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := rdb.QueryContext(ctx, `SELECT kind, uid, COUNT(*), SUM(passed), AVG(best) FROM (
			SELECT a.kind, a.uid, MAX(a.score) AS best, MAX(a.passed) AS passed
			FROM `+teamLearners+`
			GROUP BY tm.user_id, a.kind, a.uid
		) GROUP BY kind, uid ORDER BY kind, uid`, teamID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var it supportlab.TeamItem
		if err := rows.Scan(&it.Kind, &it.UID, &it.Learners, &it.Passed, &it.MeanBest); err != nil {
			return err
		}
		st.Items = append(st.Items, it)
	}
	return rows.Err()
}

// statsMembers fills the requested page of members with their best score,
// attempt count and last attempt per item.
func statsMembers(ctx context.Context, rdb *sql.DB, teamID int64, q supportlab.StatsQuery, st *supportlab.TeamStats) error {
	if q.Limit <= 0 {
		return nil
	}
	rows, err := rdb.QueryContext(ctx, `WITH page AS MATERIALIZED (
			SELECT u.id, u.name, u.email, `+joinedMillis+` AS joined FROM team_members tm JOIN users u ON u.id = tm.user_id
			WHERE tm.team_id = ? AND tm.role = 'member'
			ORDER BY u.name COLLATE NOCASE, u.id LIMIT ? OFFSET ?)
		SELECT p.id, p.name, p.email, a.kind, a.uid, MAX(a.score), COUNT(a.id), MAX(a.passed), MAX(a.at)
		FROM page p LEFT JOIN attempts a ON a.user_id = p.id AND +a.at >= p.joined
		GROUP BY p.id, a.kind, a.uid
		ORDER BY p.name COLLATE NOCASE, p.id`, teamID, q.Limit, q.Offset)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id              int64
			name, email     string
			kind, uid       sql.NullString
			best, n, passed sql.NullInt64
			last            sql.NullInt64
		)
		if err := rows.Scan(&id, &name, &email, &kind, &uid, &best, &n, &passed, &last); err != nil {
			return err
		}
		if len(st.Members) == 0 || st.Members[len(st.Members)-1].UserID != id {
			st.Members = append(st.Members, supportlab.MemberScores{UserID: id, Name: name, Email: email, Scores: map[string]supportlab.ItemScore{}})
		}
		if !kind.Valid {
			continue // a member without attempts
		}
		m := &st.Members[len(st.Members)-1]
		m.Scores[supportlab.BestKey(kind.String, uid.String)] = supportlab.ItemScore{
			UserID: id, Learner: name, Email: email, Kind: kind.String, UID: uid.String,
			Best: int(best.Int64), Attempts: int(n.Int64), Passed: passed.Int64 > 0,
			Last: time.UnixMilli(last.Int64).UTC(),
		}
	}
	return rows.Err()
}

const dayMillis = 24 * 60 * 60 * 1000

// statsDays sums the team's scores per UTC day.
func statsDays(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := rdb.QueryContext(ctx, `SELECT a.at / `+strconv.FormatInt(dayMillis, 10)+` AS day, COUNT(*), SUM(a.score)
		FROM `+teamLearners+`
		GROUP BY day ORDER BY day`, teamID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d supportlab.DayScore
		var day int64
		if err := rows.Scan(&day, &d.Attempts, &d.SumScore); err != nil {
			return err
		}
		d.Day = time.UnixMilli(day * dayMillis).UTC()
		st.Attempts += d.Attempts
		st.Days = append(st.Days, d)
	}
	return rows.Err()
}

// statsQuestions computes, per quiz version and question, the sums behind
// facility and discrimination over first attempts. firsts keeps each
// member's earliest attempt at each quiz since joining: with MIN() as its
// only aggregate, SQLite takes the bare column a.id from the row holding
// the minimum. totals is each such attempt's version (read from the row,
// once per first attempt) and number of right answers; the rest of the
// attempt for a question is total - mark.
func statsQuestions(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := rdb.QueryContext(ctx, `WITH firsts AS (
			SELECT a.id, a.uid, MIN(a.at)
			FROM `+teamLearners+` AND a.kind = 'quiz'
			GROUP BY tm.user_id, a.kind, a.uid
		), totals AS (
			SELECT f.id, f.uid, v.version, SUM(m.mark) AS total
			FROM firsts f JOIN attempts v ON v.id = f.id JOIN attempt_marks m ON m.attempt_id = f.id
			GROUP BY f.id
		)
		SELECT t.uid, t.version, m.question_id, COUNT(*),
			SUM(m.mark), SUM(t.total - m.mark), SUM(m.mark * (t.total - m.mark)),
			SUM(m.mark * m.mark), SUM((t.total - m.mark) * (t.total - m.mark))
		FROM totals t JOIN attempt_marks m ON m.attempt_id = t.id
		GROUP BY t.uid, t.version, m.question_id
		ORDER BY t.uid, t.version, m.question_id`, teamID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var q supportlab.QuestionStat
		if err := rows.Scan(&q.QuizUID, &q.Version, &q.QuestionID, &q.N, &q.SumX, &q.SumY, &q.SumXY, &q.SumX2, &q.SumY2); err != nil {
			return err
		}
		st.Questions = append(st.Questions, q)
	}
	return rows.Err()
}

// statsConfusion counts the team's sandbox attempts by expected and chosen
// triage class.
func statsConfusion(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := rdb.QueryContext(ctx, `SELECT a.expected, a.chosen, COUNT(*)
		FROM `+teamLearners+` AND a.kind = 'sandbox'
			AND a.expected IS NOT NULL AND a.chosen IS NOT NULL
		GROUP BY a.expected, a.chosen`, teamID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var expected, chosen string
		var n int
		if err := rows.Scan(&expected, &chosen, &n); err != nil {
			return err
		}
		i, j := supportlab.TriageIndex(expected), supportlab.TriageIndex(chosen)
		if i >= 0 && j >= 0 {
			st.Confusion.Counts[i][j] += n
		}
	}
	return rows.Err()
}
