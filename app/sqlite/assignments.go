package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"supportlab/app/supportlab"
)

var _ supportlab.AssignmentService = (*DB)(nil)

// errNoAssignment is what deleting an assignment the team does not have gives.
var errNoAssignment = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.assignment")

// joinedMillis is the SQL expression of team_members.joined_at (RFC 3339
// text, written to the millisecond) in the unit of attempts.at, Unix
// milliseconds, less half a millisecond: julianday is the cheapest of
// SQLite's date functions (the statistics evaluate it for every attempt
// they read) and a double, whose rounding error the half millisecond
// absorbs, so that an attempt made in the millisecond of the joining counts
// and one made a millisecond before does not.
const joinedMillis = `((julianday(tm.joined_at) - 2440587.5) * 86400000.0 - 0.5)`

// nullableDue is the due column's value: NULL for no due date.
func nullableDue(due string) any {
	if due == "" {
		return nil
	}
	return due
}

// SaveAssignment implements supportlab.AssignmentService: one statement
// that inserts the assignment or, for an item the team already has, only
// changes its due date, and reads back what is stored.
func (db *DB) SaveAssignment(ctx context.Context, a *supportlab.Assignment) error {
	now := db.Now().UTC().UnixMilli()
	var created int64
	var createdBy sql.NullInt64
	var by any
	if a.CreatedBy != 0 {
		by = a.CreatedBy
	}
	err := db.write.QueryRowContext(ctx, `INSERT INTO assignments (team_id, kind, uid, due, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, kind, uid) DO UPDATE SET due = excluded.due
		RETURNING id, created_at, created_by`,
		a.TeamID, a.Kind, a.UID, nullableDue(a.Due), by, now).Scan(&a.ID, &created, &createdBy)
	if err != nil {
		return err
	}
	a.CreatedAt, a.CreatedBy = time.UnixMilli(created).UTC(), createdBy.Int64
	return nil
}

// DeleteAssignment implements supportlab.AssignmentService.
func (db *DB) DeleteAssignment(ctx context.Context, teamID, id int64) error {
	res, err := db.write.ExecContext(ctx, `DELETE FROM assignments WHERE team_id = ? AND id = ?`, teamID, id)
	if err != nil {
		return err
	}
	return mustAffect(res, errNoAssignment)
}

// assignmentColumns are what scanAssignment reads, then the extra columns.
const assignmentColumns = `s.id, s.team_id, s.kind, s.uid, COALESCE(s.due, ''), s.created_at, COALESCE(s.created_by, 0)`

func scanAssignment(sc rowScanner, extra ...any) (*supportlab.Assignment, error) {
	a := &supportlab.Assignment{}
	var created int64
	if err := sc.Scan(append([]any{&a.ID, &a.TeamID, &a.Kind, &a.UID, &a.Due, &created, &a.CreatedBy}, extra...)...); err != nil {
		return nil, err
	}
	a.CreatedAt = time.UnixMilli(created).UTC()
	return a, nil
}

// TeamAssignments implements supportlab.AssignmentService.
func (db *DB) TeamAssignments(ctx context.Context, teamID int64) ([]*supportlab.Assignment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+assignmentColumns+` FROM assignments s WHERE s.team_id = ? ORDER BY s.created_at, s.id`, teamID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*supportlab.Assignment{}
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// MemberAssignments implements supportlab.AssignmentService.
func (db *DB) MemberAssignments(ctx context.Context, userID int64) ([]*supportlab.Assignment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+assignmentColumns+`, t.name, tm.joined_at
		FROM team_members tm
		JOIN teams t ON t.id = tm.team_id
		JOIN assignments s ON s.team_id = tm.team_id
		WHERE tm.user_id = ? AND tm.role = 'member'
		ORDER BY t.name COLLATE NOCASE, t.id, s.created_at, s.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*supportlab.Assignment{}
	for rows.Next() {
		var joined string
		var name string
		a, err := scanAssignment(rows, &name, &joined)
		if err != nil {
			return nil, err
		}
		a.TeamName, a.JoinedAt = name, parseTime(joined)
		out = append(out, a)
	}
	return out, rows.Err()
}

// passQuery is a supportlab.PassQuery as the SQL below reads it from JSON.
type passQuery struct {
	Kind  string `json:"k"`
	UID   string `json:"u"`
	Since int64  `json:"s"`
}

// FirstPasses implements supportlab.AssignmentService. The users and the
// queries travel as JSON arrays, so that one statement answers them all
// whatever their number; each member's attempts (a few dozen) are read
// through attempts_user_at.
func (db *DB) FirstPasses(ctx context.Context, teamID int64, userIDs []int64, queries []supportlab.PassQuery) ([]supportlab.FirstPass, error) {
	out := []supportlab.FirstPass{}
	if len(userIDs) == 0 || len(queries) == 0 {
		return out, nil
	}
	qs := make([]passQuery, len(queries))
	for i, q := range queries {
		qs[i] = passQuery{Kind: q.Kind, UID: q.UID, Since: q.Since.UnixMilli()}
	}
	users, err := json.Marshal(userIDs)
	if err != nil {
		return nil, err
	}
	queriesJSON, err := json.Marshal(qs)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `WITH
		q AS (SELECT key AS n, json_extract(value, '$.k') AS kind, json_extract(value, '$.u') AS uid, json_extract(value, '$.s') AS since FROM json_each(?)),
		m AS MATERIALIZED (SELECT tm.user_id, `+joinedMillis+` AS joined
			FROM team_members tm
			WHERE tm.team_id = ? AND tm.role = 'member' AND tm.user_id IN (SELECT value FROM json_each(?)))
		SELECT m.user_id, q.n, (SELECT MIN(a.at) FROM attempts a
			WHERE a.user_id = m.user_id AND a.kind = q.kind AND a.uid = q.uid AND a.passed = 1
				AND a.at >= q.since AND a.at >= m.joined) AS first
		FROM m, q
		WHERE first IS NOT NULL
		ORDER BY m.user_id, q.n`, string(queriesJSON), teamID, string(users))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p supportlab.FirstPass
		var at int64
		if err := rows.Scan(&p.UserID, &p.Query, &at); err != nil {
			return nil, err
		}
		p.At = time.UnixMilli(at).UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}
