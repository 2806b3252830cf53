package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"supportlab/app/supportlab"
)

// errNoAttempt is what a missing attempt, or one its reader may not see,
// looks like: the same "not found" either way.
var errNoAttempt = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.attempt")

// attemptColumns are the columns scanAttempt reads, in its order.
const attemptColumns = `id, user_id, kind, uid, version, score, passed, at, detail, COALESCE(expected, '')`

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// scanAttempt reads one attempt selected with attemptColumns, its answers
// decoded from the detail column.
func scanAttempt(r rowScanner) (*supportlab.Attempt, error) {
	var a supportlab.Attempt
	var at int64
	var detail string
	if err := r.Scan(&a.ID, &a.UserID, &a.Kind, &a.UID, &a.Version, &a.Score, &a.Passed, &at, &detail, &a.Expected); err != nil {
		return nil, err
	}
	a.At = time.UnixMilli(at).UTC()
	if err := a.SetDetail([]byte(detail)); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return &a, nil
}

// FindAttempt implements supportlab.AttemptService.
func (db *DB) FindAttempt(ctx context.Context, id int64) (*supportlab.Attempt, error) {
	a, err := scanAttempt(db.read.QueryRowContext(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoAttempt
	}
	return a, err
}

// TrainsMember implements supportlab.TeamService.
func (db *DB) TrainsMember(ctx context.Context, trainerID, memberID int64) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members t
		JOIN team_members m ON m.team_id = t.team_id AND m.role = 'member' AND m.user_id = ?
		WHERE t.user_id = ? AND t.role = 'trainer'`, memberID, trainerID).Scan(&n)
	return n > 0, err
}
