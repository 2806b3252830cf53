package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"supportlab/app/supportlab"
)

// BcryptCost is the work factor of password hashes. Twelve keeps a guess
// around a quarter of a second on a server; tests lower it to bcrypt.MinCost
// so that signing up dozens of users stays fast. Hashes remember their own
// cost, so changing it never locks anyone out.
var BcryptCost = 12

// errBadCredentials is the one answer to a wrong email or a wrong password,
// so that sign-in does not reveal which accounts exist.
var errBadCredentials = supportlab.NewError(supportlab.EUNAUTHORIZED, "auth.error.bad_credentials")

// dummyHash is compared against when the email is unknown, so that an
// unknown email takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not a real password, only for timing"), BcryptCost)
	return h
})

// CreateUser implements supportlab.UserService. An empty role makes the
// first account of the database an admin and every later one a learner; the
// count and the insert share one write transaction, so two sign-ups at once
// cannot both become the first. The account is checked by
// supportlab.NewUser.Validate, the rule every way in shares.
func (db *DB) CreateUser(ctx context.Context, nu supportlab.NewUser) (*supportlab.User, error) {
	if err := nu.Validate(); err != nil {
		return nil, err
	}
	// Hash before taking the write lock: it is the slow part.
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), BcryptCost)
	if err != nil {
		return nil, err
	}
	u := &supportlab.User{Email: nu.Email, Name: nu.Name, Role: nu.Role, CreatedAt: db.Now().UTC()}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if u.Role == "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
				return err
			}
			u.Role = supportlab.RoleLearner
			if n == 0 {
				u.Role = supportlab.RoleAdmin
			}
		}
		// The unique index on email (case-insensitive) is the check that
		// the address is free: no race between a look-up and the insert.
		res, err := tx.ExecContext(ctx, `INSERT INTO users (email, name, password_hash, role, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)`,
			u.Email, u.Name, string(hash), u.Role, formatTime(u.CreatedAt))
		if isUniqueViolation(err) {
			return errEmailTaken
		} else if err != nil {
			return err
		}
		u.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

var errEmailTaken = supportlab.NewError(supportlab.ECONFLICT, "auth.error.email_taken")

// Authenticate implements supportlab.UserService. Unknown emails still cost
// a bcrypt comparison, and get the same message as a wrong password. A
// disabled account is named as such only to whoever knows its password.
func (db *DB) Authenticate(ctx context.Context, email, password string) (*supportlab.User, error) {
	email = strings.TrimSpace(email)
	var hash string
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = ?`, email), &hash)
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
func scanUser(row interface{ Scan(...any) error }, extra ...any) (*supportlab.User, error) {
	var u supportlab.User
	var created string
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.Disabled, &created}, extra...)
	if err := row.Scan(dest...); errors.Is(err, sql.ErrNoRows) {
		return nil, errNoUser
	} else if err != nil {
		return nil, err
	}
	u.CreatedAt = parseTime(created)
	return &u, nil
}

// FindUserByID implements supportlab.UserService.
// Accounts read are cached until changed (cache.go).
func (db *DB) FindUserByID(ctx context.Context, id int64) (*supportlab.User, error) {
	if u, ok := db.userCache.get(id); ok {
		return &u, nil
	}
	gen := db.userCache.generation()
	u, err := scanUser(db.stmtUser.QueryRowContext(ctx, id))
	if err != nil {
		return nil, err
	}
	db.userCache.put(gen, id, *u)
	return u, nil
}

// ListUsers implements supportlab.UserService: every account, oldest first.
func (db *DB) ListUsers(ctx context.Context) ([]*supportlab.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
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
	return db.updateUser(ctx, id, role != supportlab.RoleAdmin, `UPDATE users SET role = ? WHERE id = ?`, role, id)
}

// SetUserDisabled implements supportlab.UserService. A disabled account
// cannot sign in, and its open sessions end at their next request. The last
// active admin cannot be disabled.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return db.updateUser(ctx, id, disabled, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, id)
}

// updateUser runs one update of user id in a transaction. When demotes is
// true, it first checks that the change leaves at least one active admin.
func (db *DB) updateUser(ctx context.Context, id int64, demotes bool, query string, args ...any) error {
	defer db.userCache.forgetKey(id)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if demotes {
			var others, self int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(id <> ?), 0), COALESCE(SUM(id = ?), 0)
				FROM users WHERE role = 'admin' AND disabled = 0`, id, id).Scan(&others, &self); err != nil {
				return err
			}
			if self > 0 && others == 0 {
				return supportlab.NewError(supportlab.ECONFLICT, "admin.error.last_admin")
			}
		}
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		return mustAffect(res, errNoUser)
	})
}

// errNoUser is what an operation on an account that does not exist gives.
var errNoUser = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.account")

var _ supportlab.UserService = (*DB)(nil)
