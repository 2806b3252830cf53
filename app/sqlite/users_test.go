package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"

	"supportlab/app/sqlite"
	"supportlab/app/supportlab"
)

// Tests hash at the lowest cost: the cost is not what they check.
func init() { sqlite.BcryptCost = bcrypt.MinCost }

// openUsersTestDB opens a fresh database under t.TempDir() and returns it
// with its path, for tests that look at the raw tables.
func openUsersTestDB(t *testing.T) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// rawQuery opens a second connection on path to check what is on disk.
func rawQuery(t *testing.T, path, query string, args ...any) *sql.Row {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw.QueryRow(query, args...)
}

func mustCreateUser(t *testing.T, db *sqlite.DB, email, name, role string) *supportlab.User {
	t.Helper()
	u, err := db.CreateUser(context.Background(), supportlab.NewUser{Email: email, Name: name, Password: "correct horse battery", Role: role})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func TestCreateUserFirstIsAdmin(t *testing.T) {
	db, _ := openUsersTestDB(t)
	first := mustCreateUser(t, db, "ada@example.com", "Ada", "")
	second := mustCreateUser(t, db, "bob@example.com", "Bob", "")
	third := mustCreateUser(t, db, "cy@example.com", "Cy", supportlab.RoleTrainer)
	for _, tc := range []struct {
		name string
		u    *supportlab.User
		want string
	}{
		{"first account", first, supportlab.RoleAdmin},
		{"second account", second, supportlab.RoleLearner},
		{"explicit role", third, supportlab.RoleTrainer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.FindUserByID(context.Background(), tc.u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Role != tc.want || tc.u.Role != tc.want {
				t.Fatalf("role %q (returned %q), want %q", got.Role, tc.u.Role, tc.want)
			}
		})
	}
}

func TestCreateUserConcurrentFirstAccounts(t *testing.T) {
	db, _ := openUsersTestDB(t)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.CreateUser(context.Background(), supportlab.NewUser{
				Email: string(rune('a'+i)) + "@example.com", Name: "N", Password: "0123456789",
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	users, err := db.ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	admins := 0
	for _, u := range users {
		if u.Role == supportlab.RoleAdmin {
			admins++
		}
	}
	if len(users) != 6 || admins != 1 {
		t.Fatalf("%d users, %d admins; want 6 users and exactly one admin", len(users), admins)
	}
}

func TestCreateUserRejects(t *testing.T) {
	db, path := openUsersTestDB(t)
	mustCreateUser(t, db, "Ada@Example.com", "Ada", "")
	for _, tc := range []struct {
		name  string
		nu    supportlab.NewUser
		code  string
		key   string
		field string // the form field the problem belongs to; "" when none
	}{
		{"duplicate email in another case", supportlab.NewUser{Email: "  ada@EXAMPLE.com ", Name: "A", Password: "0123456789"}, supportlab.ECONFLICT, "auth.error.email_taken", ""},
		{"not an email", supportlab.NewUser{Email: "ada.example.com", Name: "A", Password: "0123456789"}, supportlab.EINVALID, "auth.error.email_invalid", "email"},
		{"empty email", supportlab.NewUser{Email: " ", Name: "A", Password: "0123456789"}, supportlab.EINVALID, "auth.error.email_required", "email"},
		{"email with a right-to-left override", supportlab.NewUser{Email: "ada\u202e@example.com", Name: "A", Password: "0123456789"}, supportlab.EINVALID, "auth.error.email_invalid", "email"},
		{"no name", supportlab.NewUser{Email: "x@example.com", Name: "  ", Password: "0123456789"}, supportlab.EINVALID, "auth.error.name_required", "name"},
		{"long name", supportlab.NewUser{Email: "x@example.com", Name: strings.Repeat("é", 101), Password: "0123456789"}, supportlab.EINVALID, "auth.error.name_too_long", "name"},
		{"name with NUL", supportlab.NewUser{Email: "x@example.com", Name: "Ada\x00Lovelace", Password: "0123456789"}, supportlab.EINVALID, "auth.error.name_control", "name"},
		{"name with a control character", supportlab.NewUser{Email: "x@example.com", Name: "Ada\x1b[31mLovelace", Password: "0123456789"}, supportlab.EINVALID, "auth.error.name_control", "name"},
		{"name with a right-to-left override", supportlab.NewUser{Email: "x@example.com", Name: "Ada \u202eecalevoL", Password: "0123456789"}, supportlab.EINVALID, "auth.error.name_control", "name"},
		{"name that is not UTF-8", supportlab.NewUser{Email: "x@example.com", Name: "Ada\xffLovelace", Password: "0123456789"}, supportlab.EINVALID, "auth.error.name_control", "name"},
		{"short password", supportlab.NewUser{Email: "x@example.com", Name: "X", Password: "012345678"}, supportlab.EINVALID, "auth.error.password_too_short", "password"},
		{"short password counted in characters", supportlab.NewUser{Email: "x@example.com", Name: "X", Password: "ééééééééé"}, supportlab.EINVALID, "auth.error.password_too_short", "password"},
		{"password over 72 bytes", supportlab.NewUser{Email: "x@example.com", Name: "X", Password: strings.Repeat("a", 73)}, supportlab.EINVALID, "auth.error.password_too_long", "password"},
		{"bad role", supportlab.NewUser{Email: "x@example.com", Name: "X", Password: "0123456789", Role: "root"}, supportlab.EINVALID, "error.role.unknown", "role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.CreateUser(context.Background(), tc.nu)
			e := supportlab.AsError(err)
			if e == nil || e.Code != tc.code || e.Key != tc.key {
				t.Fatalf("got %v, want %s %s", err, tc.code, tc.key)
			}
			if tc.field == "" {
				return
			}
			if f := e.Field(tc.field); f == nil || f.Key != tc.key {
				t.Fatalf("field %q: got %+v, want %s (all fields: %+v)", tc.field, f, tc.key, e.Fields)
			}
		})
	}
	var n int
	if err := rawQuery(t, path, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d users stored (%v), want 1", n, err)
	}
}

func TestPasswordIsHashed(t *testing.T) {
	db, path := openUsersTestDB(t)
	mustCreateUser(t, db, "ada@example.com", "Ada", "")
	var hash string
	if err := rawQuery(t, path, `SELECT password_hash FROM users`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hash, "correct horse") || !strings.HasPrefix(hash, "$2") {
		t.Fatalf("stored password is not a bcrypt hash: %q", hash)
	}
}

func TestAuthenticate(t *testing.T) {
	db, _ := openUsersTestDB(t)
	ctx := context.Background()
	ada := mustCreateUser(t, db, "ada@example.com", "Ada", "")
	off := mustCreateUser(t, db, "off@example.com", "Off", "")
	if err := db.SetUserDisabled(ctx, off.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, email, password string
		wantID                int64
		wantKey               string // of the EUNAUTHORIZED error; "" for success
	}{
		{"right password", "ada@example.com", "correct horse battery", ada.ID, ""},
		{"email in another case with spaces", " ADA@example.COM ", "correct horse battery", ada.ID, ""},
		{"wrong password", "ada@example.com", "correct horse battery!", 0, "auth.error.bad_credentials"},
		{"unknown email", "nobody@example.com", "correct horse battery", 0, "auth.error.bad_credentials"},
		{"too long password", "ada@example.com", strings.Repeat("x", 100), 0, "auth.error.bad_credentials"},
		{"disabled account", "off@example.com", "correct horse battery", 0, "error.account.disabled"},
		{"disabled account, wrong password", "off@example.com", "wrong horse battery", 0, "auth.error.bad_credentials"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := db.Authenticate(ctx, tc.email, tc.password)
			if tc.wantKey == "" {
				if err != nil || u.ID != tc.wantID {
					t.Fatalf("got %v, %v; want user %d", u, err, tc.wantID)
				}
				return
			}
			if e := supportlab.AsError(err); e == nil || e.Code != supportlab.EUNAUTHORIZED || e.Key != tc.wantKey {
				t.Fatalf("got %v, %v; want unauthorized %s", u, err, tc.wantKey)
			}
		})
	}
}

func TestUserAdminOperations(t *testing.T) {
	db, _ := openUsersTestDB(t)
	ctx := context.Background()
	admin := mustCreateUser(t, db, "admin@example.com", "Admin", "")
	bob := mustCreateUser(t, db, "bob@example.com", "Bob", "")

	if _, err := db.FindUserByID(ctx, 999); supportlab.ErrorCode(err) != supportlab.ENOTFOUND || supportlab.AsError(err).Key != "error.not_found.account" {
		t.Fatalf("missing user: %v", err)
	}
	for _, tc := range []struct {
		name      string
		do        func() error
		code, key string // "" for success
	}{
		{"promote to trainer", func() error { return db.SetUserRole(ctx, bob.ID, supportlab.RoleTrainer) }, "", ""},
		{"unknown role", func() error { return db.SetUserRole(ctx, bob.ID, "boss") }, supportlab.EINVALID, "error.role.unknown"},
		{"unknown user", func() error { return db.SetUserRole(ctx, 999, supportlab.RoleLearner) }, supportlab.ENOTFOUND, "error.not_found.account"},
		{"disable an unknown user", func() error { return db.SetUserDisabled(ctx, 999, true) }, supportlab.ENOTFOUND, "error.not_found.account"},
		{"demote the last admin", func() error { return db.SetUserRole(ctx, admin.ID, supportlab.RoleLearner) }, supportlab.ECONFLICT, "admin.error.last_admin"},
		{"disable the last admin", func() error { return db.SetUserDisabled(ctx, admin.ID, true) }, supportlab.ECONFLICT, "admin.error.last_admin"},
		{"disable a learner", func() error { return db.SetUserDisabled(ctx, bob.ID, true) }, "", ""},
		{"enable again", func() error { return db.SetUserDisabled(ctx, bob.ID, false) }, "", ""},
		{"second admin", func() error { return db.SetUserRole(ctx, bob.ID, supportlab.RoleAdmin) }, "", ""},
		{"demote the first admin now", func() error { return db.SetUserRole(ctx, admin.ID, supportlab.RoleLearner) }, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if supportlab.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want code %q", err, tc.code)
			}
			if e := supportlab.AsError(err); e != nil && e.Key != tc.key {
				t.Fatalf("got %v, want key %q", err, tc.key)
			}
		})
	}
	users, err := db.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Role != supportlab.RoleLearner || users[1].Role != supportlab.RoleAdmin || users[1].Disabled {
		t.Fatalf("users after changes: %+v %+v", users[0], users[1])
	}
}
