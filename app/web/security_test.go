package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"supportlab/app/web"
)

// A known path asked with a method it does not take answers 405 and says
// which methods it takes; it is not mistaken for a forged form (403).
func TestWrongMethodIs405(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.get("/")
	tests := []struct {
		method, path, allow string
	}{
		{http.MethodPost, "/me", "GET, HEAD"},
		{http.MethodPost, "/sandbox/drill/summary", "GET, HEAD"},
		{http.MethodGet, "/logout", "POST"},
		{http.MethodDelete, "/quiz/support-check-en", "GET, HEAD, POST"},
		{http.MethodPut, "/teams/1", "GET, HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader("_csrf=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res := c.do(req)
			if res.Status != http.StatusMethodNotAllowed || res.Header.Get("Allow") != tt.allow {
				t.Fatalf("status %d, Allow %q; want 405 and %q", res.Status, res.Header.Get("Allow"), tt.allow)
			}
		})
	}
}

// The CSRF token is read from the form body only: one in the query string
// (where logs and Referer headers would leak it) does not count.
func TestCSRFTokenOnlyFromTheBody(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	token := c.csrf("/quiz/support-check-en")
	res := c.post("/quiz/support-check-en?_csrf="+url.QueryEscape(token), url.Values{"q-lucerne-admin-role": {"0"}})
	if res.Status != http.StatusForbidden {
		t.Fatalf("token in the query string: status %d, want 403", res.Status)
	}
	res = c.post("/quiz/support-check-en", url.Values{"_csrf": {token}, "q-lucerne-admin-role": {"0"}})
	if res.Status != http.StatusOK {
		t.Fatalf("token in the body: status %d, want 200", res.Status)
	}
}

var csrfCookie = regexp.MustCompile(`supportlab_csrf=([^;]+)`)

// Signing in and out gives the browser a new CSRF id: a token read before
// is refused after.
func TestCSRFRenewedAtSignInAndOut(t *testing.T) {
	ts := newTestServer(t)
	ts.newClient().signup("ada@example.com", "Ada", testPassword)
	c := ts.newClient()
	before := c.csrf("/login")
	res := c.post("/login", url.Values{"_csrf": {before}, "email": {"ada@example.com"}, "password": {testPassword}})
	if res.Status != http.StatusSeeOther || !csrfCookie.MatchString(strings.Join(res.Header.Values("Set-Cookie"), "\n")) {
		t.Fatalf("sign-in: status %d, Set-Cookie %q; want 303 with a new CSRF cookie", res.Status, res.Header.Values("Set-Cookie"))
	}
	if res := c.post("/quiz/support-check-en", url.Values{"_csrf": {before}, "q-lucerne-admin-role": {"0"}}); res.Status != http.StatusForbidden {
		t.Fatalf("a token from before sign-in: status %d, want 403", res.Status)
	}
	during := c.csrf("/me")
	if during == before {
		t.Fatal("the token did not change at sign-in")
	}
	if res := c.post("/logout", url.Values{"_csrf": {during}}); res.Status != http.StatusSeeOther {
		t.Fatalf("sign-out: status %d", res.Status)
	}
	if after := c.csrf("/login"); after == during {
		t.Fatal("the token did not change at sign-out")
	}
}

// Pages with personal data are never cached; public pages may be.
func TestPersonalPagesAreNotStored(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.signup("admin@example.com", "Admin", testPassword) // the first account: an admin
	res := c.submit("/quiz/support-check-en", "/quiz/support-check-en", url.Values{"q-lucerne-admin-role": {"0"}})
	review := res.Header.Get("Location")
	for _, path := range []string{"/me", review, "/teams", "/admin/users", "/author", "/api/v1/me/attempts", "/api/v1/teams"} {
		if res := c.get(path); res.Status != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: status %d, Cache-Control %q; want 200 and no-store", path, res.Status, res.Header.Get("Cache-Control"))
		}
	}
	for _, path := range []string{"/", "/learn/get-help-from-microsoft", "/sandbox"} {
		if cc := c.get(path).Header.Get("Cache-Control"); cc == "no-store" {
			t.Errorf("%s is public but marked no-store", path)
		}
	}
}

// Fiber's own refusals (a body over the limit) carry the security headers
// like every other answer.
func TestSecurityHeadersOnFiberErrors(t *testing.T) {
	ts := newTestServer(t)
	// Announce a body over the limit and read the answer before sending it.
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /quiz/support-check-en HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", web.BodyLimit+1)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", res.StatusCode)
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("413 without %s", h)
		}
	}
}

// With -secure-cookies every cookie the app sets is Secure, the flash
// message's too.
func TestSecureCookiesIncludeTheFlash(t *testing.T) {
	ts := newTestServerWith(t, options{SecureCookies: true})
	c := ts.newClient()
	token := c.csrf("/signup")
	res := c.post("/signup", url.Values{"_csrf": {token}, "email": {"ada@example.com"}, "name": {"Ada"}, "password": {testPassword}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", res.Status)
	}
	var names []string
	for _, sc := range res.Header.Values("Set-Cookie") {
		name, _, _ := strings.Cut(sc, "=")
		names = append(names, name)
		if !strings.Contains(strings.ToLower(sc), "; secure") {
			t.Errorf("cookie %s is not Secure: %s", name, sc)
		}
	}
	if !strings.Contains(strings.Join(names, " "), "flash") {
		t.Fatalf("no flash cookie among %v", names)
	}
}

// Names people see refuse NUL, other control characters and the
// bidirectional controls that make text display as something else.
func TestNamesRefuseControlCharacters(t *testing.T) {
	ts := newTestServer(t)
	trainer := ts.newClient()
	trainer.signup("admin@example.com", "Admin", testPassword)
	for name, bad := range map[string]string{
		"NUL":                    "Ada\x00Lovelace",
		"escape":                 "Ada\x1b[31m",
		"right-to-left override": "Ada\u202Egnp.exe",
		"isolate":                "Ada\u2066x\u2069",
	} {
		t.Run(name, func(t *testing.T) {
			c := ts.newClient()
			res := c.submit("/signup", "/signup", url.Values{"email": {"x" + strings.ToLower(strings.ReplaceAll(name, " ", "")) + "@example.com"}, "name": {bad}, "password": {testPassword}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "control characters") {
				t.Fatalf("sign-up: status %d, want 422 with a message", res.Status)
			}
			res = trainer.submit("/teams", "/teams", url.Values{"name": {bad}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "control characters") {
				t.Fatalf("team: status %d, want 422 with a message", res.Status)
			}
		})
	}
}

// A copy of the database holds no live session: the session id in the
// browser's cookie is stored hashed.
func TestSessionIDsAreStoredHashed(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	res := c.signup("ada@example.com", "Ada", testPassword)
	m := regexp.MustCompile(`supportlab_session=([^;]+)`).FindStringSubmatch(strings.Join(res.Header.Values("Set-Cookie"), "\n"))
	if m == nil {
		t.Fatal("no session cookie")
	}
	id, err := url.QueryUnescape(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if v, err := ts.DB.Storage("session:").Get(id); err != nil || v != nil {
		t.Fatalf("the session is stored under its id in clear (%d bytes, %v)", len(v), err)
	}
	if v, err := ts.DB.HashedStorage("session:").Get(id); err != nil || v == nil {
		t.Fatalf("the session is not stored under the hash of its id (%v)", err)
	}
	if res := c.get("/me"); res.Status != http.StatusOK {
		t.Fatalf("the session does not work: %d", res.Status)
	}
}

// The review of a stored attempt shows every choice with its marks, to its
// learner; another learner finds nothing there.
func TestAttemptReview(t *testing.T) {
	ts := newTestServer(t)
	ts.newClient().signup("admin@example.com", "Admin", testPassword)
	ada := ts.newClient()
	ada.signup("ada@example.com", "Ada", testPassword)
	res := ada.submit("/quiz/support-check-en", "/quiz/support-check-en", url.Values{"q-lucerne-admin-role": {"0"}})
	loc := res.Header.Get("Location")
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/me/attempts/") {
		t.Fatalf("status %d, Location %q", res.Status, loc)
	}
	review := ada.get(loc)
	q, _ := ts.Bank.Quiz("support-check-en")
	if review.Status != http.StatusOK || strings.Count(review.Body, `<li class="result `) != len(q.Questions) {
		t.Fatalf("review: status %d, want every question", review.Status)
	}
	for _, ch := range q.Questions[0].Choices {
		mustContain(t, "review", review.Body, string(ch.ContentHTML), string(ch.ExplanationHTML))
	}
	if strings.Count(review.Body, "your choice") != 1 {
		t.Errorf("the review marks %d choices as chosen, want 1", strings.Count(review.Body, "your choice"))
	}
	// Reloading the review stores nothing.
	ada.get(loc)
	if list, _ := ts.DB.ListAttempts(context.Background(), ts.userByEmail("ada@example.com").ID); len(list) != 1 {
		t.Fatalf("%d attempts stored, want 1", len(list))
	}
	bob := ts.newClient()
	bob.signup("bob@example.com", "Bob", testPassword)
	if res := bob.get(loc); res.Status != http.StatusNotFound {
		t.Fatalf("another learner: status %d, want 404", res.Status)
	}
	if res := ts.newClient().get(loc); res.Status != http.StatusSeeOther {
		t.Fatalf("anonymous: status %d, want 303 to sign in", res.Status)
	}
}
