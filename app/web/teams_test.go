package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

const teamTestPassword = "team test password"

// teamWorld is a server with one account of every kind that matters to a
// team, each signed in in its own browser, and one team trained by
// "trainer" with "member" in it.
type teamWorld struct {
	ts      *testServer
	clients map[string]*client // by role name; "anonymous" is signed out
	ids     map[string]int64   // account ids by role name
	teamID  int64
}

// teamRoles are the roles the access tests walk, in the order they run.
var teamRoles = []string{"anonymous", "outsider", "member", "trainer", "other-trainer", "admin"}

func newTeamWorld(t *testing.T) *teamWorld {
	t.Helper()
	w := &teamWorld{ts: newTestServer(t), clients: map[string]*client{}, ids: map[string]int64{}}
	w.clients["anonymous"] = w.ts.newClient()
	accounts := []struct{ key, name, role string }{
		{"admin", "Ada Admin", supportlab.RoleAdmin},
		{"trainer", "Tess Trainer", supportlab.RoleTrainer},
		{"other-trainer", "Otto Trainer", supportlab.RoleTrainer},
		{"member", "Mia Member", supportlab.RoleLearner},
		{"outsider", "Olga Outsider", supportlab.RoleLearner},
	}
	for _, a := range accounts {
		w.addAccount(a.key, a.name, a.role)
	}
	res := w.clients["trainer"].submit("/teams", "/teams", url.Values{"name": {"Helpdesk"}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/teams/") {
		t.Fatalf("create team: %d %s", res.Status, res.Header.Get("Location"))
	}
	w.teamID, _ = strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/teams/"), 10, 64)
	if res := w.clients["member"].submit("/teams", "/teams/join", url.Values{"code": {w.code()}}); res.Status != http.StatusSeeOther {
		t.Fatalf("join: %d", res.Status)
	}
	return w
}

// addAccount creates an account and signs a new browser in as it.
func (w *teamWorld) addAccount(key, name, role string) *client {
	w.ts.t.Helper()
	email := strings.ReplaceAll(key, " ", "-") + "@example.com"
	u, err := w.ts.DB.CreateUser(context.Background(), supportlab.NewUser{Email: email, Name: name, Password: teamTestPassword, Role: role})
	if err != nil {
		w.ts.t.Fatal(err)
	}
	c := w.ts.newClient()
	c.login(email, teamTestPassword)
	w.clients[key], w.ids[key] = c, u.ID
	return c
}

func (w *teamWorld) code() string {
	w.ts.t.Helper()
	team, err := w.ts.DB.FindTeam(context.Background(), w.teamID)
	if err != nil {
		w.ts.t.Fatal(err)
	}
	return team.Code
}

func (w *teamWorld) teamPath(suffix string) string {
	return "/teams/" + strconv.FormatInt(w.teamID, 10) + suffix
}

// addQuiz stores a quiz attempt of support-check-en with the given
// questions right (the others asked and wrong).
func (w *teamWorld) addQuiz(userID int64, at time.Time, right ...string) {
	w.ts.t.Helper()
	q, err := w.ts.Bank.Quiz("support-check-en")
	if err != nil {
		w.ts.t.Fatal(err)
	}
	a := &supportlab.Attempt{UserID: userID, Kind: supportlab.KindQuiz, UID: q.UID, Version: q.Version, At: at,
		Answers: map[string][]int{}, Right: map[string]bool{}}
	for _, qq := range q.Questions {
		a.Asked = append(a.Asked, qq.ID)
	}
	for _, id := range right {
		a.Right[id] = true
	}
	a.Score = 100 * len(right) / len(a.Asked)
	a.Passed = a.Score >= q.PassPercent
	if err := w.ts.DB.CreateAttempt(context.Background(), a); err != nil {
		w.ts.t.Fatal(err)
	}
}

// addSandbox stores a sandbox attempt at tenant-wide-mail-outage (which
// expects severity A) choosing severity.
func (w *teamWorld) addSandbox(userID int64, at time.Time, score int, severity string) {
	w.ts.t.Helper()
	a := &supportlab.Attempt{UserID: userID, Kind: supportlab.KindSandbox, UID: "tenant-wide-mail-outage", Version: 1, At: at,
		Score: score, Passed: score >= supportlab.SandboxPassScore, Expected: "A",
		Parts:  &supportlab.SandboxParts{Action: 20},
		Answer: &supportlab.SandboxAnswer{Action: supportlab.ActionOpenRequest, Product: "exchange-online", Severity: severity}}
	if err := w.ts.DB.CreateAttempt(context.Background(), a); err != nil {
		w.ts.t.Fatal(err)
	}
}

func TestJoinTeamWithCode(t *testing.T) {
	w := newTeamWorld(t)
	learner := w.clients["outsider"]
	oldCode := w.code()

	t.Run("wrong code", func(t *testing.T) {
		res := learner.submit("/teams", "/teams/join", url.Values{"code": {"WRONG-CODE-99"}})
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.Status)
		}
		if !strings.Contains(res.Body, "No team has this join code") || !strings.Contains(res.Body, `value="WRONG-CODE-99"`) {
			t.Errorf("no message or the code was not kept: %.2000s", res.Body)
		}
	})
	t.Run("empty code", func(t *testing.T) {
		if res := learner.submit("/teams", "/teams/join", url.Values{"code": {" "}}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.Status)
		}
	})
	t.Run("renewed code: the old one fails", func(t *testing.T) {
		if res := w.clients["trainer"].submit(w.teamPath(""), w.teamPath("/code"), nil); res.Status != http.StatusSeeOther {
			t.Fatalf("renew: %d", res.Status)
		}
		if w.code() == oldCode {
			t.Fatal("code not renewed")
		}
		if res := learner.submit("/teams", "/teams/join", url.Values{"code": {oldCode}}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("old code: status %d", res.Status)
		}
	})
	t.Run("right code, typed in lower case", func(t *testing.T) {
		res := learner.submit("/teams", "/teams/join", url.Values{"code": {strings.ToLower(w.code())}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != w.teamPath("") {
			t.Fatalf("status %d location %s", res.Status, res.Header.Get("Location"))
		}
		page := learner.get(w.teamPath(""))
		if page.Status != 200 || !strings.Contains(page.Body, "You joined the team.") {
			t.Errorf("dashboard after joining: %d %.500s", page.Status, page.Body)
		}
		if list := learner.get("/teams"); !strings.Contains(list.Body, "Helpdesk") {
			t.Error("team not on the learner's list")
		}
	})
	t.Run("already a member", func(t *testing.T) {
		res := learner.submit("/teams", "/teams/join", url.Values{"code": {w.code()}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("status %d", res.Status)
		}
		if page := learner.get(res.Header.Get("Location")); !strings.Contains(page.Body, "You are already in this team.") {
			t.Error("no friendly message")
		}
	})
}

func TestCreateTeamValidation(t *testing.T) {
	w := newTeamWorld(t)
	cases := []struct {
		name, team string
		want       int
	}{
		{"empty", "   ", http.StatusUnprocessableEntity},
		{"too long", strings.Repeat("é", supportlab.MaxTeamNameLength+1), http.StatusUnprocessableEntity},
		{"fine", "Service desk, level 2", http.StatusSeeOther},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := w.clients["trainer"].submit("/teams", "/teams", url.Values{"name": {tc.team}})
			if res.Status != tc.want {
				t.Fatalf("status %d, want %d", res.Status, tc.want)
			}
			if tc.want == http.StatusUnprocessableEntity && !strings.Contains(res.Body, `id="team-name-error"`) {
				t.Error("no message next to the field")
			}
		})
	}
}

// TestScoresExports checks scores.csv and the scores API column by column.
func TestScoresExports(t *testing.T) {
	w := newTeamWorld(t)
	ctx := context.Background()
	// A learner whose name a spreadsheet would run as a formula.
	evil := w.addAccount("evil", "=HYPERLINK(\"http://x\")", supportlab.RoleLearner)
	if res := evil.submit("/teams", "/teams/join", url.Values{"code": {w.code()}}); res.Status != http.StatusSeeOther {
		t.Fatal(res.Status)
	}
	// Attempts count for the team once the learner joined (SPEC): these
	// are made after everyone joined, to the second.
	t0 := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	at := func(d time.Duration) string { return t0.Add(d).Format(time.RFC3339) }
	w.addQuiz(w.ids["member"], t0, "lucerne-admin-role")
	w.addQuiz(w.ids["member"], t0.Add(time.Hour), "lucerne-admin-role", "severity-services-down", "severity-eac-setting", "severity-password-howto")
	w.addSandbox(w.ids["member"], t0.Add(2*time.Hour), 90, "A")
	w.addSandbox(w.ids["evil"], t0, 40, "C")
	// Attempts of the trainer and of an outsider are not the team's.
	w.addQuiz(w.ids["trainer"], t0, "lucerne-admin-role")
	w.addQuiz(w.ids["outsider"], t0, "lucerne-admin-role")
	_ = ctx
	quiz, _ := w.ts.Bank.Quiz("support-check-en")
	best := strconv.Itoa(100 * 4 / len(quiz.Questions))

	want := [][]string{
		{"learner", "email", "kind", "uid", "best", "attempts", "last"},
		{"'=HYPERLINK(\"http://x\")", "evil@example.com", "sandbox", "tenant-wide-mail-outage", "40", "1", at(0)},
		{"Mia Member", "member@example.com", "quiz", "support-check-en", best, "2", at(time.Hour)},
		{"Mia Member", "member@example.com", "sandbox", "tenant-wide-mail-outage", "90", "1", at(2 * time.Hour)},
	}

	t.Run("csv", func(t *testing.T) {
		res := w.clients["trainer"].get(w.teamPath("/scores.csv"))
		if res.Status != 200 {
			t.Fatalf("status %d", res.Status)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		got, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("rows\n got %q\nwant %q", got, want)
		}
		for i := range want {
			if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("row %d\n got %q\nwant %q", i, got[i], want[i])
			}
		}
	})

	t.Run("json", func(t *testing.T) {
		res := w.clients["trainer"].get("/api/v1/teams/" + strconv.FormatInt(w.teamID, 10) + "/scores")
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("status %d type %s", res.Status, res.Header.Get("Content-Type"))
		}
		// Decode keeping key order, to check the exact keys in SPEC's order.
		var raw []json.RawMessage
		if err := json.Unmarshal([]byte(res.Body), &raw); err != nil {
			t.Fatal(err)
		}
		if len(raw) != len(want)-1 {
			t.Fatalf("%d rows: %s", len(raw), res.Body)
		}
		for i, r := range raw {
			dec := json.NewDecoder(strings.NewReader(string(r)))
			var keys []string
			var values []string
			tok, _ := dec.Token() // {
			_ = tok
			for dec.More() {
				k, _ := dec.Token()
				keys = append(keys, k.(string))
				v, _ := dec.Token()
				switch v := v.(type) {
				case string:
					values = append(values, v)
				case float64:
					values = append(values, strconv.FormatFloat(v, 'f', -1, 64))
				}
			}
			if strings.Join(keys, ",") != strings.Join(want[0], ",") {
				t.Errorf("keys %v", keys)
			}
			wantValues := append([]string(nil), want[i+1]...)
			wantValues[0] = strings.TrimPrefix(wantValues[0], "'") // JSON is not a spreadsheet
			if strings.Join(values, "|") != strings.Join(wantValues, "|") {
				t.Errorf("row %d\n got %q\nwant %q", i, values, wantValues)
			}
		}
	})

	t.Run("empty team gives an empty array", func(t *testing.T) {
		res := w.clients["other-trainer"].submit("/teams", "/teams", url.Values{"name": {"Empty"}})
		id := strings.TrimPrefix(res.Header.Get("Location"), "/teams/")
		if got := w.clients["other-trainer"].get("/api/v1/teams/" + id + "/scores"); got.Status != 200 || strings.TrimSpace(got.Body) != "[]" {
			t.Errorf("status %d body %s", got.Status, got.Body)
		}
		if got := w.clients["other-trainer"].get("/teams/" + id + "/scores.csv"); strings.TrimSpace(got.Body) != "learner,email,kind,uid,best,attempts,last" {
			t.Errorf("csv %q", got.Body)
		}
	})
}

func TestTeamsAPI(t *testing.T) {
	w := newTeamWorld(t)
	code := w.code()
	cases := []struct {
		role     string
		wantCode bool
		wantLen  int
	}{
		{"trainer", true, 1},
		{"member", false, 1},
		{"outsider", false, 0},
		{"admin", true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.role, func(t *testing.T) {
			res := w.clients[tc.role].get("/api/v1/teams")
			if res.Status != 200 {
				t.Fatalf("status %d", res.Status)
			}
			var got []map[string]any
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
				t.Fatalf("%v: %s", err, res.Body)
			}
			if len(got) != tc.wantLen {
				t.Fatalf("%d teams: %s", len(got), res.Body)
			}
			if tc.wantLen == 0 {
				if strings.TrimSpace(res.Body) != "[]" {
					t.Errorf("body %s, want []", res.Body)
				}
				return
			}
			team := got[0]
			if team["id"] != float64(w.teamID) || team["name"] != "Helpdesk" {
				t.Errorf("team %v", team)
			}
			c, has := team["code"]
			if has != tc.wantCode || (has && c != code) {
				t.Errorf("code %v present %v, want present %v", c, has, tc.wantCode)
			}
			if len(team) != 2+map[bool]int{true: 1}[tc.wantCode] {
				t.Errorf("keys %v", team)
			}
		})
	}
}

func TestRemoveMember(t *testing.T) {
	w := newTeamWorld(t)
	w.addQuiz(w.ids["member"], time.Now(), "lucerne-admin-role")
	path := w.teamPath("/members/" + strconv.FormatInt(w.ids["member"], 10) + "/remove")
	if res := w.clients["trainer"].submit(w.teamPath(""), path, nil); res.Status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.Status)
	}
	if res := w.clients["member"].get(w.teamPath("")); res.Status != http.StatusNotFound {
		t.Errorf("removed member still sees the team: %d", res.Status)
	}
	if res := w.clients["trainer"].get(w.teamPath("")); strings.Contains(res.Body, "Mia Member") {
		t.Error("removed member still on the dashboard")
	}
	// Their results stay theirs.
	attempts, err := w.ts.DB.ListAttempts(context.Background(), w.ids["member"])
	if err != nil || len(attempts) != 1 {
		t.Errorf("attempts after removal: %d %v", len(attempts), err)
	}
	// Removing again: not a member.
	if res := w.clients["trainer"].submit(w.teamPath(""), path, nil); res.Status != http.StatusNotFound {
		t.Errorf("second removal: %d", res.Status)
	}
}

// TestDashboard checks what the trainer sees against a small seeded team:
// the matrix, the item analysis with its warning and the confusion matrix.
func TestDashboard(t *testing.T) {
	w := newTeamWorld(t)
	learners := []string{"member"}
	for _, k := range []string{"l2", "l3", "l4"} {
		c := w.addAccount(k, "Learner "+k, supportlab.RoleLearner)
		if res := c.submit("/teams", "/teams/join", url.Values{"code": {w.code()}}); res.Status != http.StatusSeeOther {
			t.Fatal(res.Status)
		}
		learners = append(learners, k)
	}
	// Attempts count for the team once the learner joined (SPEC): the
	// seeded ones are made from tomorrow on.
	day := time.Now().UTC().Truncate(24 * time.Hour).Add(24*time.Hour + 10*time.Hour)
	// First attempts: "lucerne-admin-role" is right only for the learners
	// who fail everything else: its discrimination is negative, but four
	// first attempts are too few to say so.
	w.addQuiz(w.ids["member"], day, "severity-services-down", "severity-eac-setting", "severity-password-howto")
	w.addQuiz(w.ids["l2"], day, "severity-services-down", "severity-eac-setting")
	w.addQuiz(w.ids["l3"], day, "lucerne-admin-role", "severity-services-down")
	w.addQuiz(w.ids["l4"], day, "lucerne-admin-role")
	// A later perfect retake must not change the item analysis.
	w.addQuiz(w.ids["l4"], day.Add(48*time.Hour), "lucerne-admin-role", "severity-services-down", "severity-eac-setting",
		"severity-password-howto", "severity-ceo-contact", "who-assigns-severity", "who-can-submit", "submit-request-steps")
	w.addSandbox(w.ids["member"], day, 90, "A")
	w.addSandbox(w.ids["l2"], day, 80, "B")
	w.addSandbox(w.ids["l3"], day, 80, "B")

	res := w.clients["trainer"].get(w.teamPath(""))
	if res.Status != 200 {
		t.Fatalf("status %d", res.Status)
	}
	body := res.Body
	for _, want := range []string{
		"Mia Member", "Learner l4", // the matrix
		"Check your knowledge", "Nobody at Northwind can send or receive mail", // its columns
		"not enough data yet",               // four first attempts only
		"<svg", "Average score of the team", // the chart, with its title
		day.Format(time.DateOnly), day.Add(48 * time.Hour).Format(time.DateOnly), // and its table
		"Expected against chosen triage over 3 sandbox attempts",
		w.code(), "scores.csv",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(body, "check the answer key") {
		t.Error("a question is flagged on four first attempts")
	}

	t.Run("learner member sees only aggregates", func(t *testing.T) {
		res := w.clients["l2"].get(w.teamPath(""))
		if res.Status != 200 {
			t.Fatalf("status %d", res.Status)
		}
		for _, secret := range []string{"Mia Member", "Learner l3", w.code(), "scores.csv", "check the answer key", "/remove"} {
			if strings.Contains(res.Body, secret) {
				t.Errorf("member view shows %q", secret)
			}
		}
		if !strings.Contains(res.Body, "Average score of the team") {
			t.Error("member view lacks the team average")
		}
	})
	t.Run("french", func(t *testing.T) {
		res := w.clients["trainer"].get(w.teamPath("?lang=fr"))
		if !strings.Contains(res.Body, "pas encore assez de données") || !strings.Contains(res.Body, "Gravité A") {
			t.Error("dashboard not in French")
		}
	})
}

// TestTeamPagesEscapeUserText puts markup in a team name and a learner name
// and checks every page that shows them.
func TestTeamPagesEscapeUserText(t *testing.T) {
	w := newTeamWorld(t)
	const teamName = `<script>alert("team")</script>`
	const learnerName = `<img src=x onerror=alert(1)>`
	res := w.clients["trainer"].submit("/teams", "/teams", url.Values{"name": {teamName}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create: %d", res.Status)
	}
	teamPage := res.Header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(teamPage, "/teams/"), 10, 64)
	team, err := w.ts.DB.FindTeam(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	evil := w.addAccount("evil", learnerName, supportlab.RoleLearner)
	if res := evil.submit("/teams", "/teams/join", url.Values{"code": {team.Code}}); res.Status != http.StatusSeeOther {
		t.Fatal(res.Status)
	}
	w.addQuiz(w.ids["evil"], time.Now(), "lucerne-admin-role")

	pages := []struct {
		name   string
		c      *client
		path   string
		wanted string // escaped text that must be there
	}{
		{"dashboard", w.clients["trainer"], teamPage, "&lt;img src=x onerror=alert(1)&gt;"},
		{"dashboard title", w.clients["trainer"], teamPage, "&lt;script&gt;alert(&#34;team&#34;)&lt;/script&gt;"},
		{"member's dashboard", evil, teamPage, "&lt;script&gt;"},
		{"trainer's list", w.clients["trainer"], "/teams", "&lt;script&gt;"},
		{"learner's list", evil, "/teams", "&lt;script&gt;"},
		{"admin's list", w.clients["admin"], "/teams", "&lt;script&gt;"},
		{"admin users", w.clients["admin"], "/admin/users", "&lt;img src=x onerror=alert(1)&gt;"},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			res := p.c.get(p.path)
			if res.Status != 200 {
				t.Fatalf("status %d", res.Status)
			}
			if strings.Contains(res.Body, teamName) || strings.Contains(res.Body, learnerName) || strings.Contains(res.Body, "<script>alert") {
				t.Error("markup from user text reached the page unescaped")
			}
			if !strings.Contains(res.Body, p.wanted) {
				t.Errorf("escaped text %q not found", p.wanted)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		res := w.clients["trainer"].get("/api/v1/teams")
		if strings.Contains(res.Body, "<script>") {
			t.Errorf("raw markup in JSON: %s", res.Body)
		}
	})
}
