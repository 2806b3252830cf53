package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"supportlab/app/supportlab"
)

// The dashboard's statistics and the scores export read the aggregates
// that the triggers of 008_team_stats.sql keep up to date at every write
// (the stats_* tables): a team's figures cost what they show, not the
// number of attempts behind them.

// scoreParts is how many queries TeamScores reads a large team's items
// with at once, each on a read connection of its own: decoding 175,000
// rows is the export's cost, and it spreads over the machine's cores.
const scoreParts = 2

// TeamScores implements supportlab.TeamService. It lists the team's
// learners in order (10,000 rows at most, with their names), then the
// team's member items in primary-key order, in scoreParts runs of user ids
// read at once, and puts each learner's items after their name: nothing
// but the learners is sorted, and names travel once per learner, not once
// per row. Each learner's items come from one read, so each learner's rows
// are consistent; a learner who joins meanwhile is left out, as if they had
// joined just after.
func (db *DB) TeamScores(ctx context.Context, teamID int64) ([]supportlab.ItemScore, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.name, u.email
		FROM team_members tm JOIN users u ON u.id = tm.user_id
		WHERE tm.team_id = ? AND tm.role = 'member'
		ORDER BY u.name COLLATE NOCASE, u.id`, teamID)
	if err != nil {
		return nil, err
	}
	var learners []supportlab.ItemScore
	var ids []int64
	for rows.Next() {
		var l supportlab.ItemScore
		if err := rows.Scan(&l.UserID, &l.Learner, &l.Email); err != nil {
			rows.Close()
			return nil, err
		}
		learners = append(learners, l)
		ids = append(ids, l.UserID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(learners) == 0 {
		return []supportlab.ItemScore{}, nil
	}
	// Cut the id range at the learners' id quantiles, so that each part
	// reads about as many learners.
	slices.Sort(ids)
	parts := min(scoreParts, len(ids))
	bounds := make([]int64, parts+1)
	for i := range parts {
		bounds[i] = ids[i*len(ids)/parts]
	}
	bounds[parts] = ids[len(ids)-1] + 1
	found := make([]map[int64][]supportlab.ItemScore, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			found[i], errs[i] = db.memberItems(ctx, teamID, bounds[i], bounds[i+1])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	items := found[0]
	for _, more := range found[1:] {
		maps.Copy(items, more)
	}
	return supportlab.LearnerScores(learners, items), nil
}

// memberItems reads the items of the team's learners whose id is in
// [from, to), by learner.
func (db *DB) memberItems(ctx context.Context, teamID, from, to int64) (map[int64][]supportlab.ItemScore, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT user_id, kind, uid, best, attempts, passed, last_at
		FROM stats_member_items WHERE team_id = ? AND user_id >= ? AND user_id < ?
		ORDER BY user_id, kind, uid`, teamID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	items := map[int64][]supportlab.ItemScore{}
	for rows.Next() {
		var s supportlab.ItemScore
		var last int64
		if err := rows.Scan(&s.UserID, &s.Kind, &s.UID, &s.Best, &s.Attempts, &s.Passed, &last); err != nil {
			return nil, err
		}
		s.Last = time.UnixMilli(last).UTC()
		items[s.UserID] = append(items[s.UserID], s)
	}
	return items, rows.Err()
}

// TeamStats implements supportlab.TeamService: its steps below are
// independent reads, each filling its own fields of the result, which
// supportlab.GatherTeamStats runs at once on the pool.
func (db *DB) TeamStats(ctx context.Context, teamID int64, q supportlab.StatsQuery) (*supportlab.TeamStats, error) {
	if q.Offset < 0 {
		q.Offset = 0
	}
	step := func(f func(context.Context, *sql.DB, int64, supportlab.StatsQuery, *supportlab.TeamStats) error) supportlab.StatsStep {
		return func(st *supportlab.TeamStats) error { return f(ctx, db.read, teamID, q, st) }
	}
	return supportlab.GatherTeamStats(q,
		[]supportlab.StatsStep{step(statsMemberCount), step(statsDays)},
		[]supportlab.StatsStep{step(statsItems), step(statsMembers), step(statsQuestions), step(statsConfusion)})
}

// Each step below fills its own fields of st and no other, which is what
// lets TeamStats run them concurrently.

func statsMemberCount(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	return rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = ? AND role = 'member'`, teamID).Scan(&st.MemberCount)
}

// statsItems finds the matrix's columns: each item with how many members
// tried and passed it and the mean of their best scores.
func statsItems(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := rdb.QueryContext(ctx, `SELECT kind, uid, learners, passed, CAST(sum_best AS REAL) / learners
		FROM stats_team_items WHERE team_id = ? AND learners > 0 ORDER BY kind, uid`, teamID)
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
			SELECT u.id, u.name, u.email FROM team_members tm JOIN users u ON u.id = tm.user_id
			WHERE tm.team_id = ? AND tm.role = 'member'
			ORDER BY u.name COLLATE NOCASE, u.id LIMIT ? OFFSET ?)
		SELECT p.id, p.name, p.email, s.kind, s.uid, s.best, s.attempts, s.passed, s.last_at
		FROM page p LEFT JOIN stats_member_items s ON s.team_id = ? AND s.user_id = p.id
		ORDER BY p.name COLLATE NOCASE, p.id, s.kind, s.uid`, teamID, q.Limit, q.Offset, teamID)
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
		var item *supportlab.ItemScore // nil for a member without attempts
		if kind.Valid {
			item = &supportlab.ItemScore{Kind: kind.String, UID: uid.String,
				Best: int(best.Int64), Attempts: int(n.Int64), Passed: passed.Int64 > 0,
				Last: time.UnixMilli(last.Int64).UTC()}
		}
		st.AddMemberScore(id, name, email, item)
	}
	return rows.Err()
}

const dayMillis = 24 * 60 * 60 * 1000

// statsDays reads the team's scores summed per UTC day.
func statsDays(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := rdb.QueryContext(ctx, `SELECT day, attempts, sum_score FROM stats_team_days
		WHERE team_id = ? AND attempts > 0 ORDER BY day`, teamID)
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
		st.AddDay(d)
	}
	return rows.Err()
}

// statsQuestions reads, per quiz version and question, the sums behind
// facility and discrimination over first attempts.
func statsQuestions(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := rdb.QueryContext(ctx, `SELECT uid, version, question_id, n, sum_x, sum_y, sum_xy, sum_x2, sum_y2
		FROM stats_team_questions WHERE team_id = ? AND n > 0 ORDER BY uid, version, question_id`, teamID)
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

// statsConfusion reads the team's sandbox attempts counted by expected and
// chosen triage class.
func statsConfusion(ctx context.Context, rdb *sql.DB, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := rdb.QueryContext(ctx, `SELECT expected, chosen, n FROM stats_team_confusion WHERE team_id = ? AND n > 0`, teamID)
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
