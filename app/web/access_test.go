package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// granted stands, in the access matrix, for "let through": any answer but
// 401, 403, 404 or a server error (an author import without a file, for
// instance, is let through and then refused as invalid).
const granted = 1

// TestAccessMatrix walks every team, author, admin and team API route with
// every role and checks the status each gets. Rows that change something
// are undone after each request so that every role meets the same state.
func TestAccessMatrix(t *testing.T) {
	w := newTeamWorld(t)
	ctx := context.Background()
	victim := w.addAccount("victim", "Victor Victim", "learner")
	if res := victim.submit("/teams", "/teams/join", url.Values{"code": {w.code()}}); res.Status != http.StatusSeeOther {
		t.Fatal(res.Status)
	}
	victimID := strconv.FormatInt(w.ids["victim"], 10)
	rejoin := func() {
		_, _, _ = w.ts.DB.JoinTeam(ctx, w.ids["victim"], w.code())
	}
	restoreVictim := func() {
		_ = w.ts.DB.SetUserRole(ctx, w.ids["victim"], "learner")
		_ = w.ts.DB.SetUserDisabled(ctx, w.ids["victim"], false)
	}
	const missing = "/teams/999999"

	// Status per role, in teamRoles order:
	// anonymous, outsider, member, trainer, other-trainer, admin.
	rows := []struct {
		method, path string
		form         url.Values
		want         [6]int
		undo         func()
	}{
		{"GET", "/teams", nil, [6]int{303, 200, 200, 200, 200, 200}, nil},
		{"POST", "/teams", url.Values{"name": {"New team"}}, [6]int{401, 403, 403, 303, 303, 303}, nil},
		{"POST", "/teams/join", url.Values{"code": {"NOPE-NOPE-NOPE"}}, [6]int{401, 422, 422, 422, 422, 422}, nil},
		{"GET", w.teamPath(""), nil, [6]int{303, 404, 200, 200, 404, 200}, nil},
		{"GET", w.teamPath("?page=2"), nil, [6]int{303, 404, 200, 200, 404, 200}, nil},
		{"GET", missing, nil, [6]int{303, 404, 404, 404, 404, 404}, nil},
		{"GET", "/teams/not-a-number", nil, [6]int{303, 404, 404, 404, 404, 404}, nil},
		{"GET", w.teamPath("/scores.csv"), nil, [6]int{303, 404, 403, 200, 404, 200}, nil},
		{"GET", missing + "/scores.csv", nil, [6]int{303, 404, 404, 404, 404, 404}, nil},
		{"POST", w.teamPath("/code"), nil, [6]int{401, 404, 403, 303, 404, 303}, nil},
		{"POST", missing + "/code", nil, [6]int{401, 404, 404, 404, 404, 404}, nil},
		{"POST", w.teamPath("/members/" + victimID + "/remove"), nil, [6]int{401, 404, 403, 303, 404, 303}, rejoin},
		{"POST", w.teamPath("/members/999999/remove"), nil, [6]int{401, 404, 403, 404, 404, 404}, nil},

		{"GET", "/admin/users", nil, [6]int{303, 403, 403, 403, 403, 200}, nil},
		{"POST", "/admin/users/" + victimID + "/role", url.Values{"role": {"trainer"}}, [6]int{401, 403, 403, 403, 403, 303}, restoreVictim},
		{"POST", "/admin/users/" + victimID + "/role", url.Values{"role": {"overlord"}}, [6]int{401, 403, 403, 403, 403, 422}, restoreVictim},
		{"POST", "/admin/users/" + victimID + "/disable", nil, [6]int{401, 403, 403, 403, 403, 303}, restoreVictim},
		{"POST", "/admin/users/" + victimID + "/enable", nil, [6]int{401, 403, 403, 403, 403, 303}, restoreVictim},
		{"POST", "/admin/users/999999/disable", nil, [6]int{401, 403, 403, 403, 403, 404}, nil},

		{"GET", "/author", nil, [6]int{303, 403, 403, 200, 200, 200}, nil},
		{"POST", "/author/import", url.Values{}, [6]int{401, 403, 403, granted, granted, granted}, nil},

		{"GET", "/api/v1/teams", nil, [6]int{401, 200, 200, 200, 200, 200}, nil},
		{"GET", "/api/v1/teams/" + strconv.FormatInt(w.teamID, 10) + "/scores", nil, [6]int{401, 404, 403, 200, 404, 200}, nil},
		{"GET", "/api/v1/teams/999999/scores", nil, [6]int{401, 404, 404, 404, 404, 404}, nil},
	}
	for _, row := range rows {
		for i, role := range teamRoles {
			c := w.clients[role]
			var res response
			if row.method == "GET" {
				res = c.get(row.path)
			} else {
				form := url.Values{}
				for k, v := range row.form {
					form[k] = append([]string(nil), v...)
				}
				page := "/teams"
				if role == "anonymous" {
					page = "/login"
				}
				res = c.submit(page, row.path, form)
			}
			want := row.want[i]
			ok := res.Status == want
			if want == granted {
				ok = res.Status != 401 && res.Status != 403 && res.Status != 404 && res.Status < 500
			}
			if !ok {
				t.Errorf("%s %s as %s: status %d, want %d", row.method, row.path, role, res.Status, want)
			}
			if want == 303 && row.method == "GET" && role == "anonymous" {
				if loc := res.Header.Get("Location"); len(loc) < 6 || loc[:6] != "/login" {
					t.Errorf("%s %s as anonymous: redirect to %q, want the sign-in page", row.method, row.path, loc)
				}
			}
			if len(row.path) > 5 && row.path[:5] == "/api/" && res.Status >= 400 {
				if ct := res.Header.Get("Content-Type"); len(ct) < 16 || ct[:16] != "application/json" {
					t.Errorf("%s %s as %s: error as %q, want JSON", row.method, row.path, role, ct)
				}
			}
			if row.undo != nil {
				row.undo()
			}
		}
	}
}
