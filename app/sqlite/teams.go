package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"supportlab/app/supportlab"
)

// JoinCodeAlphabet is the alphabet of join codes: upper-case letters and
// digits without the look-alikes 0/O and 1/I, so that a code read aloud or
// copied from a slide is typed right. 32 symbols: 5 bits each.
const JoinCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// JoinCodeLength gives codes 60 bits of randomness: far beyond guessing,
// still short enough to type.
const JoinCodeLength = 12

// newJoinCode draws a code from crypto/rand. 256 is a multiple of 32, so
// masking a byte picks every symbol with the same probability.
func newJoinCode() (string, error) {
	buf := make([]byte, JoinCodeLength)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	for i, b := range buf {
		buf[i] = JoinCodeAlphabet[b&31]
	}
	return string(buf), nil
}

// NormalizeJoinCode makes a typed code comparable with stored ones: it drops
// spaces and dashes and upper-cases the rest, so "abcd-efgh 2345" matches.
func NormalizeJoinCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		if r == ' ' || r == '-' || r == '\t' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// CreateTeam implements supportlab.TeamService.
func (db *DB) CreateTeam(ctx context.Context, name string, trainerID int64) (*supportlab.Team, error) {
	name = strings.TrimSpace(name)
	if p := supportlab.NameProblem(name, supportlab.MaxTeamNameLength); p != "" {
		return nil, supportlab.NewError(supportlab.EINVALID, "teams.error.name_"+p, "Max", supportlab.MaxTeamNameLength)
	}
	// A collision of 60 random bits is next to impossible; retrying keeps
	// the unique constraint from ever surfacing to a trainer.
	for try := 0; ; try++ {
		team, err := db.createTeam(ctx, name, trainerID)
		if isUniqueViolation(err) && try < 5 {
			continue
		}
		return team, err
	}
}

func (db *DB) createTeam(ctx context.Context, name string, trainerID int64) (*supportlab.Team, error) {
	code, err := newJoinCode()
	if err != nil {
		return nil, err
	}
	now := db.Now().UTC()
	t := &supportlab.Team{Name: name, Code: code, CreatedAt: now, MyRole: supportlab.TeamRoleTrainer}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO teams (name, code, created_by, created_at) VALUES (?, ?, ?, ?)`,
			name, code, trainerID, formatTime(now))
		if err != nil {
			return err
		}
		if t.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)`,
			t.ID, trainerID, supportlab.TeamRoleTrainer, formatJoined(now))
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// formatJoined writes a joining time to the millisecond, the precision of
// attempts.at, which the join-date rule compares it with: an attempt made
// in the same millisecond as the joining counts.
func formatJoined(t time.Time) string { return formatTime(t.Truncate(time.Millisecond)) }

// errNoTeam is what an operation on a team that does not exist gives.
var errNoTeam = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.team")

// teamColumns selects a team with its number of learner members.
const teamColumns = `t.id, t.name, t.code, t.created_at,
	(SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id AND m.role = 'member')`

// scanTeam reads one row of teamColumns, then the extra destinations.
func scanTeam(sc interface{ Scan(...any) error }, extra ...any) (*supportlab.Team, error) {
	t := &supportlab.Team{}
	var created string
	if err := sc.Scan(append([]any{&t.ID, &t.Name, &t.Code, &created, &t.Members}, extra...)...); err != nil {
		return nil, err
	}
	t.CreatedAt = parseTime(created)
	return t, nil
}

// FindTeam implements supportlab.TeamService.
func (db *DB) FindTeam(ctx context.Context, id int64) (*supportlab.Team, error) {
	t, err := scanTeam(db.read.QueryRowContext(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoTeam
	}
	return t, err
}

// ListTeams implements supportlab.TeamService.
func (db *DB) ListTeams(ctx context.Context) ([]*supportlab.Team, error) {
	return db.listTeams(ctx, `SELECT `+teamColumns+`, '' FROM teams t ORDER BY t.name COLLATE NOCASE, t.id`)
}

// ListUserTeams implements supportlab.TeamService.
func (db *DB) ListUserTeams(ctx context.Context, userID int64) ([]*supportlab.Team, error) {
	return db.listTeams(ctx, `SELECT `+teamColumns+`, tm.role
		FROM team_members tm JOIN teams t ON t.id = tm.team_id
		WHERE tm.user_id = ?
		ORDER BY t.name COLLATE NOCASE, t.id`, userID)
}

// listTeams reads the teams query selects: teamColumns, then the role of
// the user they are listed for (empty when listed for nobody in particular).
func (db *DB) listTeams(ctx context.Context, query string, args ...any) ([]*supportlab.Team, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*supportlab.Team
	for rows.Next() {
		var role string
		t, err := scanTeam(rows, &role)
		if err != nil {
			return nil, err
		}
		t.MyRole = role
		out = append(out, t)
	}
	return out, rows.Err()
}

// TeamRole implements supportlab.TeamService.
func (db *DB) TeamRole(ctx context.Context, teamID, userID int64) (string, error) {
	return teamRole(ctx, db.read, teamID, userID)
}

// teamRole is the user's role in the team, "" if none; JoinTeam asks it
// inside its transaction, TeamRole on the read pool.
func teamRole(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, teamID, userID int64) (string, error) {
	var role string
	err := q.QueryRowContext(ctx, `SELECT role FROM team_members WHERE team_id = ? AND user_id = ?`, teamID, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return role, err
}

// JoinTeam implements supportlab.TeamService.
func (db *DB) JoinTeam(ctx context.Context, userID int64, code string) (*supportlab.Team, bool, error) {
	code = NormalizeJoinCode(code)
	if code == "" {
		return nil, false, supportlab.NewError(supportlab.EINVALID, "teams.error.code_required")
	}
	wrong := supportlab.NewError(supportlab.EINVALID, "teams.error.code_wrong")
	if len(code) > 64 {
		return nil, false, wrong
	}
	var t *supportlab.Team
	joined := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		t, err = scanTeam(tx.QueryRowContext(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.code = ?`, code))
		if errors.Is(err, sql.ErrNoRows) {
			return wrong
		} else if err != nil {
			return err
		}
		if t.MyRole, err = teamRole(ctx, tx, t.ID, userID); err != nil || t.MyRole != "" {
			return err // already in the team
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)`,
			t.ID, userID, supportlab.TeamRoleMember, formatJoined(db.Now())); err != nil {
			return err
		}
		t.Members++
		t.MyRole, joined = supportlab.TeamRoleMember, true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return t, joined, nil
}

// RenewTeamCode implements supportlab.TeamService.
func (db *DB) RenewTeamCode(ctx context.Context, teamID int64) (string, error) {
	for try := 0; ; try++ {
		code, err := newJoinCode()
		if err != nil {
			return "", err
		}
		res, err := db.write.ExecContext(ctx, `UPDATE teams SET code = ? WHERE id = ?`, code, teamID)
		if isUniqueViolation(err) && try < 5 {
			continue
		} else if err != nil {
			return "", err
		}
		if err := mustAffect(res, errNoTeam); err != nil {
			return "", err
		}
		return code, nil
	}
}

// RemoveTeamMember implements supportlab.TeamService. Only learner members
// can be removed: a team always keeps the trainer who created it.
func (db *DB) RemoveTeamMember(ctx context.Context, teamID, userID int64) error {
	res, err := db.write.ExecContext(ctx, `DELETE FROM team_members WHERE team_id = ? AND user_id = ? AND role = 'member'`, teamID, userID)
	if err != nil {
		return err
	}
	return mustAffect(res, supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.member"))
}

var _ supportlab.TeamService = (*DB)(nil)
