package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"supportlab/app/supportlab"
)

// errNoAttempt is what a missing attempt, or one its reader may not see,
// looks like: the same "not found" either way.
var errNoAttempt = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.attempt")

// insertAttempt stores the attempt and its per-question marks in one
// statement (data-modifying CTEs run as one atomic statement), so that a
// submission costs one round trip and one commit.
const insertAttempt = `WITH a AS (
		INSERT INTO attempts (user_id, kind, uid, version, score, passed, at, detail, expected, chosen, right_count)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $13) RETURNING id
	), m AS (
		INSERT INTO attempt_marks (attempt_id, question_id, mark)
		SELECT a.id, t.q, t.m FROM a, unnest($11::text[], $12::smallint[]) AS t (q, m)
	)
	SELECT id FROM a`

// CreateAttempt implements supportlab.AttemptService. The attempt, its
// marks and its triage classes are committed before it returns (with
// PostgreSQL's default synchronous_commit, on disk): the result page tells
// the learner it was saved. It sets a.ID, and a.At when it is zero.
func (db *DB) CreateAttempt(ctx context.Context, a *supportlab.Attempt) error {
	if a.At.IsZero() {
		a.At = db.Now().UTC()
	}
	detail, err := a.Detail()
	if err != nil {
		return err
	}
	var expected, chosen *string // NULL for quizzes
	if a.Kind == supportlab.KindSandbox {
		e, c := a.Expected, supportlab.TriageClass(a.Answer.Action, a.Answer.Severity)
		expected, chosen = &e, &c
	}
	questions, marks := []string{}, []int16{}
	var right *int // the number of right answers, kept for item analysis; NULL for sandbox attempts
	if a.Kind == supportlab.KindQuiz {
		n := 0
		for _, qid := range a.Asked {
			var m int16
			if a.Right[qid] {
				m, n = 1, n+1
			}
			questions, marks = append(questions, qid), append(marks, m)
		}
		right = &n
	}
	var id int64
	err = db.pool.QueryRow(ctx, insertAttempt,
		a.UserID, a.Kind, a.UID, a.Version, a.Score, a.Passed, a.At.UnixMilli(), string(detail), expected, chosen,
		questions, marks, right).Scan(&id)
	if err != nil {
		return fmt.Errorf("postgres: insert attempt: %w", err)
	}
	a.ID = id
	return nil
}

// attemptColumns are the columns scanAttempt reads, in its order.
const attemptColumns = `id, user_id, kind, uid, version, score, passed, at, detail, COALESCE(expected, '')`

// scanAttempt reads one attempt selected with attemptColumns, its answers
// decoded from the detail column.
func scanAttempt(r pgx.Row) (*supportlab.Attempt, error) {
	var a supportlab.Attempt
	var at int64
	var detail string
	if err := r.Scan(&a.ID, &a.UserID, &a.Kind, &a.UID, &a.Version, &a.Score, &a.Passed, &at, &detail, &a.Expected); err != nil {
		return nil, err
	}
	a.At = time.UnixMilli(at).UTC()
	if err := a.SetDetail([]byte(detail)); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &a, nil
}

// ListAttempts implements supportlab.AttemptService: newest first (and, for
// attempts of the same millisecond, the last stored first).
func (db *DB) ListAttempts(ctx context.Context, userID int64) ([]*supportlab.Attempt, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE user_id = $1 ORDER BY at DESC, id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []*supportlab.Attempt{}
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// FindAttempt implements supportlab.AttemptService.
func (db *DB) FindAttempt(ctx context.Context, id int64) (*supportlab.Attempt, error) {
	a, err := scanAttempt(db.pool.QueryRow(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNoAttempt
	}
	return a, err
}

// BestScores implements supportlab.AttemptService, over every version of
// each item.
func (db *DB) BestScores(ctx context.Context, userID int64) (map[string]int, error) {
	rows, err := db.pool.Query(ctx, `SELECT kind, uid, MAX(score) FROM attempts WHERE user_id = $1 GROUP BY kind, uid`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	best := map[string]int{}
	for rows.Next() {
		var kind, uid string
		var score int
		if err := rows.Scan(&kind, &uid, &score); err != nil {
			return nil, err
		}
		best[supportlab.BestKey(kind, uid)] = score
	}
	return best, rows.Err()
}

var _ supportlab.AttemptService = (*DB)(nil)

// MarkUnitRead implements supportlab.ProgressService. Opening a unit again
// keeps the time of the first reading.
func (db *DB) MarkUnitRead(ctx context.Context, userID int64, module, unit string) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO unit_reads (user_id, module, unit, read_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, module, unit) DO NOTHING`, userID, module, unit, db.Now().UTC())
	return err
}

// UnitsRead implements supportlab.ProgressService.
func (db *DB) UnitsRead(ctx context.Context, userID int64) (map[string]map[string]bool, error) {
	rows, err := db.pool.Query(ctx, `SELECT module, unit FROM unit_reads WHERE user_id = $1`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	read := map[string]map[string]bool{}
	for rows.Next() {
		var module, unit string
		if err := rows.Scan(&module, &unit); err != nil {
			return nil, err
		}
		if read[module] == nil {
			read[module] = map[string]bool{}
		}
		read[module][unit] = true
	}
	return read, rows.Err()
}

var _ supportlab.ProgressService = (*DB)(nil)
