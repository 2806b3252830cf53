package storetest

import (
	"context"
	"strings"
	"sync"
	"testing"

	"supportlab/app/supportlab"
)

func testCreateUserFirstIsAdmin(t *testing.T, h *Harness) {
	first := mustCreateUser(t, h.Store, "ada@example.com", "Ada", "")
	second := mustCreateUser(t, h.Store, "bob@example.com", "Bob", "")
	third := mustCreateUser(t, h.Store, "cy@example.com", "Cy", supportlab.RoleTrainer)
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
			got, err := h.Store.FindUserByID(context.Background(), tc.u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Role != tc.want || tc.u.Role != tc.want {
				t.Fatalf("role %q (returned %q), want %q", got.Role, tc.u.Role, tc.want)
			}
			if got.Email != tc.u.Email || got.Name != tc.u.Name || got.Disabled || got.CreatedAt.IsZero() {
				t.Fatalf("read back %+v, created %+v", got, tc.u)
			}
		})
	}
}

// testCreateUserConcurrentFirstAccounts signs up six accounts at once on an
// empty database, half of them through a second opening of it (another
// process): exactly one becomes the admin.
func testCreateUserConcurrentFirstAccounts(t *testing.T, h *Harness) {
	stores := []Store{h.Store, h.Reopen(t).Store}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := stores[i%2].CreateUser(context.Background(), supportlab.NewUser{
				Email: string(rune('a'+i)) + "@example.com", Name: "N", Password: "0123456789",
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	users, err := h.Store.ListUsers(context.Background())
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

func testCreateUserRejects(t *testing.T, h *Harness) {
	mustCreateUser(t, h.Store, "Ada@Example.com", "Ada", "")
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
			_, err := h.Store.CreateUser(context.Background(), tc.nu)
			wantError(t, err, tc.code, tc.key)
			if tc.field == "" {
				return
			}
			e := supportlab.AsError(err)
			if f := e.Field(tc.field); f == nil || f.Key != tc.key {
				t.Fatalf("field %q: got %+v, want %s (all fields: %+v)", tc.field, f, tc.key, e.Fields)
			}
		})
	}
	var n int
	if err := h.QueryRow(`SELECT COUNT(*) FROM users`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d users stored (%v), want 1", n, err)
	}
}

func testPasswordIsHashed(t *testing.T, h *Harness) {
	mustCreateUser(t, h.Store, "ada@example.com", "Ada", "")
	var hash string
	must(t, h.QueryRow(`SELECT password_hash FROM users`).Scan(&hash))
	if strings.Contains(hash, "correct horse") || !strings.HasPrefix(hash, "$2") {
		t.Fatalf("stored password is not a bcrypt hash: %q", hash)
	}
}

func testAuthenticate(t *testing.T, h *Harness) {
	ctx := context.Background()
	ada := mustCreateUser(t, h.Store, "ada@example.com", "Ada", "")
	off := mustCreateUser(t, h.Store, "off@example.com", "Off", "")
	must(t, h.Store.SetUserDisabled(ctx, off.ID, true))
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
			u, err := h.Store.Authenticate(ctx, tc.email, tc.password)
			if tc.wantKey == "" {
				if err != nil || u.ID != tc.wantID {
					t.Fatalf("got %v, %v; want user %d", u, err, tc.wantID)
				}
				return
			}
			wantError(t, err, supportlab.EUNAUTHORIZED, tc.wantKey)
		})
	}
}

func testUserAdminOperations(t *testing.T, h *Harness) {
	ctx := context.Background()
	db := h.Store
	admin := mustCreateUser(t, db, "admin@example.com", "Admin", "")
	bob := mustCreateUser(t, db, "bob@example.com", "Bob", "")

	_, err := db.FindUserByID(ctx, 999)
	wantError(t, err, supportlab.ENOTFOUND, "error.not_found.account")
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
