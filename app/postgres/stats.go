package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"supportlab/app/supportlab"
)

// The dashboard's statistics and the scores export read the aggregates
// that the triggers of 006_team_stats.sql keep up to date at every write
// (the stats_* tables): a team's figures cost what they show, not the
// number of attempts behind them. Names sort as SQLite's NOCASE does:
// lower() of a "C"-collated column, then the id.

// TeamScores implements supportlab.TeamService. It lists the team's
// learners in order (10,000 rows at most, with their names), then every
// member item of the team in primary-key order, and puts each learner's
// items after their name: nothing but the learners is sorted, and names
// travel once per learner, not once per row.
func (db *DB) TeamScores(ctx context.Context, teamID int64) ([]supportlab.ItemScore, error) {
	var out []supportlab.ItemScore
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT u.id, u.name, u.email
			FROM team_members tm JOIN users u ON u.id = tm.user_id
			WHERE tm.team_id = $1 AND tm.role = 'member' ORDER BY lower(u.name), u.id`, teamID)
		if err != nil {
			return err
		}
		learners, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (supportlab.ItemScore, error) {
			var l supportlab.ItemScore
			err := row.Scan(&l.UserID, &l.Learner, &l.Email)
			return l, err
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT user_id, kind, uid, best, attempts, passed, last_at
			FROM stats_member_items WHERE team_id = $1 ORDER BY user_id, kind, uid`, teamID)
		if err != nil {
			return err
		}
		defer rows.Close()
		items := map[int64][]supportlab.ItemScore{}
		for rows.Next() {
			var s supportlab.ItemScore
			var passed int
			var last int64
			if err := rows.Scan(&s.UserID, &s.Kind, &s.UID, &s.Best, &s.Attempts, &passed, &last); err != nil {
				return err
			}
			s.Passed, s.Last = passed > 0, time.UnixMilli(last).UTC()
			items[s.UserID] = append(items[s.UserID], s)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		out = supportlab.LearnerScores(learners, items)
		return nil
	})
	return out, err
}

// TeamStats implements supportlab.TeamService: its steps below are
// independent reads, each filling its own fields of the result, which
// supportlab.GatherTeamStats runs at once on the pool.
func (db *DB) TeamStats(ctx context.Context, teamID int64, q supportlab.StatsQuery) (*supportlab.TeamStats, error) {
	if q.Offset < 0 {
		q.Offset = 0
	}
	step := func(f func(context.Context, *pgxpool.Pool, int64, supportlab.StatsQuery, *supportlab.TeamStats) error) supportlab.StatsStep {
		return func(st *supportlab.TeamStats) error { return f(ctx, db.pool, teamID, q, st) }
	}
	return supportlab.GatherTeamStats(q,
		[]supportlab.StatsStep{step(statsMemberCount), step(statsDays)},
		[]supportlab.StatsStep{step(statsItems), step(statsMembers), step(statsQuestions), step(statsConfusion)})
}

func statsMemberCount(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	return p.QueryRow(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = $1 AND role = 'member'`, teamID).Scan(&st.MemberCount)
}

// statsItems finds the matrix's columns: each item with how many members
// tried and passed it and the mean of their best scores.
func statsItems(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := p.Query(ctx, `SELECT kind, uid, learners, passed, sum_best::float8 / learners
		FROM stats_team_items WHERE team_id = $1 AND learners > 0 ORDER BY kind, uid`, teamID)
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
			SELECT u.id, u.name, u.email FROM team_members tm JOIN users u ON u.id = tm.user_id
			WHERE tm.team_id = $1 AND tm.role = 'member'
			ORDER BY lower(u.name), u.id LIMIT $2 OFFSET $3)
		SELECT p.id, p.name, p.email, s.kind, s.uid, s.best, s.attempts, s.passed, s.last_at
		FROM page p LEFT JOIN stats_member_items s ON s.team_id = $1 AND s.user_id = p.id
		ORDER BY lower(p.name), p.id, s.kind, s.uid`, teamID, q.Limit, q.Offset)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id                    int64
			name, email           string
			kind, uid             *string
			best, n, passed, last *int64
		)
		if err := rows.Scan(&id, &name, &email, &kind, &uid, &best, &n, &passed, &last); err != nil {
			return err
		}
		var item *supportlab.ItemScore // nil for a member without attempts
		if kind != nil {
			item = &supportlab.ItemScore{Kind: *kind, UID: *uid,
				Best: int(*best), Attempts: int(*n), Passed: *passed > 0,
				Last: time.UnixMilli(*last).UTC()}
		}
		st.AddMemberScore(id, name, email, item)
	}
	return rows.Err()
}

const dayMillis = 24 * 60 * 60 * 1000

// statsDays reads the team's scores summed per UTC day.
func statsDays(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := p.Query(ctx, `SELECT day, SUM(attempts), SUM(sum_score) FROM stats_team_days
		WHERE team_id = $1 GROUP BY day HAVING SUM(attempts) > 0 ORDER BY day`, teamID)
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
func statsQuestions(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := p.Query(ctx, `SELECT uid, version, question_id, n,
			sum_x::float8, sum_y::float8, sum_xy::float8, sum_x2::float8, sum_y2::float8
		FROM stats_team_questions WHERE team_id = $1 AND n > 0 ORDER BY uid, version, question_id`, teamID)
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
func statsConfusion(ctx context.Context, p *pgxpool.Pool, teamID int64, _ supportlab.StatsQuery, st *supportlab.TeamStats) error {
	rows, err := p.Query(ctx, `SELECT expected, chosen, n FROM stats_team_confusion WHERE team_id = $1 AND n > 0`, teamID)
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
