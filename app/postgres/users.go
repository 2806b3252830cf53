package postgres

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"supportlab/app/supportlab"
)

// BcryptCost is the work factor of password hashes, as in package sqlite;
// tests lower it to bcrypt.MinCost.
var BcryptCost = 12

// errBadCredentials is the one answer to a wrong email or a wrong password,
// so that sign-in does not reveal which accounts exist.
var errBadCredentials = supportlab.NewError(supportlab.EUNAUTHORIZED, "auth.error.bad_credentials")

var errEmailTaken = supportlab.NewError(supportlab.ECONFLICT, "auth.error.email_taken")

// errNoUser is what an operation on an account that does not exist gives.
var errNoUser = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.account")

// dummyHash is compared against when the email is unknown, so that an
// unknown email takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not a real password, only for timing"), BcryptCost)
	return h
})

// firstUserLock is the key of the transaction advisory lock that makes
// "count the accounts, then insert" atomic across processes, so that two
// sign-ups on an empty database cannot both become the first admin.
const firstUserLock = 0x5375_7070_0000_01

// CreateUser implements supportlab.UserService. An empty role makes the
// first account of the database an admin and every later one a learner.
func (db *DB) CreateUser(ctx context.Context, nu supportlab.NewUser) (*supportlab.User, error) {
	if err := nu.Validate(); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), BcryptCost)
	if err != nil {
		return nil, err
	}
	u := &supportlab.User{Email: nu.Email, Name: nu.Name, Role: nu.Role, CreatedAt: db.Now().UTC()}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if u.Role == "" {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(firstUserLock)); err != nil {
				return err
			}
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users)`).Scan(&exists); err != nil {
				return err
			}
			u.Role = supportlab.RoleAdmin
			if exists {
				u.Role = supportlab.RoleLearner
			}
		}
		// The unique index on lower(email) is the check that the address
		// is free: no race between a look-up and the insert.
		err := tx.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role, disabled, created_at)
			VALUES ($1, $2, $3, $4, false, $5) RETURNING id`,
			u.Email, u.Name, string(hash), u.Role, u.CreatedAt).Scan(&u.ID)
		if isUniqueViolation(err) {
			return errEmailTaken
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Authenticate implements supportlab.UserService. Unknown emails still cost
// a bcrypt comparison, and get the same message as a wrong password. A
// disabled account is named as such only to whoever knows its password.
func (db *DB) Authenticate(ctx context.Context, email, password string) (*supportlab.User, error) {
	email = strings.TrimSpace(email)
	var hash string
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE lower(email) = lower($1)`, email), &hash)
	if supportlab.ErrorCode(err) == supportlab.ENOTFOUND {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return nil, errBadCredentials
	} else if err != nil {
		return nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return nil, errBadCredentials
	}
	if u.Disabled {
		return nil, supportlab.ErrAccountDisabled
	}
	return u, nil
}

const userColumns = `id, email, name, role, disabled, created_at`

// scanUser reads one row of userColumns (plus extra destinations);
// no row is ENOTFOUND.
func scanUser(row pgx.Row, extra ...any) (*supportlab.User, error) {
	var u supportlab.User
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.Disabled, &u.CreatedAt}, extra...)
	if err := row.Scan(dest...); errors.Is(err, pgx.ErrNoRows) {
		return nil, errNoUser
	} else if err != nil {
		return nil, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// FindUserByID implements supportlab.UserService.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*supportlab.User, error) {
	return scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
}

// ListUsers implements supportlab.UserService: every account, oldest first.
func (db *DB) ListUsers(ctx context.Context) ([]*supportlab.User, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	users := []*supportlab.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// SetUserRole implements supportlab.UserService. It refuses to take the
// admin role from the last active admin: nobody could give it back.
func (db *DB) SetUserRole(ctx context.Context, id int64, role string) error {
	if err := supportlab.CheckRole(role); err != nil {
		return err
	}
	return db.updateUser(ctx, id, role != supportlab.RoleAdmin, `UPDATE users SET role = $1 WHERE id = $2`, role, id)
}

// SetUserDisabled implements supportlab.UserService. A disabled account
// cannot sign in, and its open sessions end at their next request. The last
// active admin cannot be disabled.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return db.updateUser(ctx, id, disabled, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, id)
}

// updateUser runs one update of user id in a transaction. When demotes is
// true, it first locks the rows of the active admins (FOR UPDATE), so that
// two processes demoting the last two admins at once are serialised and
// the second sees the first's change, then checks that one stays active.
func (db *DB) updateUser(ctx context.Context, id int64, demotes bool, query string, args ...any) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if demotes {
			rows, err := tx.Query(ctx, `SELECT id FROM users WHERE role = 'admin' AND NOT disabled FOR UPDATE`)
			if err != nil {
				return err
			}
			admins, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
			self, others := false, 0
			for _, a := range admins {
				if a == id {
					self = true
				} else {
					others++
				}
			}
			if self && others == 0 {
				return supportlab.NewError(supportlab.ECONFLICT, "admin.error.last_admin")
			}
		}
		tag, err := tx.Exec(ctx, query, args...)
		return mustAffect(tag, err, errNoUser)
	})
}

var _ supportlab.UserService = (*DB)(nil)
