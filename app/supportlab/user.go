package supportlab

import (
	"context"
	"slices"
	"time"
)

// Roles, from least to most trusted. A trainer follows teams; an admin
// manages accounts and sees everything.
const (
	RoleLearner = "learner"
	RoleTrainer = "trainer"
	RoleAdmin   = "admin"
)

// Roles lists the valid roles.
var Roles = []string{RoleLearner, RoleTrainer, RoleAdmin}

// ValidRole reports whether r is one of Roles.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// CheckRole returns an EINVALID error naming the valid roles when r is not
// one, so that the store and `user create` word the refusal the same way.
func CheckRole(r string) error {
	if !ValidRole(r) {
		return Errorf(EINVALID, "%q is not a role: use learner, trainer or admin.", r)
	}
	return nil
}

// MinPasswordLength follows NIST SP 800-63B: length, no composition rules.
const MinPasswordLength = 10

// MaxNameLength caps display names, in characters: names appear in headers,
// tables and CSV exports.
const MaxNameLength = 100

// ErrAccountDisabled is what signing in to a disabled account gives: the
// sign-in form names it, instead of calling the password wrong.
var ErrAccountDisabled = &Error{Code: EUNAUTHORIZED, Message: "This account is disabled."}

// MaxPasswordBytes is bcrypt's limit; longer passwords are refused with a
// message instead of being silently truncated.
const MaxPasswordBytes = 72

// User is an account.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      string
	Disabled  bool
	CreatedAt time.Time
}

// CanTrain reports whether u may create teams and see trainer pages.
func (u *User) CanTrain() bool {
	return u != nil && (u.Role == RoleTrainer || u.Role == RoleAdmin)
}

// IsAdmin reports whether u is an administrator.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// NewUser is what sign-up and `user create` hand to the store.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Role     string // "" lets the store decide: admin for the first account, else learner
}

// UserService stores accounts. Implementations hash passwords; a plain
// password never reaches the database.
type UserService interface {
	CreateUser(ctx context.Context, nu NewUser) (*User, error)
	// Authenticate returns the user for email and password, or EUNAUTHORIZED.
	Authenticate(ctx context.Context, email, password string) (*User, error)
	FindUserByID(ctx context.Context, id int64) (*User, error)
	ListUsers(ctx context.Context) ([]*User, error)
	SetUserRole(ctx context.Context, id int64, role string) error
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error
}
