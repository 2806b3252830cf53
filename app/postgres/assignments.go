package postgres

import (
	"context"
	"time"

	"supportlab/app/supportlab"
)

var _ supportlab.AssignmentService = (*DB)(nil)

// errNoAssignment is what deleting an assignment the team does not have gives.
var errNoAssignment = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.assignment")

// joinedMillis is the SQL expression of team_members.joined_at as Unix
// milliseconds, the unit of attempts.at (SPEC: a team's scores count only
// attempts made after the learner joined it). Joining times are stored
// truncated to the millisecond (see joinedAt), so the double precision of
// date_part rounds back to the exact millisecond.
const joinedMillis = `round(date_part('epoch', tm.joined_at) * 1000)::bigint`

// joinedAt is the joining time stored for now: to the millisecond, the
// precision of attempts.at, so that an attempt made in the same
// millisecond as the joining counts, as in package sqlite.
func joinedAt(now time.Time) time.Time { return now.UTC().Truncate(time.Millisecond) }

// nullableDue is the due column's value: NULL for no due date.
func nullableDue(due string) *string {
	if due == "" {
		return nil
	}
	return &due
}

// SaveAssignment implements supportlab.AssignmentService: one statement
// that inserts the assignment or, for an item the team already has, only
// changes its due date, and reads back what is stored.
func (db *DB) SaveAssignment(ctx context.Context, a *supportlab.Assignment) error {
	var by *int64
	if a.CreatedBy != 0 {
		by = &a.CreatedBy
	}
	var created int64
	var createdBy *int64
	err := db.pool.QueryRow(ctx, `INSERT INTO assignments (team_id, kind, uid, due, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (team_id, kind, uid) DO UPDATE SET due = excluded.due
		RETURNING id, created_at, created_by`,
		a.TeamID, a.Kind, a.UID, nullableDue(a.Due), by, db.Now().UTC().UnixMilli()).Scan(&a.ID, &created, &createdBy)
	if err != nil {
		return err
	}
	a.CreatedAt, a.CreatedBy = time.UnixMilli(created).UTC(), 0
	if createdBy != nil {
		a.CreatedBy = *createdBy
	}
	return nil
}

// DeleteAssignment implements supportlab.AssignmentService.
func (db *DB) DeleteAssignment(ctx context.Context, teamID, id int64) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM assignments WHERE team_id = $1 AND id = $2`, teamID, id)
	return mustAffect(tag, err, errNoAssignment)
}

// assignmentColumns are what scanAssignment reads, then the extra columns.
const assignmentColumns = `s.id, s.team_id, s.kind, s.uid, COALESCE(s.due, ''), s.created_at, COALESCE(s.created_by, 0)`

func scanAssignment(sc interface{ Scan(...any) error }, extra ...any) (*supportlab.Assignment, error) {
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
	rows, err := db.pool.Query(ctx, `SELECT `+assignmentColumns+` FROM assignments s WHERE s.team_id = $1 ORDER BY s.created_at, s.id`, teamID)
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
	rows, err := db.pool.Query(ctx, `SELECT `+assignmentColumns+`, t.name, tm.joined_at
		FROM team_members tm
		JOIN teams t ON t.id = tm.team_id
		JOIN assignments s ON s.team_id = tm.team_id
		WHERE tm.user_id = $1 AND tm.role = 'member'
		ORDER BY lower(t.name), t.id, s.created_at, s.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*supportlab.Assignment{}
	for rows.Next() {
		var joined time.Time
		var name string
		a, err := scanAssignment(rows, &name, &joined)
		if err != nil {
			return nil, err
		}
		a.TeamName, a.JoinedAt = name, joined.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// FirstPasses implements supportlab.AssignmentService. The users and the
// queries travel as arrays, so that one statement answers them all
// whatever their number; each member's first passed attempt per query is
// read through attempts_user_item_at, which holds (user_id, kind, uid, at,
// …, passed).
func (db *DB) FirstPasses(ctx context.Context, teamID int64, userIDs []int64, queries []supportlab.PassQuery) ([]supportlab.FirstPass, error) {
	out := []supportlab.FirstPass{}
	if len(userIDs) == 0 || len(queries) == 0 {
		return out, nil
	}
	kinds, uids, since := make([]string, len(queries)), make([]string, len(queries)), make([]int64, len(queries))
	for i, q := range queries {
		kinds[i], uids[i], since[i] = q.Kind, q.UID, q.Since.UnixMilli()
	}
	rows, err := db.pool.Query(ctx, `SELECT m.user_id, q.n - 1, f.first
		FROM (
			SELECT tm.user_id, `+joinedMillis+` AS joined FROM team_members tm
			WHERE tm.team_id = $1 AND tm.role = 'member' AND tm.user_id = ANY($2)
		) m
		CROSS JOIN unnest($3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY AS q (kind, uid, since, n)
		CROSS JOIN LATERAL (
			SELECT MIN(a.at) AS first FROM attempts a
			WHERE a.user_id = m.user_id AND a.kind = q.kind AND a.uid = q.uid AND a.passed
				AND a.at >= q.since AND a.at >= m.joined
		) f
		WHERE f.first IS NOT NULL
		ORDER BY m.user_id, q.n`, teamID, userIDs, kinds, uids, since)
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
