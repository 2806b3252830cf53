package supportlab

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
		return NewError(EINVALID, "error.role.unknown", "Role", r)
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
var ErrAccountDisabled = NewError(EUNAUTHORIZED, "error.account.disabled")

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

// MaxEmailLength is the longest address SMTP allows.
const MaxEmailLength = 254

// ValidEmail reports whether s looks like an email address: something, an
// @, a domain without spaces. Whether the address receives mail is not
// checked; SupportLab sends none. It is the one rule for addresses: the
// sign-up form, `user create` and the stores all use it.
func ValidEmail(s string) bool {
	if s == "" || len(s) > MaxEmailLength {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	domain := s[at+1:]
	if strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>' || isBidiControl(r) {
			return false
		}
	}
	return true
}

// NameProblem checks a name people see (an account's display name, a team's
// name) and says what is wrong with it: "required", "too_long" or
// "control", "" when nothing is; each kind of name has its own catalogue
// messages (auth.error.name_<problem>, teams.error.name_<problem>). Names are shown in headings, tables and CSV files, so besides
// the length they may not hold NUL or other control characters, nor the
// bidirectional controls that make a name display as something else
// ("Trojan Source").
func NameProblem(name string, maxRunes int) string {
	switch {
	case name == "":
		return "required"
	case !utf8.ValidString(name):
		return "control"
	case utf8.RuneCountInString(name) > maxRunes:
		return "too_long"
	}
	for _, r := range name {
		if unicode.IsControl(r) || isBidiControl(r) {
			return "control"
		}
	}
	return ""
}

// isBidiControl reports whether r is a Unicode bidirectional embedding,
// override or isolate control (U+202A–U+202E, U+2066–U+2069).
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// Validate normalises nu (trims the email and the name) and checks it by
// the rules every way in shares: sign-up, `user create`, the stores. Every
// problem comes back at once, as an EINVALID error with one field each.
func (nu *NewUser) Validate() error {
	nu.Email = strings.TrimSpace(nu.Email)
	nu.Name = strings.TrimSpace(nu.Name)
	var fs []FieldError
	if nu.Role != "" && !ValidRole(nu.Role) {
		fs = append(fs, FieldError{Field: "role", Key: "error.role.unknown", Args: []any{"Role", nu.Role}})
	}
	if p := NameProblem(nu.Name, MaxNameLength); p != "" {
		fs = append(fs, FieldError{Field: "name", Key: "auth.error.name_" + p, Args: []any{"MaxName", MaxNameLength}})
	}
	switch {
	case nu.Email == "":
		fs = append(fs, FieldError{Field: "email", Key: "auth.error.email_required"})
	case !ValidEmail(nu.Email):
		fs = append(fs, FieldError{Field: "email", Key: "auth.error.email_invalid"})
	}
	switch {
	case utf8.RuneCountInString(nu.Password) < MinPasswordLength:
		fs = append(fs, FieldError{Field: "password", Key: "auth.error.password_too_short", Args: []any{"Min", MinPasswordLength}})
	case len(nu.Password) > MaxPasswordBytes:
		fs = append(fs, FieldError{Field: "password", Key: "auth.error.password_too_long", Args: []any{"Max", MaxPasswordBytes}})
	}
	return Invalid(fs)
}
