package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAdminUsers(t *testing.T) {
	w := newTeamWorld(t)
	ctx := context.Background()
	admin := w.clients["admin"]
	userPath := func(key, action string) string {
		return "/admin/users/" + strconv.FormatInt(w.ids[key], 10) + "/" + action
	}

	t.Run("lists every account", func(t *testing.T) {
		res := admin.get("/admin/users")
		for _, name := range []string{"Ada Admin", "Tess Trainer", "Mia Member", "Olga Outsider"} {
			if !strings.Contains(res.Body, name) {
				t.Errorf("%s not listed", name)
			}
		}
		if !strings.Contains(res.Body, `<label class="visually-hidden" for="role-`) {
			t.Error("role selects have no label")
		}
	})

	t.Run("promote a learner to trainer", func(t *testing.T) {
		res := admin.submit("/admin/users", userPath("outsider", "role"), url.Values{"role": {"trainer"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/admin/users" {
			t.Fatalf("status %d location %s", res.Status, res.Header.Get("Location"))
		}
		if page := admin.get("/admin/users"); !strings.Contains(page.Body, "Role changed.") {
			t.Error("no confirmation")
		}
		// The new trainer can create teams at once.
		if res := w.clients["outsider"].submit("/teams", "/teams", url.Values{"name": {"Olga's team"}}); res.Status != http.StatusSeeOther {
			t.Errorf("new trainer creating a team: %d", res.Status)
		}
	})

	t.Run("invalid role", func(t *testing.T) {
		res := admin.submit("/admin/users", userPath("member", "role"), url.Values{"role": {"superuser"}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose a role") {
			t.Errorf("status %d", res.Status)
		}
	})

	t.Run("disabled accounts cannot sign in and keep their results", func(t *testing.T) {
		w.addQuiz(w.ids["member"], time.Now(), "lucerne-admin-role")
		if res := admin.submit("/admin/users", userPath("member", "disable"), nil); res.Status != http.StatusSeeOther {
			t.Fatalf("disable: %d", res.Status)
		}
		if res := w.clients["member"].get("/teams"); res.Status != http.StatusSeeOther {
			t.Errorf("disabled member's open session still works: %d", res.Status)
		}
		res := w.ts.newClient().submit("/login", "/login", url.Values{"email": {"member@example.com"}, "password": {teamTestPassword}})
		if res.Status == http.StatusSeeOther {
			t.Error("a disabled account signed in")
		}
		if csv := w.clients["trainer"].get(w.teamPath("/scores.csv")); !strings.Contains(csv.Body, "Mia Member") {
			t.Error("disabled member's results left the team")
		}
		if page := admin.get("/admin/users"); !strings.Contains(page.Body, "Disabled") {
			t.Error("status not shown")
		}
		if res := admin.submit("/admin/users", userPath("member", "enable"), nil); res.Status != http.StatusSeeOther {
			t.Fatalf("enable: %d", res.Status)
		}
		w.ts.newClient().login("member@example.com", teamTestPassword)
	})

	t.Run("the last admin cannot disable or demote themselves", func(t *testing.T) {
		for _, tc := range []struct {
			action string
			form   url.Values
		}{
			{"disable", nil},
			{"role", url.Values{"role": {"learner"}}},
		} {
			res := admin.submit("/admin/users", userPath("admin", tc.action), tc.form)
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "last active admin") {
				t.Errorf("%s: status %d", tc.action, res.Status)
			}
		}
		if u, _ := w.ts.DB.FindUserByID(ctx, w.ids["admin"]); !u.IsAdmin() || u.Disabled {
			t.Errorf("admin changed: %+v", u)
		}
	})

	t.Run("with a second admin, an admin can step down", func(t *testing.T) {
		if res := admin.submit("/admin/users", userPath("trainer", "role"), url.Values{"role": {"admin"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("promote: %d", res.Status)
		}
		res := admin.submit("/admin/users", userPath("admin", "role"), url.Values{"role": {"trainer"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("step down: %d to %s", res.Status, res.Header.Get("Location"))
		}
		if res := admin.get("/admin/users"); res.Status != http.StatusForbidden {
			t.Errorf("former admin on the admin page: %d", res.Status)
		}
	})
}
