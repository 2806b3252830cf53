package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"supportlab/app/supportlab"
)

// attemptDetail is the JSON kept in attempts.detail: what the learner
// answered, enough to show the attempt again. Quiz attempts fill the first
// three fields, sandbox attempts the last two. The answer keeps the title
// and description the learner typed, which supportlab.SandboxAnswer leaves
// out of its own JSON (the API does not publish them).
type attemptDetail struct {
	Asked   []string         `json:"asked,omitempty"`
	Answers map[string][]int `json:"answers,omitempty"`
	Right   map[string]bool  `json:"right,omitempty"`

	Parts  *supportlab.SandboxParts `json:"parts,omitempty"`
	Answer *sandboxAnswerDetail     `json:"answer,omitempty"`
}

// sandboxAnswerDetail is supportlab.SandboxAnswer with every field in its
// JSON. It has the same fields, so that one converts to the other: a field
// added to SandboxAnswer without its twin here stops the build instead of
// being silently lost.
type sandboxAnswerDetail struct {
	Action      string `json:"action"`
	Product     string `json:"product"`
	Severity    string `json:"severity"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// CreateAttempt implements supportlab.AttemptService. The attempt, its
// per-question marks and its triage classes are written in one transaction
// that is committed (and, with synchronous=FULL, on disk) before it returns:
// the result page tells the learner it was saved. It sets a.ID, and a.At
// when it is zero.
func (db *DB) CreateAttempt(ctx context.Context, a *supportlab.Attempt) error {
	if a.At.IsZero() {
		a.At = db.Now().UTC()
	}
	var d attemptDetail
	var expected, chosen any // NULL for quizzes
	switch a.Kind {
	case supportlab.KindQuiz:
		d.Asked, d.Answers, d.Right = a.Asked, a.Answers, a.Right
		if d.Asked == nil {
			d.Asked = []string{}
		}
	case supportlab.KindSandbox:
		if a.Parts == nil || a.Answer == nil {
			return supportlab.NewError(supportlab.EINVALID, "error.attempt.sandbox_incomplete")
		}
		d.Parts = a.Parts
		d.Answer = (*sandboxAnswerDetail)(a.Answer)
		expected, chosen = a.Expected, supportlab.TriageClass(a.Answer.Action, a.Answer.Severity)
	default:
		return supportlab.NewError(supportlab.EINVALID, "error.attempt.kind", "Kind", a.Kind)
	}
	if a.Score < 0 || a.Score > 100 {
		return supportlab.NewError(supportlab.EINVALID, "error.attempt.score", "Score", a.Score)
	}
	detail, err := json.Marshal(d)
	if err != nil {
		return err
	}

	var id int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO attempts (user_id, kind, uid, version, score, passed, at, detail, expected, chosen)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.UserID, a.Kind, a.UID, a.Version, a.Score, a.Passed, a.At.UnixMilli(), string(detail), expected, chosen)
		if err != nil {
			return fmt.Errorf("sqlite: insert attempt: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if a.Kind != supportlab.KindQuiz {
			return nil
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO attempt_marks (attempt_id, question_id, mark) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, qid := range a.Asked {
			if _, err := stmt.ExecContext(ctx, id, qid, a.Right[qid]); err != nil {
				return fmt.Errorf("sqlite: insert mark: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.ID = id
	return nil
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
