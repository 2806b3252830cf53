package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"supportlab/app/sqlite"
	"supportlab/app/supportlab"
)

// newJoinCode draws a join code from crypto/rand in package sqlite's
// alphabet and length, so that codes look and read the same on either
// store. 256 is a multiple of the alphabet's 32 symbols, so masking a byte
// picks every symbol with the same probability.
func newJoinCode() (string, error) {
	buf := make([]byte, sqlite.JoinCodeLength)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	for i, b := range buf {
		buf[i] = sqlite.JoinCodeAlphabet[int(b)%len(sqlite.JoinCodeAlphabet)]
	}
	return string(buf), nil
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
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO teams (name, code, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			name, code, trainerID, now).Scan(&t.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)`,
			t.ID, trainerID, supportlab.TeamRoleTrainer, joinedAt(now))
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// errNoTeam is what an operation on a team that does not exist gives.
var errNoTeam = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.team")

// teamColumns selects a team with its number of learner members.
const teamColumns = `t.id, t.name, t.code, t.created_at,
	(SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id AND m.role = 'member')`

// teamOrder sorts teams by name without regard to ASCII case, then id,
// as SQLite's COLLATE NOCASE does.
const teamOrder = ` ORDER BY lower(t.name), t.id`

// scanTeam reads one row of teamColumns, then the extra destinations.
func scanTeam(sc pgx.Row, extra ...any) (*supportlab.Team, error) {
	t := &supportlab.Team{}
	if err := sc.Scan(append([]any{&t.ID, &t.Name, &t.Code, &t.CreatedAt, &t.Members}, extra...)...); err != nil {
		return nil, err
	}
	t.CreatedAt = t.CreatedAt.UTC()
	return t, nil
}

// FindTeam implements supportlab.TeamService.
func (db *DB) FindTeam(ctx context.Context, id int64) (*supportlab.Team, error) {
	t, err := scanTeam(db.pool.QueryRow(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNoTeam
	}
	return t, err
}

// ListTeams implements supportlab.TeamService.
func (db *DB) ListTeams(ctx context.Context) ([]*supportlab.Team, error) {
	return db.listTeams(ctx, `SELECT `+teamColumns+`, '' FROM teams t`+teamOrder)
}

// ListUserTeams implements supportlab.TeamService.
func (db *DB) ListUserTeams(ctx context.Context, userID int64) ([]*supportlab.Team, error) {
	return db.listTeams(ctx, `SELECT `+teamColumns+`, tm.role
		FROM team_members tm JOIN teams t ON t.id = tm.team_id
		WHERE tm.user_id = $1`+teamOrder, userID)
}

// listTeams reads the teams query selects: teamColumns, then the role of
// the user they are listed for (empty when listed for nobody in particular).
func (db *DB) listTeams(ctx context.Context, query string, args ...any) ([]*supportlab.Team, error) {
	rows, err := db.pool.Query(ctx, query, args...)
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

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// TeamRole implements supportlab.TeamService.
func (db *DB) TeamRole(ctx context.Context, teamID, userID int64) (string, error) {
	return teamRole(ctx, db.pool, teamID, userID)
}

// teamRole is the user's role in the team, "" if none.
func teamRole(ctx context.Context, q querier, teamID, userID int64) (string, error) {
	var role string
	err := q.QueryRow(ctx, `SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2`, teamID, userID).Scan(&role)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return role, err
}

// TrainsMember implements supportlab.TeamService.
func (db *DB) TrainsMember(ctx context.Context, trainerID, memberID int64) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM team_members t
		JOIN team_members m ON m.team_id = t.team_id AND m.role = 'member' AND m.user_id = $1
		WHERE t.user_id = $2 AND t.role = 'trainer')`, memberID, trainerID).Scan(&ok)
	return ok, err
}

// JoinTeam implements supportlab.TeamService. The insert skips a user
// already in the team (ON CONFLICT), so that the same learner joining
// through two processes at once joins once.
func (db *DB) JoinTeam(ctx context.Context, userID int64, code string) (*supportlab.Team, bool, error) {
	code = sqlite.NormalizeJoinCode(code)
	if code == "" {
		return nil, false, supportlab.NewError(supportlab.EINVALID, "teams.error.code_required")
	}
	wrong := supportlab.NewError(supportlab.EINVALID, "teams.error.code_wrong")
	if len(code) > 64 {
		return nil, false, wrong
	}
	var t *supportlab.Team
	joined := false
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		t, err = scanTeam(tx.QueryRow(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.code = $1`, code))
		if errors.Is(err, pgx.ErrNoRows) {
			return wrong
		} else if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, t.ID, userID, supportlab.TeamRoleMember, joinedAt(db.Now()))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 { // already in the team
			t.MyRole, err = teamRole(ctx, tx, t.ID, userID)
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
		tag, err := db.pool.Exec(ctx, `UPDATE teams SET code = $1 WHERE id = $2`, code, teamID)
		if isUniqueViolation(err) && try < 5 {
			continue
		}
		if err := mustAffect(tag, err, errNoTeam); err != nil {
			return "", err
		}
		return code, nil
	}
}

// RemoveTeamMember implements supportlab.TeamService. Only learner members
// can be removed: a team always keeps the trainer who created it.
func (db *DB) RemoveTeamMember(ctx context.Context, teamID, userID int64) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM team_members WHERE team_id = $1 AND user_id = $2 AND role = 'member'`, teamID, userID)
	return mustAffect(tag, err, supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.member"))
}

var _ supportlab.TeamService = (*DB)(nil)
