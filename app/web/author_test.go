package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// upload posts a file to /author/import as a browser would.
func (c *client) upload(filename, content string, fields map[string]string, withCSRF bool) response {
	c.ts.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if withCSRF {
		_ = w.WriteField("_csrf", c.csrf("/login"))
	}
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := w.CreateFormFile("file", filename)
		_, _ = fw.Write([]byte(content))
	}
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, c.ts.URL+"/author/import", &buf)
	if err != nil {
		c.ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

const importQuiz = `uid: imported-check
title: Imported check
lang: en
questions:
- id: who
  content: Who files service requests?
  choices:
  - content: An admin
    isCorrect: true
    explanation: Only admin roles reach the admin center.
  - content: Any user
    explanation: Users go through their admin.
`

func TestAuthorAccess(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.newClient()
	admin.signup("admin@example.com", "Admin", "correct horse battery")
	learner := ts.newClient()
	learner.signup("learner@example.com", "Learner", "correct horse battery")
	anon := ts.newClient()

	tests := []struct {
		name   string
		c      *client
		get    int
		upload int
	}{
		{"anonymous", anon, http.StatusSeeOther, http.StatusUnauthorized},
		{"learner", learner, http.StatusForbidden, http.StatusForbidden},
		{"admin", admin, http.StatusOK, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := tt.c.get("/author"); res.Status != tt.get {
				t.Fatalf("GET /author: %d, want %d", res.Status, tt.get)
			}
			if res := tt.c.upload("q.yml", importQuiz, nil, true); res.Status != tt.upload {
				t.Fatalf("import: %d, want %d", res.Status, tt.upload)
			}
		})
	}
	if res := admin.upload("q.yml", importQuiz, nil, false); res.Status != http.StatusForbidden {
		t.Fatalf("import without CSRF: %d, want 403", res.Status)
	}
}

func TestAuthorImportVersions(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.newClient()
	admin.signup("admin@example.com", "Admin", "correct horse battery")

	if res := admin.upload("q.yml", importQuiz, nil, true); res.Status != http.StatusSeeOther {
		t.Fatalf("import: %d %.300s", res.Status, res.Body)
	}
	page := admin.get("/author")
	if !strings.Contains(page.Body, "imported-check") || !strings.Contains(page.Body, "The file was imported") {
		t.Fatal("the author page should list the imported quiz and say it was imported")
	}
	if res := admin.get("/quiz/imported-check"); res.Status != 200 || !strings.Contains(res.Body, "Who files service requests?") {
		t.Fatalf("imported quiz not live: %d", res.Status)
	}
	// An attempt on version 1, then a new version with the answer key changed.
	res := admin.follow(admin.submit("/quiz/imported-check", "/quiz/imported-check", url.Values{"q-who": {"0"}}))
	if score := scoreOf(t, res.Body); res.Status != 200 || score != 100 {
		t.Fatalf("attempt on version 1: status %d, score %d, want 100", res.Status, score)
	}
	v2 := strings.Replace(importQuiz, "    isCorrect: true\n    explanation: Only", "    explanation: Only", 1)
	v2 = strings.Replace(v2, "    explanation: Users go", "    isCorrect: true\n    explanation: Users go", 1)
	if res := admin.upload("q.yml", v2, nil, true); res.Status != http.StatusSeeOther {
		t.Fatalf("import v2: %d %.300s", res.Status, res.Body)
	}
	res = admin.follow(admin.submit("/quiz/imported-check", "/quiz/imported-check", url.Values{"q-who": {"0"}}))
	if score := scoreOf(t, res.Body); score != 0 {
		t.Fatalf("version 2's answer key should grade the same answer wrong: score %d, want 0", score)
	}
	var attempts []map[string]any
	if err := json.Unmarshal([]byte(admin.get("/api/v1/me/attempts").Body), &attempts); err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 2 || attempts[0]["version"] != float64(2) || attempts[1]["version"] != float64(1) || attempts[1]["score"] != float64(100) {
		t.Fatalf("attempts should keep the version they answered: %v", attempts)
	}
	// Importing the same content again still makes a new version.
	if res := admin.upload("q.yml", v2, nil, true); res.Status != http.StatusSeeOther {
		t.Fatalf("import v3: %d", res.Status)
	}
	admin.submit("/quiz/imported-check", "/quiz/imported-check", url.Values{"q-who": {"1"}})
	if err := json.Unmarshal([]byte(admin.get("/api/v1/me/attempts").Body), &attempts); err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 3 || attempts[0]["version"] != float64(3) || attempts[0]["score"] != float64(100) {
		t.Fatalf("a re-import makes version 3: %v", attempts)
	}
}

func TestAuthorImportRejects(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.newClient()
	admin.signup("admin@example.com", "Admin", "correct horse battery")
	tests := []struct {
		name, file, content string
		fields              map[string]string
		want                string
	}{
		{"misspelt field", "bad.yml", strings.Replace(importQuiz, "isCorrect", "iscorrect", 1), nil, "bad.yml:9: unknown field"},
		{"no file", "", "", nil, "Choose a file to import."},
		{"empty file", "e.yml", "", nil, "The file is empty."},
		{"bad uid", "q.yml", importQuiz, map[string]string{"uid": "Bad UID"}, "may only hold lower-case letters"},
		{"gift without answers", "g.gift", "Just text.", nil, "g.gift:1: question has no answer block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := admin.upload(tt.file, tt.content, tt.fields, true)
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tt.want) {
				t.Fatalf("status %d, want 422 and %q in the page:\n%s", res.Status, tt.want, res.Body)
			}
		})
	}
	if res := admin.get("/quiz/imported-check"); res.Status != http.StatusNotFound {
		t.Fatal("a rejected file must not be half-loaded")
	}
}

func TestAuthorImportGIFTAndInjection(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.newClient()
	admin.signup("admin@example.com", "Admin", "correct horse battery")
	// In GIFT, "=" inside feedback is escaped as "\=".
	gift := "::x:: Who files? <script>alert(1)</script> {\n=An admin#<img src\\=x onerror\\=alert(1)>\n~Anyone\n}\n"
	res := admin.upload("roles.gift", gift, map[string]string{"title": "<b>Roles</b>", "lang": "fr"}, true)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("import: %d %.300s", res.Status, res.Body)
	}
	page := admin.get("/author")
	if strings.Contains(page.Body, "<b>Roles</b>") || !strings.Contains(page.Body, "&lt;b&gt;Roles&lt;/b&gt;") {
		t.Fatal("the title typed by the trainer must be escaped on the author page")
	}
	quiz := admin.get("/quiz/roles")
	if quiz.Status != 200 || strings.Contains(quiz.Body, "<script>alert") {
		t.Fatalf("quiz page %d must not contain raw script", quiz.Status)
	}
	result := admin.follow(admin.submit("/quiz/roles", "/quiz/roles", url.Values{"q-x": {"1"}}))
	if strings.Contains(result.Body, "<img src=x") || !strings.Contains(result.Body, "Who files\u202f?") {
		t.Fatal("feedback must not render raw HTML")
	}
	// A GIFT choice without feedback has no explanation: none is invented.
	for _, invented := range []string{"bonne réponse.", "right answer."} {
		if strings.Contains(result.Body, invented) {
			t.Fatalf("an explanation was invented for a GIFT choice without feedback:\n%s", result.Body)
		}
	}
}

// Aiken has no explanations: the import says so instead of inventing any.
func TestAikenImportSaysItHasNoExplanations(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.newClient()
	admin.signup("admin@example.com", "Admin", "correct horse battery")
	aiken := "Who files service requests?\nA. An admin\nB. Any user\nANSWER: A\n"
	if res := admin.upload("who.aiken", aiken, nil, true); res.Status != http.StatusSeeOther {
		t.Fatalf("import: %d %.300s", res.Status, res.Body)
	}
	page := admin.get("/author").Body
	if !strings.Contains(page, "Its format has no explanations") || !strings.Contains(page, "(no explanations)") {
		t.Fatalf("the author page does not say the Aiken quiz has no explanations:\n%s", mainOf(page))
	}
	if strings.Contains(admin.get("/quiz/who").Body, "This is the right answer") {
		t.Fatal("an explanation was invented")
	}
	review := admin.follow(admin.submit("/quiz/who", "/quiz/who", url.Values{"q-q1": {"0"}}))
	if !strings.Contains(review.Body, "This quiz comes without explanations") {
		t.Fatalf("the review does not say the quiz has no explanations:\n%s", mainOf(review.Body))
	}
}
