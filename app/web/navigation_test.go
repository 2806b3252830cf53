package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFlashShowsOnce(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.signup("ada@example.com", "Ada", "correct horse battery")
	// The next page, whatever its path, shows the message; later pages do not.
	for i, path := range []string{"/learn/get-help-from-microsoft/severity-levels", "/quiz/support-check-en", "/"} {
		res := c.get(path)
		shown := strings.Contains(res.Body, `class="flash"`)
		if shown != (i == 0) {
			t.Fatalf("GET %s (page %d after sign-up): flash shown = %v", path, i+1, shown)
		}
	}
}

func TestSandboxLanguageSwitchFollowsTheScenario(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	res := c.get("/sandbox/tenant-wide-mail-outage?lang=fr")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/sandbox/tenant-wide-mail-outage-fr?lang=fr" {
		t.Fatalf("status %d location %q", res.Status, res.Header.Get("Location"))
	}
	res = c.get("/sandbox/tenant-wide-mail-outage-fr?lang=en")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/sandbox/tenant-wide-mail-outage?lang=en" {
		t.Fatalf("back to English: status %d location %q", res.Status, res.Header.Get("Location"))
	}
	// Without ?lang the scenario asked for is shown, whatever the language.
	if res := c.get("/sandbox/tenant-wide-mail-outage"); res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
}

func TestUnitAlsoFoundByFileName(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	a := c.get("/learn/get-help-from-microsoft/severity-levels")
	b := c.get("/learn/get-help-from-microsoft/02-severity-levels")
	if a.Status != http.StatusOK || b.Status != http.StatusOK || !strings.Contains(b.Body, `id="severity"`) {
		t.Fatalf("statuses %d and %d", a.Status, b.Status)
	}
	if res := c.get("/learn/get-help-from-microsoft/03-severity-levels"); res.Status != http.StatusNotFound {
		t.Fatalf("a wrong number must not match: %d", res.Status)
	}
}

func TestFormsRefuseInvalidUTF8(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	tok := c.csrf("/signup")
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/signup",
		strings.NewReader("_csrf="+tok+"&email=%ff%40x.test&name=Ada&password=correct+horse+battery"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := c.do(req)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "not valid UTF-8") {
		t.Fatalf("status %d, want 422 with a message", res.Status)
	}
	users, err := ts.DB.ListUsers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 0 {
		t.Fatalf("%d users created from an invalid form", len(users))
	}
}

func TestUnitWithoutItsQuizStillShows(t *testing.T) {
	// A trainer's own quiz folder beside the embedded lessons: the
	// knowledge-check unit loses its check, not its page.
	dir := t.TempDir()
	quiz := "uid: own-check\ntitle: Own\nlang: en\nquestions:\n- id: a\n  content: Q\n  choices:\n  - content: x\n    isCorrect: true\n    explanation: e\n  - content: y\n    explanation: e\n"
	if err := os.WriteFile(filepath.Join(dir, "own.yml"), []byte(quiz), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := newTestServerWith(t, options{Quizzes: os.DirFS(dir)})
	res := ts.newClient().get("/learn/get-help-from-microsoft/knowledge-check")
	if res.Status != http.StatusOK || strings.Contains(res.Body, `class="quiz-form"`) {
		t.Fatalf("status %d, quiz form shown: %v", res.Status, strings.Contains(res.Body, `class="quiz-form"`))
	}
	if res := ts.newClient().get("/quiz/own-check"); res.Status != http.StatusOK {
		t.Fatalf("own quiz: %d", res.Status)
	}
}
