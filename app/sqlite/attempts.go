package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"supportlab/app/supportlab"
)

// CreateAttempt implements supportlab.AttemptService. The attempt, its
// per-question marks and its triage classes are written in a transaction
// that is committed (with synchronous=FULL, on disk) before it returns: the
// page that follows tells the learner it was saved. Attempts that arrive
// while another commit is under way share the next transaction (see
// batch.go), so that many learners submitting at once share the cost of
// each fsync. It sets a.ID, and a.At when it is zero.
func (db *DB) CreateAttempt(ctx context.Context, a *supportlab.Attempt) error {
	if a.At.IsZero() {
		a.At = db.Now().UTC()
	}
	row, err := newAttemptRow(a)
	if err != nil {
		return err
	}
	return db.attempts.write(ctx, row)
}

// attemptRow is an attempt checked and encoded, ready to insert.
type attemptRow struct {
	a                *supportlab.Attempt
	detail           string
	expected, chosen any // NULL for quizzes
	// right is a quiz attempt's number of right answers (NULL for a
	// sandbox attempt), which item analysis reads (008_team_stats.sql).
	right any
}

// newAttemptRow checks a and encodes its answers.
func newAttemptRow(a *supportlab.Attempt) (*attemptRow, error) {
	detail, err := a.Detail()
	if err != nil {
		return nil, err
	}
	row := &attemptRow{a: a, detail: string(detail)}
	if a.Kind == supportlab.KindSandbox {
		row.expected, row.chosen = a.Expected, supportlab.TriageClass(a.Answer.Action, a.Answer.Severity)
		return row, nil
	}
	if a.Kind != supportlab.KindQuiz {
		return row, nil
	}
	right := 0
	for _, qid := range a.Asked {
		if a.Right[qid] {
			right++
		}
	}
	row.right = right
	return row, nil
}

// insertAttemptSQL is the insert of an attempt, prepared once on the write
// connection: a batch of attempts runs it many times in one transaction.
// Its marks are in its detail (the attempt_marks view reads them there, see
// 010_marks_from_detail.sql).
const insertAttemptSQL = `INSERT INTO attempts (user_id, kind, uid, version, score, passed, at, detail, expected, chosen, right_count)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertAttemptTx inserts one attempt in tx and returns its id.
func (db *DB) insertAttemptTx(ctx context.Context, tx *sql.Tx, row *attemptRow) (int64, error) {
	a := row.a
	res, err := tx.StmtContext(ctx, db.stmtInsertAttempt).ExecContext(ctx,
		a.UserID, a.Kind, a.UID, a.Version, a.Score, a.Passed, a.At.UnixMilli(), row.detail, row.expected, row.chosen, row.right)
	if err != nil {
		return 0, fmt.Errorf("sqlite: insert attempt: %w", err)
	}
	return res.LastInsertId()
}

// ListAttempts implements supportlab.AttemptService: newest first (and, for
// attempts of the same millisecond, the last stored first).
func (db *DB) ListAttempts(ctx context.Context, userID int64) ([]*supportlab.Attempt, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE user_id = ? ORDER BY at DESC, id DESC`, userID)
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

// BestScores implements supportlab.AttemptService, over every version of
// each item.
func (db *DB) BestScores(ctx context.Context, userID int64) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT kind, uid, MAX(score) FROM attempts WHERE user_id = ? GROUP BY kind, uid`, userID)
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
