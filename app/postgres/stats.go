package postgres

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"supportlab/app/supportlab"
)

// The dashboard's statistics are aggregated by PostgreSQL with the queries
// of package sqlite translated: every query starts from the team's learner
// members and reaches their attempts through the covering index
// attempts_user_item_at, and Go only ever sees aggregates. Names sort as
// SQLite's NOCASE does: lower() of a "C"-collated column, then the id.

// teamLearners is the FROM clause shared by the statistics: the team's
// learner members joined to the attempts they made since joining (SPEC: a
// team's scores count only attempts made after the learner joined it). It
// ends in a WHERE that callers may extend with AND.
const teamLearners = `team_members tm JOIN attempts a ON a.user_id = tm.user_id
	WHERE tm.team_id = $1 AND tm.role = 'member' AND a.at >= ` + joinedMillis

// scoreSlices is how many queries TeamScores runs at once: a large team's
// rows are aggregated and decoded on several connections (and server
// cores) instead of one.
const scoreSlices = 4

// TeamScores implements supportlab.TeamService. It lists the team's
// learners in order first (10,000 rows at most, with their names), cuts
// that list into scoreSlices runs of consecutive learners and aggregates
// each run on a connection of its own, all at once; each learner's items
// come from the covering index in (kind, uid) order, so nothing but the
// learners is sorted, and names travel once per learner, not once per row.
// A learner who joins while it runs is left out, as if they had joined
// just after.
func (db *DB) TeamScores(ctx context.Context, teamID int64) ([]supportlab.ItemScore, error) {
	rows, err := db.pool.Query(ctx, `SELECT u.id, u.name, u.email, `+joinedMillis+`
		FROM team_members tm JOIN users u ON u.id = tm.user_id
		WHERE tm.team_id = $1 AND tm.role = 'member' ORDER BY lower(u.name), u.id`, teamID)
	if err != nil {
		return nil, err
	}
	learners, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (learner, error) {
		var l learner
		err := row.Scan(&l.UserID, &l.Learner, &l.Email, &l.joined)
		return l, err
	})
	if err != nil {
		return nil, err
	}
	runs := make([][]supportlab.ItemScore, min(scoreSlices, len(learners)))
	errs := make([]error, len(runs))
	var wg sync.WaitGroup
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i], errs[i] = db.teamScoresOf(ctx, learners[i*len(learners)/len(runs):(i+1)*len(learners)/len(runs)])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := []supportlab.ItemScore{}
	for _, run := range runs {
		out = append(out, run...)
	}
	return out, nil
}

// learner is a team member as TeamScores lists them: the fields of a
// score row that name the learner, and when they joined (Unix ms).
type learner struct {
	supportlab.ItemScore
	joined int64
}

// teamScoresOf returns the score rows of learners (in their order), each
// learner's items in (kind, uid) order, from the attempts each made since
// joining.
func (db *DB) teamScoresOf(ctx context.Context, learners []learner) ([]supportlab.ItemScore, error) {
	ids, joined := make([]int64, len(learners)), make([]int64, len(learners))
	for i, l := range learners {
		ids[i], joined[i] = l.UserID, l.joined
	}
	// WITH ORDINALITY keeps the learners' order without sorting names again.
	rows, err := db.pool.Query(ctx, `SELECT l.n, s.kind, s.uid, s.best, s.attempts, s.passed, s.last
		FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS l (id, joined, n)
		CROSS JOIN LATERAL (
			SELECT a.kind, a.uid, MAX(a.score) AS best, COUNT(*) AS attempts, bool_or(a.passed) AS passed, MAX(a.at) AS last
			FROM attempts a WHERE a.user_id = l.id AND a.at >= l.joined
			GROUP BY a.kind, a.uid
		) s
		ORDER BY l.n, s.kind, s.uid`, ids, joined)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []supportlab.ItemScore{}
	for rows.Next() {
		var n, last int64
		var s supportlab.ItemScore
		if err := rows.Scan(&n, &s.Kind, &s.UID, &s.Best, &s.Attempts, &s.Passed, &last); err != nil {
			return nil, err
		}
		l := learners[n-1]
		s.UserID, s.Learner, s.Email = l.UserID, l.Learner, l.Email
		s.Last = time.UnixMilli(last).UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// TeamStats implements supportlab.TeamService. Its queries are
// independent and each fills its own part of the result, so they run at
// the same time on the pool: the dashboard waits for the slowest, not for
// their sum.
func (db *DB) TeamStats(ctx context.Context, teamID int64, q supportlab.StatsQuery) (*supportlab.TeamStats, error) {
	if q.Offset < 0 {
		q.Offset = 0
	}
	st := &supportlab.TeamStats{}
	steps := []func(context.Context, *pgxpool.Pool, int64, supportlab.StatsQuery, *supportlab.TeamStats) error{
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
			errs[i] = step(ctx, db.pool, teamID, q, st)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return st, nil
}

func statsMemberCount(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	return p.QueryRow(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = $1 AND role = 'member'`, teamID).Scan(&st.MemberCount)
}

// statsItems finds the matrix's columns: each item with how many members
// tried and passed it and the mean of their best scores. Each member's
// best per item is aggregated from the covering index in (kind, uid)
// order, member by member, so that only those per-member rows (not every
// attempt) are grouped again by item.
func statsItems(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := p.Query(ctx, `SELECT s.kind, s.uid, COUNT(*), COUNT(*) FILTER (WHERE s.passed), AVG(s.best)::float8
		FROM (
			SELECT tm.user_id, `+joinedMillis+` AS joined FROM team_members tm
			WHERE tm.team_id = $1 AND tm.role = 'member'
		) tm
		CROSS JOIN LATERAL (
			SELECT a.kind, a.uid, MAX(a.score) AS best, bool_or(a.passed) AS passed
			FROM attempts a WHERE a.user_id = tm.user_id AND a.at >= tm.joined
			GROUP BY a.kind, a.uid
		) s
		GROUP BY s.kind, s.uid ORDER BY s.kind, s.uid`, teamID)
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
func statsMembers(ctx context.Context, p *pgxpool.Pool, teamID int64, q supportlab.StatsQuery, st *supportlab.TeamStats) error {
	if q.Limit <= 0 {
		return nil
	}
	rows, err := p.Query(ctx, `WITH page AS (
			SELECT u.id, u.name, u.email, `+joinedMillis+` AS joined FROM team_members tm JOIN users u ON u.id = tm.user_id
			WHERE tm.team_id = $1 AND tm.role = 'member'
			ORDER BY lower(u.name), u.id LIMIT $2 OFFSET $3)
		SELECT p.id, p.name, p.email, a.kind, a.uid, MAX(a.score), COUNT(a.id), bool_or(a.passed), MAX(a.at)
		FROM page p LEFT JOIN attempts a ON a.user_id = p.id AND a.at >= p.joined
		GROUP BY p.id, p.name, p.email, a.kind, a.uid
		ORDER BY lower(p.name), p.id`, teamID, q.Limit, q.Offset)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id          int64
			name, email string
			kind, uid   *string
			best, last  *int64
			n           int64
			passed      *bool
		)
		if err := rows.Scan(&id, &name, &email, &kind, &uid, &best, &n, &passed, &last); err != nil {
			return err
		}
		if len(st.Members) == 0 || st.Members[len(st.Members)-1].UserID != id {
			st.Members = append(st.Members, supportlab.MemberScores{UserID: id, Name: name, Email: email, Scores: map[string]supportlab.ItemScore{}})
		}
		if kind == nil {
			continue // a member without attempts
		}
		m := &st.Members[len(st.Members)-1]
		m.Scores[supportlab.BestKey(*kind, *uid)] = supportlab.ItemScore{
			UserID: id, Learner: name, Email: email, Kind: *kind, UID: *uid,
			Best: int(*best), Attempts: int(n), Passed: *passed,
			Last: time.UnixMilli(*last).UTC(),
		}
	}
	return rows.Err()
}

const dayMillis = 24 * 60 * 60 * 1000

// statsDays sums the team's scores per UTC day.
func statsDays(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := p.Query(ctx, `SELECT a.at / `+strconv.FormatInt(dayMillis, 10)+` AS day, COUNT(*), SUM(a.score)
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

// questionSlices is how many queries statsQuestions runs at once, each
// over a share of the members: the sums it computes add up across shares,
// and item analysis is the dashboard's heaviest part.
const questionSlices = 2

// statsQuestions computes, per quiz version and question, the sums behind
// facility and discrimination over first attempts, in questionSlices
// queries at once, each over the members whose id falls in its share,
// whose sums it then adds up.
func statsQuestions(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	parts := make([][]supportlab.QuestionStat, questionSlices)
	errs := make([]error, questionSlices)
	var wg sync.WaitGroup
	for i := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i], errs[i] = questionSums(ctx, p, teamID, questionSlices, i)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	type key struct {
		uid      string
		version  int
		question string
	}
	sums := map[key]*supportlab.QuestionStat{}
	for _, part := range parts {
		for _, q := range part {
			k := key{q.QuizUID, q.Version, q.QuestionID}
			if s := sums[k]; s != nil {
				s.N, s.SumX, s.SumY, s.SumXY, s.SumX2, s.SumY2 = s.N+q.N, s.SumX+q.SumX, s.SumY+q.SumY, s.SumXY+q.SumXY, s.SumX2+q.SumX2, s.SumY2+q.SumY2
				continue
			}
			sums[k] = &q
			st.Questions = append(st.Questions, q)
		}
	}
	for i := range st.Questions {
		q := &st.Questions[i]
		*q = *sums[key{q.QuizUID, q.Version, q.QuestionID}]
	}
	slices.SortFunc(st.Questions, func(a, b supportlab.QuestionStat) int {
		return cmp.Or(strings.Compare(a.QuizUID, b.QuizUID), cmp.Compare(a.Version, b.Version), strings.Compare(a.QuestionID, b.QuestionID))
	})
	return nil
}

// questionSums computes the item-analysis sums over the team's members
// whose id is share modulo shares. For each member, the lateral query
// reads their earliest attempt at each quiz since joining from
// attempts_user_item_at, in index order (earliest time, then lowest id),
// with the version it answered and its number of right answers (total),
// which the index carries; the marks of those attempts come from the
// marks' primary key, which carries them too. The rest of the attempt for
// a question is total - mark.
func questionSums(ctx context.Context, p *pgxpool.Pool, teamID int64, shares, share int) ([]supportlab.QuestionStat, error) {
	var out []supportlab.QuestionStat
	err := pgx.BeginTxFunc(ctx, p, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		// Every first attempt's marks are read once: caching lookups that
		// never repeat (Memoize, which the planner picks on a poor
		// estimate) made this query two to three times slower.
		if _, err := tx.Exec(ctx, `SET LOCAL enable_memoize = off`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT f.uid, f.version, m.question_id, COUNT(*),
				SUM(m.mark)::float8, SUM(f.total - m.mark)::float8, SUM(m.mark * (f.total - m.mark))::float8,
				SUM(m.mark * m.mark)::float8, SUM((f.total - m.mark) * (f.total - m.mark))::float8
			FROM (
				SELECT tm.user_id, `+joinedMillis+` AS joined FROM team_members tm
				WHERE tm.team_id = $1 AND tm.role = 'member' AND tm.user_id % $2 = $3
			) tm
			CROSS JOIN LATERAL (
				SELECT DISTINCT ON (a.kind, a.uid) a.id, a.uid, a.version, COALESCE(a.right_count, 0) AS total
				FROM attempts a
				WHERE a.user_id = tm.user_id AND a.kind = 'quiz' AND a.at >= tm.joined
				ORDER BY a.kind, a.uid, a.at, a.id
			) f
			JOIN attempt_marks m ON m.attempt_id = f.id
			GROUP BY f.uid, f.version, m.question_id`, teamID, int64(shares), int64(share))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var q supportlab.QuestionStat
			if err := rows.Scan(&q.QuizUID, &q.Version, &q.QuestionID, &q.N, &q.SumX, &q.SumY, &q.SumXY, &q.SumX2, &q.SumY2); err != nil {
				return err
			}
			out = append(out, q)
		}
		return rows.Err()
	})
	return out, err
}

// statsConfusion counts the team's sandbox attempts by expected and chosen
// triage class.
func statsConfusion(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := p.Query(ctx, `SELECT a.expected, a.chosen, COUNT(*)
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
