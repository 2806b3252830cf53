package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportlab/app/supportlab"
	"supportlab/quizzes"
)

// The trainers' features of issue 10: the editor and its versions, the
// catalogue, assignments, one member's record and the join-date rule, each
// route tried with each role.

// editorQuiz is a two-question quiz whose answer key the tests change
// between versions: key names the right choice (0 or 1) of question a.
func editorQuiz(uid string, key int, title string) string {
	right, wrong := "true", "false"
	if key == 1 {
		right, wrong = "false", "true"
	}
	return "uid: " + uid + `
title: "` + title + `"
lang: en
questions:
- id: a
  content: "Who sets the final severity?"
  choices:
  - content: "Microsoft support"
    isCorrect: ` + right + `
    explanation: "Microsoft confirms it."
  - content: "The admin alone"
    isCorrect: ` + wrong + `
    explanation: "The admin proposes it."
- id: b
  content: "Who files the request?"
  choices:
  - content: "An admin with a support role"
    isCorrect: true
    explanation: "Reader roles cannot file."
  - content: "Any user"
    explanation: "Users go through their admin."
`
}

// save posts an editor text to /author/save as c.
func (c *client) save(text, format, uid string) response {
	c.ts.t.Helper()
	return c.submit("/author/new", "/author/save", url.Values{"text": {text}, "format": {format}, "uid": {uid}})
}

// myScores returns the learner's attempts at uid from the API, newest
// first, as "v<version>:<score>".
func (c *client) myScores(uid string) []string {
	c.ts.t.Helper()
	res := c.get("/api/v1/me/attempts")
	var list []struct {
		UID     string `json:"uid"`
		Version int    `json:"version"`
		Score   int    `json:"score"`
	}
	if err := json.Unmarshal([]byte(res.Body), &list); err != nil {
		c.ts.t.Fatalf("attempts: %v: %s", err, res.Body)
	}
	var out []string
	for _, a := range list {
		if a.UID == uid {
			out = append(out, "v"+strconv.Itoa(a.Version)+":"+strconv.Itoa(a.Score))
		}
	}
	return out
}

// answerFirst submits one of editorQuiz's quizzes choosing the first
// choice of both questions; for a shipped quiz, the first choice of its
// first question.
func (c *client) answerFirst(uid string) response {
	c.ts.t.Helper()
	form := url.Values{"q-a": {"0"}, "q-b": {"0"}}
	if q, err := c.ts.Bank.Quiz(uid); err == nil && q.Question("a") == nil {
		form = url.Values{"q-" + q.Questions[0].ID: {"0"}}
	}
	return c.submit("/quiz/"+uid, "/quiz/"+uid, form)
}

// formPage is a page of c's that holds a form, for a CSRF token.
func (c *client) formPage() string {
	c.ts.t.Helper()
	if strings.Contains(c.get("/me").Header.Get("Location"), "/login") {
		return "/login"
	}
	return "/me"
}

// TestEditorRoundTrip saves a quiz, edits it, restores the first version,
// retires it and brings it back, and checks at each step how the same
// answers are graded and what learners and trainers see.
func TestEditorRoundTrip(t *testing.T) {
	w := newTeamWorld(t)
	trainer, learner := w.clients["trainer"], w.clients["member"]
	const uid = "round.trip-check"

	// Save: version 1, where the first choice of a is right.
	res := trainer.save(editorQuiz(uid, 0, "Round trip"), "yaml", "")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/author/"+uid {
		t.Fatalf("save: %d %q %.300s", res.Status, res.Header.Get("Location"), res.Body)
	}
	if res := learner.answerFirst(uid); res.Status != http.StatusSeeOther {
		t.Fatalf("answer v1: %d", res.Status)
	}

	// Edit: the editor holds the text as saved; version 2 flips the key.
	edit := trainer.get("/author/" + uid + "/edit")
	if edit.Status != http.StatusOK {
		t.Fatalf("edit: %d", edit.Status)
	}
	mustContain(t, "editor", html.UnescapeString(edit.Body), "Who sets the final severity?", `<textarea id="editor-text"`, "isCorrect: true")
	if res := trainer.save(editorQuiz(uid, 1, "Round trip"), "yaml", ""); res.Status != http.StatusSeeOther {
		t.Fatalf("save v2: %d", res.Status)
	}
	learner.answerFirst(uid)

	// Restore version 1 as version 3: it grades like version 1.
	res = trainer.submit("/author/"+uid, "/author/"+uid+"/restore", url.Values{"version": {"1"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/author/"+uid {
		t.Fatalf("restore: %d %q", res.Status, res.Header.Get("Location"))
	}
	learner.answerFirst(uid)
	if got, want := strings.Join(learner.myScores(uid), ","), "v3:100,v2:50,v1:100"; got != want {
		t.Errorf("scores %s, want %s", got, want)
	}

	// The versions page: three versions, each with its author and its
	// question count, the diff of each to the one before, the sources.
	hist := trainer.get("/author/" + uid)
	if hist.Status != http.StatusOK {
		t.Fatalf("history: %d", hist.Status)
	}
	page := html.UnescapeString(hist.Body)
	mustContain(t, "versions page", page, "version 1", "version 2", "version 3", "Tess Trainer",
		"Version 2 compared with version 1: 2 lines removed, 2 added", `<del>    isCorrect: true</del>`, `<ins>    isCorrect: false</ins>`,
		"/author/"+uid+"/versions/1/source")
	if n := strings.Count(hist.Body, "<td>2</td>"); n != 3 {
		t.Errorf("%d versions with 2 questions, want 3", n)
	}
	src := trainer.get("/author/" + uid + "/versions/2/source")
	if src.Status != http.StatusOK || !strings.HasPrefix(src.Header.Get("Content-Type"), "text/plain") || src.Body != editorQuiz(uid, 1, "Round trip") {
		t.Errorf("source of v2: %d %s\n%s", src.Status, src.Header.Get("Content-Type"), src.Body)
	}

	// Retire: learners get 404 and no list shows it; attempts and
	// versions stay; trainers still see it on /author.
	if res := trainer.submit("/author/"+uid, "/author/"+uid+"/retire", url.Values{"retired": {"true"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("retire: %d", res.Status)
	}
	for _, c := range []*client{learner, w.clients["anonymous"]} {
		if res := c.get("/quiz/" + uid); res.Status != http.StatusNotFound {
			t.Errorf("retired quiz: %d, want 404", res.Status)
		}
		if res := c.submit(c.formPage(), "/quiz/"+uid, url.Values{"q-a": {"0"}}); res.Status != http.StatusNotFound {
			t.Errorf("answering a retired quiz: %d, want 404", res.Status)
		}
		mustNotContain(t, "catalogue", c.get("/quizzes").Body, "/quiz/"+uid)
	}
	if got := learner.myScores(uid); len(got) != 3 {
		t.Errorf("attempts after retiring: %v", got)
	}
	mustContain(t, "author page", trainer.get("/author").Body, uid, "retired")
	mustContain(t, "versions page", trainer.get("/author/"+uid).Body, "Bring back")

	// Bring it back: version 3 is live again.
	if res := trainer.submit("/author/"+uid, "/author/"+uid+"/retire", url.Values{"retired": {"false"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("unretire: %d", res.Status)
	}
	if res := learner.get("/quiz/" + uid); res.Status != http.StatusOK {
		t.Errorf("quiz brought back: %d", res.Status)
	}
	mustContain(t, "catalogue", learner.get("/quizzes").Body, "/quiz/"+uid)
	learner.answerFirst(uid)
	if got := learner.myScores(uid); len(got) != 4 || got[0] != "v3:100" {
		t.Errorf("scores after bringing back: %v", got)
	}

	t.Run("a value of retired that is neither true nor false", func(t *testing.T) {
		if res := trainer.submit("/author/"+uid, "/author/"+uid+"/retire", url.Values{"retired": {"yes"}}); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("status %d, want 422", res.Status)
		}
	})
	t.Run("restoring a version that does not exist", func(t *testing.T) {
		res := trainer.submit("/author/"+uid, "/author/"+uid+"/restore", url.Values{"version": {"9"}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose a version") {
			t.Errorf("status %d", res.Status)
		}
	})
}

// TestEditorPreview checks the preview without JavaScript (a whole page)
// and as the script asks for it (the region alone): the learner's view of a
// valid text, every problem of an invalid one as "line N: message" linked
// to the text, and nothing stored either way.
func TestEditorPreview(t *testing.T) {
	w := newTeamWorld(t)
	trainer := w.clients["trainer"]
	preview := func(form url.Values, headers ...string) response {
		t.Helper()
		form.Set("_csrf", trainer.csrf("/author/new"))
		req, _ := http.NewRequest(http.MethodPost, w.ts.URL+"/author/preview", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		return trainer.do(req)
	}
	bad := strings.Replace(editorQuiz("preview-check", 0, "Preview"), "isCorrect: true\n    explanation: \"Microsoft confirms it.\"", "iscorrect: true", 1)
	bad = strings.Replace(bad, "lang: en", "lang: de", 1)

	tests := []struct {
		name       string
		form       url.Values
		headers    []string
		status     int
		want, lack []string
	}{
		{"valid quiz, whole page", url.Values{"text": {editorQuiz("preview-check", 0, "Preview <b>title</b>")}, "format": {"yaml"}}, nil, 200,
			[]string{"<h1>", `id="editor-text"`, "No problem found", "Preview &lt;b&gt;title&lt;/b&gt;", `name="q-a"`, "Who sets the final severity?", "Question 1"},
			[]string{"<b>title</b>", `action="/quiz/preview-check"`}},
		{"valid quiz, region only", url.Values{"text": {editorQuiz("preview-check", 0, "Preview")}, "format": {"yaml"}}, []string{"X-Preview-Fragment", "1"}, 200,
			[]string{`<section id="preview"`, `data-status="No problem found`, "Who sets the final severity?"},
			[]string{"<html", "<h1>", `id="editor-text"`}},
		{"every problem with its line", url.Values{"text": {bad}, "format": {"yaml"}}, nil, 422,
			[]string{`href="#editor-text" class="problem-line" data-line="3">line 3: lang must be en or fr`, `data-line="8">line 8: question &#34;a&#34;, choice 1 has no explanation`,
				`data-line="9">line 9: unknown field &#34;iscorrect&#34;`, "3 problems to fix before saving"},
			nil},
		{"problems in the region only", url.Values{"text": {bad}, "format": {"yaml"}}, []string{"X-Preview-Fragment", "1"}, 422,
			[]string{"line 3: ", "line 8: ", "line 9: ", `data-status="3 problems to fix before saving"`}, []string{"<html"}},
		{"GIFT needs a uid", url.Values{"text": {"::a:: Who sets severity? {=Microsoft ~The admin}"}, "format": {"gift"}}, nil, 422,
			[]string{"Type one in the uid field", `aria-invalid="true"`}, nil},
		{"GIFT with a uid", url.Values{"text": {"::a:: Who sets severity? {=Microsoft #Right. ~The admin #Wrong.}"}, "format": {"gift"}, "uid": {"gift.preview"}, "title": {"GIFT check"}}, nil, 200,
			[]string{"GIFT check", "Who sets severity?"}, nil},
		{"unknown format", url.Values{"text": {"x"}, "format": {"docx"}}, nil, 422, []string{"YAML, GIFT or Aiken"}, nil},
		{"no format is YAML", url.Values{"text": {editorQuiz("preview-check", 0, "No format")}}, nil, 200, []string{"No format", "Who files the request?"}, nil},
		{"markup in a question is text", url.Values{"text": {strings.Replace(editorQuiz("preview-check", 0, "P"), "Who files the request?", "<script>alert(1)</script> Who files?", 1)}, "format": {"yaml"}}, nil, 200,
			[]string{"Who files?"}, []string{"<script>alert(1)</script>"}},
		{"a scenario", url.Values{"text": {"uid: preview-scenario\ntitle: Mail is down\nlang: en\nsituation: Nobody can send mail.\nexpect:\n  action: open-request\n  product: exchange-online\n  severity: A\nexplanation: Everyone is blocked.\n"}, "format": {"yaml"}}, nil, 200,
			[]string{"Mail is down", "Nobody can send mail.", "Exchange Online", "severity A", "Everyone is blocked."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := preview(tt.form, tt.headers...)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d: %.500s", res.Status, tt.status, res.Body)
			}
			mustContain(t, "preview", res.Body, tt.want...)
			mustNotContain(t, "preview", res.Body, tt.lack...)
		})
	}
	// Nothing was stored.
	for _, uid := range []string{"preview-check", "gift.preview", "preview-scenario"} {
		if res := w.clients["member"].get("/quiz/" + uid); res.Status != http.StatusNotFound {
			t.Errorf("a preview made %s live: %d", uid, res.Status)
		}
		if res := trainer.get("/author/" + uid); res.Status != http.StatusNotFound {
			t.Errorf("a preview stored %s: %d", uid, res.Status)
		}
	}

	t.Run("a refused save keeps the text and lists the problems", func(t *testing.T) {
		res := trainer.save(bad, "yaml", "")
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.Status)
		}
		mustContain(t, "refused save", res.Body, "line 3: ", "iscorrect: true", `id="editor-text"`)
	})
}

// TestEditorOpensShippedFiles: a shipped quiz opens on its file's text, and
// its versions page lists the version the app was started with.
func TestEditorOpensShippedFiles(t *testing.T) {
	w := newTeamWorld(t)
	file, err := fs.ReadFile(quizzes.FS, "support-check-en.yml")
	if err != nil {
		t.Fatal(err)
	}
	res := w.clients["trainer"].get("/author/support-check-en/edit")
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	text := regexp.MustCompile(`(?s)<textarea[^>]*>\n(.*?)</textarea>`).FindStringSubmatch(res.Body)
	if text == nil || html.UnescapeString(text[1]) != string(file) {
		t.Errorf("the editor does not hold the shipped file")
	}
	hist := w.clients["admin"].get("/author/support-check-en")
	mustContain(t, "versions of a shipped quiz", hist.Body, "shipped with SupportLab", "version 1")
	src := w.clients["admin"].get("/author/support-check-en/versions/1/source")
	if src.Body != string(file) {
		t.Errorf("source of the shipped version differs from the file")
	}
	// A scenario is found by its uid as well.
	if res := w.clients["trainer"].get("/author/tenant-wide-mail-outage/edit"); res.Status != http.StatusOK || !strings.Contains(res.Body, "situation:") {
		t.Errorf("scenario editor: %d", res.Status)
	}
}

// TestTrainerRoutesAccess walks every route of issue 10 with every role:
// trainers' pages refuse learners (403) and send visitors to sign in; team
// routes answer 404 to whoever is not the team's trainer or an admin.
func TestTrainerRoutesAccess(t *testing.T) {
	w := newTeamWorld(t)
	ctx := context.Background()
	// A learner of another team, trained by the other trainer.
	otherTeam, err := w.ts.DB.CreateTeam(ctx, "Other team", w.ids["other-trainer"])
	if err != nil {
		t.Fatal(err)
	}
	w.addAccount("other-member", "Omar Other", supportlab.RoleLearner)
	if _, _, err := w.ts.DB.JoinTeam(ctx, w.ids["other-member"], otherTeam.Code); err != nil {
		t.Fatal(err)
	}
	const uid = "access-check"
	if res := w.clients["trainer"].save(editorQuiz(uid, 0, "Access"), "yaml", ""); res.Status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.Status)
	}
	assign := func() string {
		a := &supportlab.Assignment{TeamID: w.teamID, Kind: supportlab.KindQuiz, UID: uid}
		if err := w.ts.DB.SaveAssignment(ctx, a); err != nil {
			t.Fatal(err)
		}
		return strconv.FormatInt(a.ID, 10)
	}
	aid := assign()
	_ = aid
	member := strconv.FormatInt(w.ids["member"], 10)
	unretire := func() {
		if res := w.clients["admin"].submit("/author/"+uid, "/author/"+uid+"/retire", url.Values{"retired": {"false"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("bring back: %d", res.Status)
		}
	}
	validText := url.Values{"text": {editorQuiz(uid, 0, "Access")}, "format": {"yaml"}}

	roles := []string{"anonymous", "outsider", "other-member", "member", "trainer", "other-trainer", "admin"}
	rows := []struct {
		method, path string
		form         url.Values
		want         [7]int
		undo         func()
	}{
		{"GET", "/author/new", nil, [7]int{303, 403, 403, 403, 200, 200, 200}, nil},
		{"GET", "/author/" + uid + "/edit", nil, [7]int{303, 403, 403, 403, 200, 200, 200}, nil},
		{"GET", "/author/no-such-quiz/edit", nil, [7]int{303, 403, 403, 403, 404, 404, 404}, nil},
		{"POST", "/author/preview", validText, [7]int{401, 403, 403, 403, 200, 200, 200}, nil},
		{"POST", "/author/save", validText, [7]int{401, 403, 403, 403, 303, 303, 303}, nil},
		{"GET", "/author/" + uid, nil, [7]int{303, 403, 403, 403, 200, 200, 200}, nil},
		{"GET", "/author/" + uid + "/versions/1/source", nil, [7]int{303, 403, 403, 403, 200, 200, 200}, nil},
		{"GET", "/author/" + uid + "/versions/99/source", nil, [7]int{303, 403, 403, 403, 404, 404, 404}, nil},
		{"POST", "/author/" + uid + "/restore", url.Values{"version": {"1"}}, [7]int{401, 403, 403, 403, 303, 303, 303}, nil},
		{"POST", "/author/" + uid + "/retire", url.Values{"retired": {"true"}}, [7]int{401, 403, 403, 403, 303, 303, 303}, unretire},
		{"GET", "/quizzes", nil, [7]int{200, 200, 200, 200, 200, 200, 200}, nil},
		{"GET", "/api/v1/me/assignments", nil, [7]int{401, 200, 200, 200, 200, 200, 200}, nil},
		{"GET", w.teamPath("/members/" + member), nil, [7]int{303, 404, 404, 404, 200, 404, 200}, nil},
		{"GET", w.teamPath("/members/" + strconv.FormatInt(w.ids["outsider"], 10)), nil, [7]int{303, 404, 404, 404, 404, 404, 404}, nil},
		{"GET", w.teamPath("/members/" + strconv.FormatInt(w.ids["trainer"], 10)), nil, [7]int{303, 404, 404, 404, 404, 404, 404}, nil},
		{"GET", "/teams/999999/members/" + member, nil, [7]int{303, 404, 404, 404, 404, 404, 404}, nil},
		{"POST", w.teamPath("/assignments"), url.Values{"kind": {"quiz"}, "uid": {uid}, "due": {"2030-01-31"}}, [7]int{401, 404, 404, 403, 303, 404, 303}, nil},
		{"POST", w.teamPath("/assignments"), url.Values{"kind": {"quiz"}, "uid": {"nope"}}, [7]int{401, 404, 404, 403, 422, 404, 422}, nil},
		{"POST", w.teamPath("/assignments/AID/delete"), nil, [7]int{401, 404, 404, 403, 303, 404, 303}, func() { aid = assign() }},
		{"POST", w.teamPath("/assignments/999999/delete"), nil, [7]int{401, 404, 404, 403, 404, 404, 404}, nil},
	}
	for _, row := range rows {
		for i, role := range roles {
			c := w.clients[role]
			path := strings.ReplaceAll(row.path, "AID", aid) // the assignment of the moment
			var res response
			if row.method == "GET" {
				res = c.get(path)
			} else {
				form := url.Values{}
				for k, v := range row.form {
					form[k] = append([]string(nil), v...)
				}
				page := "/teams"
				if role == "anonymous" {
					page = "/login"
				}
				res = c.submit(page, path, form)
			}
			if res.Status != row.want[i] {
				t.Errorf("%s %s as %s: status %d, want %d", row.method, path, role, res.Status, row.want[i])
			}
			if row.want[i] == 303 && row.method == "GET" && role == "anonymous" && !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("%s %s as anonymous: redirect to %q, want the sign-in page", row.method, path, res.Header.Get("Location"))
			}
			if row.undo != nil && res.Status < 400 && row.method == "POST" {
				row.undo()
			}
		}
	}
}

// TestAssignments gives the team work and follows it through a member's
// pages, the API and the dashboard: to do, done, late, missing, a module,
// and deletion.
func TestAssignments(t *testing.T) {
	w := newTeamWorld(t)
	trainer, member := w.clients["trainer"], w.clients["member"]
	const uid = "assigned-check"
	if res := trainer.save(editorQuiz(uid, 0, "Assigned check"), "yaml", ""); res.Status != http.StatusSeeOther {
		t.Fatal(res.Status)
	}
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	lastYear := time.Now().UTC().AddDate(-1, 0, 0).Format(time.DateOnly)
	for _, f := range []url.Values{
		{"kind": {"quiz"}, "uid": {uid}, "due": {tomorrow}},
		{"kind": {"sandbox"}, "uid": {"tenant-wide-mail-outage"}, "due": {lastYear}},
		{"kind": {"module"}, "uid": {moduleSlug}},
	} {
		if res := trainer.submit(w.teamPath(""), w.teamPath("/assignments"), f); res.Status != http.StatusSeeOther || res.Header.Get("Location") != w.teamPath("#assignments") {
			t.Fatalf("assign %v: %d %s", f, res.Status, res.Header.Get("Location"))
		}
	}

	type apiAssignment struct {
		Team int64   `json:"team"`
		Kind string  `json:"kind"`
		UID  string  `json:"uid"`
		Due  *string `json:"due"`
		Done bool    `json:"done"`
	}
	api := func() []apiAssignment {
		t.Helper()
		res := member.get("/api/v1/me/assignments")
		var list []apiAssignment
		if err := json.Unmarshal([]byte(res.Body), &list); err != nil || res.Status != 200 {
			t.Fatalf("api: %d %v %s", res.Status, err, res.Body)
		}
		return list
	}
	list := api()
	if len(list) != 3 || list[0].Team != w.teamID || list[0].Kind != "quiz" || list[0].UID != uid || list[0].Due == nil || *list[0].Due != tomorrow || list[0].Done ||
		list[2].Kind != "module" || list[2].Due != nil {
		t.Fatalf("api before: %+v", list)
	}
	if raw := member.get("/api/v1/me/assignments").Body; !strings.Contains(raw, `"due":null`) {
		t.Errorf("no due date is not null: %s", raw)
	}
	mustContain(t, "/me", member.get("/me").Body, "My assignments", "Assigned check", "To do", "Overdue", "from Helpdesk")
	mustContain(t, "home", member.get("/").Body, "My assignments", "Assigned check", "To do", "Overdue", "from Helpdesk")
	mustNotContain(t, "home of a visitor", w.clients["anonymous"].get("/").Body, "My assignments")
	if body := w.clients["outsider"].get("/api/v1/me/assignments").Body; body != "[]" {
		t.Errorf("an outsider's assignments: %s", body)
	}

	// The member passes the quiz (on time) and the scenario (late).
	member.answerFirst(uid)
	res := member.submit("/sandbox/tenant-wide-mail-outage", "/sandbox/tenant-wide-mail-outage", url.Values{
		"action": {"open-request"}, "product": {"exchange-online"}, "severity": {"A"},
		"title": {"Mail down"}, "description": {"Nobody in the tenant can send or receive mail since 9:00."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("sandbox: %d", res.Status)
	}
	list = api()
	if !list[0].Done || !list[1].Done || list[2].Done {
		t.Errorf("api after: %+v", list)
	}
	mustContain(t, "/me after", member.get("/me").Body, "Done", "Done late")

	// The dashboard's columns are the assignments.
	dash := trainer.get(w.teamPath(""))
	mustContain(t, "dashboard", dash.Body, "Assigned check", "due "+tomorrow, "done", "late", "not yet", "1 done · 0 late · 0 missing",
		`href="/teams/`+strconv.FormatInt(w.teamID, 10)+`/members/`+strconv.FormatInt(w.ids["member"], 10)+`"`)

	// Assigning again changes the due date; a bad date is refused on the
	// dashboard with the form as sent.
	if res := trainer.submit(w.teamPath(""), w.teamPath("/assignments"), url.Values{"kind": {"quiz"}, "uid": {uid}, "due": {"2031-02-30"}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "is not a date") {
		t.Errorf("bad date: %d", res.Status)
	}
	trainer.submit(w.teamPath(""), w.teamPath("/assignments"), url.Values{"kind": {"quiz"}, "uid": {uid}})
	if list := api(); len(list) != 3 || list[0].Due != nil || !list[0].Done {
		t.Errorf("after changing the due date: %+v", list)
	}

	// Deleting one takes it off the member's list.
	a, err := w.ts.DB.TeamAssignments(context.Background(), w.teamID)
	if err != nil {
		t.Fatal(err)
	}
	if res := trainer.submit(w.teamPath(""), w.teamPath("/assignments/"+strconv.FormatInt(a[1].ID, 10)+"/delete"), nil); res.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.Status)
	}
	if list := api(); len(list) != 2 || list[1].Kind != "module" {
		t.Errorf("after delete: %+v", list)
	}
}

// TestJoinDateRuleOnTeamPages: attempts made before joining stay on the
// learner's own record and the member page, not in the team's scores.
func TestJoinDateRuleOnTeamPages(t *testing.T) {
	w := newTeamWorld(t)
	late := w.addAccount("late", "Lou Late", supportlab.RoleLearner)
	late.answerFirst("support-check-en") // before joining: not the team's
	// The rule counts an attempt made in the same millisecond as the
	// joining, which a fast machine can reach: join in a later one.
	time.Sleep(2 * time.Millisecond)
	if res := late.submit("/teams", "/teams/join", url.Values{"code": {w.code()}}); res.Status != http.StatusSeeOther {
		t.Fatal(res.Status)
	}
	csv := w.clients["trainer"].get(w.teamPath("/scores.csv")).Body
	if strings.Contains(csv, "Lou Late") {
		t.Errorf("scores.csv counts an attempt made before joining:\n%s", csv)
	}
	late.answerFirst("support-check-en")
	csv = w.clients["trainer"].get(w.teamPath("/scores.csv")).Body
	if !strings.Contains(csv, "Lou Late,late@example.com,quiz,support-check-en,") || !strings.Contains(csv, ",1,") {
		t.Errorf("scores.csv lacks the attempt made after joining:\n%s", csv)
	}
	page := w.clients["trainer"].get(w.teamPath("/members/" + strconv.FormatInt(w.ids["late"], 10)))
	if n := strings.Count(page.Body, `<a href="/me/attempts/`); n != 2 {
		t.Errorf("member page lists %d attempts, want both", n)
	}
}

// TestMemberPage: one learner's attempts link to their reviews, with their
// progress; markup in names is shown as text.
func TestMemberPage(t *testing.T) {
	w := newTeamWorld(t)
	evil := w.addAccount("evil", `<img src=x onerror=alert(1)>`, supportlab.RoleLearner)
	if res := evil.submit("/teams", "/teams/join", url.Values{"code": {w.code()}}); res.Status != http.StatusSeeOther {
		t.Fatal(res.Status)
	}
	res := evil.answerFirst("support-check-en")
	review := res.Header.Get("Location")
	evil.get("/learn/" + moduleSlug + "/severity-levels")
	page := w.clients["trainer"].get(w.teamPath("/members/" + strconv.FormatInt(w.ids["evil"], 10)))
	if page.Status != http.StatusOK {
		t.Fatalf("status %d", page.Status)
	}
	mustContain(t, "member page", page.Body, `href="`+review+`"`, "&lt;img src=x onerror=alert(1)&gt;", "Check your knowledge", "1 of")
	mustNotContain(t, "member page", page.Body, "<img src=x")
	if res := w.clients["trainer"].get(review); res.Status != http.StatusOK {
		t.Errorf("the trainer cannot open the review: %d", res.Status)
	}
}

// TestQuizCatalogue: every live quiz of the reader's language by module,
// imported ones too, with my best score when signed in.
func TestQuizCatalogue(t *testing.T) {
	w := newTeamWorld(t)
	if res := w.clients["trainer"].save(editorQuiz("catalogue-extra", 0, "Extra <i>check</i>"), "yaml", ""); res.Status != http.StatusSeeOther {
		t.Fatal(res.Status)
	}
	anon := w.clients["anonymous"].get("/quizzes?lang=en")
	mustContain(t, "catalogue", anon.Body, `href="/quiz/support-check-en"`, `href="/quiz/catalogue-extra"`, "Extra &lt;i&gt;check&lt;/i&gt;", "Other quizzes",
		`href="/learn/`+moduleSlug+`"`, "Sign in to keep your results")
	mustNotContain(t, "catalogue", anon.Body, "support-check-fr", "My best score")
	fr := w.clients["anonymous"].get("/quizzes?lang=fr")
	mustContain(t, "French catalogue", fr.Body, "/quiz/support-check-fr")
	for _, run := range pageText(fr.Body) {
		if frenchSpacing.MatchString(run) {
			t.Errorf("French catalogue: ordinary space before French punctuation in %q", run)
		}
	}
	mustNotContain(t, "French catalogue", fr.Body, "/quiz/support-check-en", "catalogue-extra")

	member := w.clients["member"]
	member.answerFirst("catalogue-extra")
	mustContain(t, "signed-in catalogue", member.get("/quizzes?lang=en").Body, "My best score", "100%", "not tried yet")
}

// TestItemAnalysisByVersion seeds twenty-one learners whose first attempt
// makes one question's discrimination negative, then checks the flag, the
// coefficient, the questions by text in the quiz's order, and the picker.
func TestItemAnalysisByVersion(t *testing.T) {
	w := newTeamWorld(t)
	ctx := context.Background()
	q, err := w.ts.Bank.Quiz("support-check-en")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(time.Hour)
	for i := range 21 {
		key := "l" + strconv.Itoa(i)
		u, err := w.ts.DB.CreateUser(ctx, supportlab.NewUser{Email: key + "@example.com", Name: "Learner " + key, Password: teamTestPassword})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.ts.DB.JoinTeam(ctx, u.ID, w.code()); err != nil {
			t.Fatal(err)
		}
		// The strong half gets everything but the first question right;
		// the weak half gets only the first right.
		var right []string
		if i%2 == 0 {
			for _, qq := range q.Questions[1:] {
				right = append(right, qq.ID)
			}
		} else {
			right = []string{q.Questions[0].ID}
		}
		w.addQuiz(u.ID, at, right...)
	}
	body := w.clients["trainer"].get(w.teamPath("")).Body
	mustContain(t, "item analysis", body, "check the answer key", "-1.00", string(q.Questions[0].ContentHTML))
	mustNotContain(t, "item analysis", body, "not enough data yet")
	if strings.Index(body, string(q.Questions[0].ContentHTML)) > strings.Index(body, string(q.Questions[1].ContentHTML)) {
		t.Error("questions are not in the quiz's order")
	}
	// An attempt at another version makes a version picker appear.
	a := &supportlab.Attempt{UserID: w.ids["member"], Kind: supportlab.KindQuiz, UID: q.UID, Version: q.Version + 1, At: at,
		Asked: []string{q.Questions[0].ID}, Answers: map[string][]int{}, Right: map[string]bool{}}
	if err := w.ts.DB.CreateAttempt(ctx, a); err != nil {
		t.Fatal(err)
	}
	body = w.clients["trainer"].get(w.teamPath("")).Body
	mustContain(t, "picker", body, `name="version"`, `<option value="`+strconv.Itoa(q.Version)+`"`)
	older := w.clients["trainer"].get(w.teamPath("?quiz=support-check-en&version=" + strconv.Itoa(q.Version))).Body
	mustContain(t, "older version", older, "check the answer key")
}

// TestVersionsPageEscapesText: a quiz's text, its title and its author's
// name are shown as text on the versions page and in the diff.
func TestVersionsPageEscapesText(t *testing.T) {
	w := newTeamWorld(t)
	evil := w.addAccount("evil-trainer", `<b onmouseover=alert(1)>Eve</b>`, supportlab.RoleTrainer)
	const uid = "escape-check"
	for _, title := range []string{`<script>alert(1)</script>`, `<img src=x onerror=alert(2)>`} {
		if res := evil.save(editorQuiz(uid, 0, title), "yaml", ""); res.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %.300s", res.Status, res.Body)
		}
	}
	page := evil.get("/author/" + uid)
	mustContain(t, "versions page", page.Body, "&lt;b onmouseover=alert(1)&gt;Eve&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;")
	mustNotContain(t, "versions page", page.Body, "<script>alert", "<img src=x", "<b onmouseover")
	edit := evil.get("/author/" + uid + "/edit")
	mustNotContain(t, "editor", edit.Body, "<img src=x", "</textarea><")
}

// TestEditorAiken: an Aiken text previews and saves, and the page says
// that its format has no explanations.
func TestEditorAiken(t *testing.T) {
	w := newTeamWorld(t)
	const text = "Who sets the final severity?\nA. Microsoft support\nB. The admin alone\nANSWER: A\n"
	res := w.clients["trainer"].submit("/author/new", "/author/preview", url.Values{"text": {text}, "format": {"aiken"}, "uid": {"aiken-check"}, "title": {"Aiken check"}, "lang": {"en"}})
	if res.Status != http.StatusOK {
		t.Fatalf("preview: %d %.500s", res.Status, res.Body)
	}
	mustContain(t, "Aiken preview", res.Body, "Aiken check", "Who sets the final severity?", "(no explanations)")
	res = w.clients["trainer"].save(text, "aiken", "aiken-check")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/author/aiken-check" {
		t.Fatalf("save: %d %s", res.Status, res.Header.Get("Location"))
	}
	mustContain(t, "flash", w.clients["trainer"].follow(res).Body, "no explanations")
	if edit := w.clients["trainer"].get("/author/aiken-check/edit"); !strings.Contains(edit.Body, `<option value="aiken" selected>`) {
		t.Error("the editor does not reopen an Aiken text as Aiken")
	}
}
