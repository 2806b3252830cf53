package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

// quizAnswers is a form answering quiz uid: rightly when right is true,
// else with the first wrong choice of every question.
func (ts *testServer) quizAnswers(uid string, right bool) url.Values {
	ts.t.Helper()
	q, err := ts.Bank.Quiz(uid)
	if err != nil {
		ts.t.Fatal(err)
	}
	form := url.Values{}
	for _, qq := range q.Questions {
		for i, ch := range qq.Choices {
			if ch.IsCorrect == right {
				form.Add("q-"+qq.ID, strconv.Itoa(i))
				if !right {
					break
				}
			}
		}
	}
	return form
}

func myAttempts(t *testing.T, c *client) []map[string]any {
	t.Helper()
	res := c.get("/api/v1/me/attempts")
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("/api/v1/me/attempts: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(res.Body), &list); err != nil {
		t.Fatalf("decode %q: %v", res.Body, err)
	}
	return list
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestMeSignedOut(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	res := c.get("/me")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fme" {
		t.Fatalf("/me signed out: %d %q", res.Status, res.Header.Get("Location"))
	}
	res = c.get("/api/v1/me/attempts")
	var body map[string]any
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil || res.Status != http.StatusUnauthorized || body["error"] == "" || body["error"] == nil {
		t.Fatalf("API signed out: %d %q (%v)", res.Status, res.Body, err)
	}
}

func TestAnonymousQuizIsGradedNotStored(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	res := c.submit("/quiz/support-check-en", "/quiz/support-check-en", ts.quizAnswers("support-check-en", true))
	if res.Status != 200 || !strings.Contains(res.Body, "100%") || !strings.Contains(res.Body, "Sign in to save your results") {
		t.Fatalf("anonymous result: %d %.2000s", res.Status, res.Body)
	}
	if strings.Contains(res.Body, "has been saved") {
		t.Fatal("an anonymous result says it was saved")
	}
	// Signing in afterwards does not claim the anonymous attempt.
	c.signup("ada@example.com", "Ada", testPassword)
	if list := myAttempts(t, c); len(list) != 0 {
		t.Fatalf("anonymous attempt stored: %v", list)
	}
	if res := c.get("/api/v1/me/attempts"); strings.TrimSpace(res.Body) != "[]" {
		t.Fatalf("empty list is %q, want []", res.Body)
	}
}

func TestSignedInQuizIsStored(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.signup("ada@example.com", "Ada", testPassword)
	// Post/redirect/get: the POST answers 303 to the attempt's review, and
	// reloading the review stores nothing.
	res := c.submit("/quiz/support-check-en", "/quiz/support-check-en", ts.quizAnswers("support-check-en", false))
	if loc := res.Header.Get("Location"); !regexp.MustCompile(`^/me/attempts/\d+$`).MatchString(loc) {
		t.Fatalf("status %d, Location %q, want 303 to /me/attempts/<id>", res.Status, loc)
	}
	review := c.follow(res)
	if review.Status != 200 || !strings.Contains(review.Body, "Your result has been saved") || scoreOf(t, review.Body) != 0 {
		t.Fatalf("review: %d, score %d", review.Status, scoreOf(t, review.Body))
	}
	c.get(res.Header.Get("Location"))
	res = c.submit("/quiz/support-check-en", "/quiz/support-check-en", ts.quizAnswers("support-check-en", true))
	if review := c.follow(res); review.Status != 200 || scoreOf(t, review.Body) != 100 {
		t.Fatalf("review: %d, score %d", review.Status, scoreOf(t, review.Body))
	}
	q, _ := ts.Bank.Quiz("support-check-en")
	stored, err := ts.DB.ListAttempts(context.Background(), ts.userByEmail("ada@example.com").ID)
	if err != nil || len(stored) != 2 {
		t.Fatalf("%d attempts stored (%v), want 2", len(stored), err)
	}
	best := stored[0]
	if best.Score != 100 || !best.Passed || best.Version != q.Version || len(best.Asked) != len(q.Questions) || len(best.Answers) != len(q.Questions) {
		t.Fatalf("stored attempt %+v", best)
	}
	if stored[1].Score != 0 || stored[1].Passed {
		t.Fatalf("first attempt %+v, want score 0, not passed", stored[1])
	}

	me := c.get("/me").Body
	for _, want := range []string{"Attempt history", q.Title, "100%", "0%", "Best scores"} {
		if !strings.Contains(me, want) {
			t.Errorf("/me lacks %q", want)
		}
	}
}

func TestAttemptsArePrivate(t *testing.T) {
	ts := newTestServer(t)
	ada, bob := ts.newClient(), ts.newClient()
	ada.signup("ada@example.com", "Ada", testPassword)
	bob.signup("bob@example.com", "Bob", testPassword)
	ada.submit("/quiz/support-check-en", "/quiz/support-check-en", ts.quizAnswers("support-check-en", true))
	// A sandbox attempt, stored directly: the API must keep it to Ada too.
	if err := ts.DB.CreateAttempt(context.Background(), &supportlab.Attempt{
		UserID: ts.userByEmail("ada@example.com").ID, Kind: supportlab.KindSandbox, UID: "tenant-wide-mail-outage", Version: 1, Score: 90, Passed: true,
		Parts:  &supportlab.SandboxParts{Action: 20, Severity: 50, Product: 20},
		Answer: &supportlab.SandboxAnswer{Action: "open-request", Product: "exchange-online", Severity: "A"}, Expected: "A",
	}); err != nil {
		t.Fatal(err)
	}

	if list := myAttempts(t, ada); len(list) != 2 {
		t.Fatalf("Ada sees %d attempts, want 2", len(list))
	}
	if list := myAttempts(t, bob); len(list) != 0 {
		t.Fatalf("Bob sees Ada's attempts: %v", list)
	}
	me := bob.get("/me").Body
	if strings.Contains(me, "Check your knowledge") || strings.Contains(me, "Nobody at Northwind") || strings.Contains(me, "100%") {
		t.Fatal("Bob's /me shows Ada's attempts")
	}
	if !strings.Contains(me, "No attempt yet") {
		t.Fatal("Bob's /me does not say he has no attempt")
	}
}

func TestAttemptsJSONShape(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.signup("ada@example.com", "Ada", testPassword)
	uid := ts.userByEmail("ada@example.com").ID
	c.submit("/quiz/support-check-en", "/quiz/support-check-en", ts.quizAnswers("support-check-en", true))
	q, _ := ts.Bank.Quiz("support-check-en")
	later := time.Now().Add(time.Minute)
	if err := ts.DB.CreateAttempt(context.Background(), &supportlab.Attempt{
		UserID: uid, Kind: supportlab.KindSandbox, UID: "tenant-wide-mail-outage", Version: 3, Score: 80, Passed: true, At: later,
		Parts:    &supportlab.SandboxParts{Action: 20, Severity: 20, Product: 20, Description: 10},
		Answer:   &supportlab.SandboxAnswer{Action: "open-request", Product: "exchange-online", Severity: "A", Title: "secret title", Description: "secret description"},
		Expected: "B",
	}); err != nil {
		t.Fatal(err)
	}

	list := myAttempts(t, c)
	if len(list) != 2 {
		t.Fatalf("%d attempts, want 2", len(list))
	}
	sandbox, quiz := list[0], list[1] // newest first
	if got, want := keys(quiz), []string{"at", "kind", "passed", "score", "uid", "version"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("quiz attempt keys %v, want %v", got, want)
	}
	if got, want := keys(sandbox), []string{"answer", "at", "kind", "parts", "passed", "score", "uid", "version"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sandbox attempt keys %v, want %v", got, want)
	}
	wantQuiz := map[string]any{"kind": "quiz", "uid": "support-check-en", "version": float64(q.Version), "score": float64(100), "passed": true}
	for k, v := range wantQuiz {
		if quiz[k] != v {
			t.Errorf("quiz %s = %#v, want %#v", k, quiz[k], v)
		}
	}
	wantSandbox := map[string]any{
		"kind": "sandbox", "uid": "tenant-wide-mail-outage", "version": float64(3), "score": float64(80), "passed": true,
		"parts":  map[string]any{"action": float64(20), "severity": float64(20), "product": float64(20), "description": float64(10)},
		"answer": map[string]any{"action": "open-request", "product": "exchange-online", "severity": "A"},
	}
	for k, v := range wantSandbox {
		if !reflect.DeepEqual(sandbox[k], v) {
			t.Errorf("sandbox %s = %#v, want %#v", k, sandbox[k], v)
		}
	}
	for _, a := range list {
		at, ok := a["at"].(string)
		if _, err := time.Parse(time.RFC3339, at); !ok || err != nil {
			t.Errorf("at %#v is not RFC 3339", a["at"])
		}
	}
	if at, _ := time.Parse(time.RFC3339, sandbox["at"].(string)); !at.Equal(later.Truncate(time.Second)) {
		t.Errorf("sandbox at %v, want %v", at, later)
	}
}

func TestProgressAndBadge(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.signup("ada@example.com", "Ada", testPassword)
	const module = "get-help-from-microsoft"
	modPage := c.get("/learn/" + module).Body
	if !strings.Contains(modPage, `value="0"`) {
		t.Fatal("module page shows no empty progress bar")
	}
	c.get("/learn/" + module + "/what-support-covers")
	if home := c.get("/").Body; !strings.Contains(home, "1 of 5 units read") {
		t.Fatalf("home does not show one unit read: %.3000s", home)
	}
	if me := c.get("/me").Body; !strings.Contains(me, "1 of 5 units read") || strings.Contains(me, "Module completed") {
		t.Fatal("/me does not show the progress, or shows a badge too early")
	}
	for _, unit := range []string{"severity-levels", "roles-and-responsibilities", "file-a-service-request", "knowledge-check"} {
		c.get("/learn/" + module + "/" + unit)
	}
	if me := c.get("/me").Body; strings.Contains(me, "Module completed") {
		t.Fatal("badge before the knowledge check is passed")
	}
	c.submit("/quiz/support-check-en", "/quiz/support-check-en", ts.quizAnswers("support-check-en", true))
	me := c.get("/me").Body
	if !strings.Contains(me, "5 of 5 units read") || !strings.Contains(me, "Module completed") || !strings.Contains(me, "best 100%") {
		t.Fatalf("/me after finishing the module: %.4000s", me)
	}
}
