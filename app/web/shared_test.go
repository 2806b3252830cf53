package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// Lesson and quiz pages are kept as skeletons: each visitor must still get
// their own name, their own CSRF token and their own account's menu, and a
// name is escaped where it is filled in.
func TestSharedPagesAreFilledPerVisitor(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.newClient()
	admin.signup("admin@example.com", "Admin <b>A</b>", testPassword) // the first account: an admin
	ada := ts.newClient()
	ada.signup("ada@example.com", "Ada & Co", testPassword)
	anon := ts.newClient()
	for _, path := range []string{
		"/learn/get-help-from-microsoft/severity-levels",
		"/learn/get-help-from-microsoft/knowledge-check",
		"/quiz/support-check-en",
	} {
		t.Run(path, func(t *testing.T) {
			var tokens []string
			for _, v := range []struct {
				name      string
				c         *client
				shows     []string
				doesNot   []string
				wantToken bool
			}{
				{"admin", admin, []string{"Admin &lt;b&gt;A&lt;/b&gt;", `href="/admin/users"`}, []string{"Ada &amp; Co", "<b>A</b>"}, true},
				{"learner", ada, []string{"Ada &amp; Co"}, []string{"Admin &lt;b&gt;A", `href="/admin/users"`}, true},
				{"anonymous", anon, []string{`href="/login"`}, []string{"Ada &amp; Co", "Admin &lt;b&gt;A", `href="/admin/users"`}, false},
				{"learner again", ada, []string{"Ada &amp; Co"}, []string{"Admin &lt;b&gt;A"}, true},
			} {
				res := v.c.get(path + "?lang=en")
				if res.Status != http.StatusOK {
					t.Fatalf("%s: status %d", v.name, res.Status)
				}
				mustContain(t, v.name, res.Body, v.shows...)
				mustNotContain(t, v.name, res.Body, v.doesNot...)
				m := csrfField.FindStringSubmatch(res.Body)
				if (m != nil) != (v.wantToken || strings.Contains(path, "quiz") || strings.Contains(path, "check")) {
					t.Fatalf("%s: CSRF field present %v", v.name, m != nil)
				}
				if m != nil && v.name != "learner again" {
					tokens = append(tokens, m[1])
				}
			}
			for i := range tokens {
				for j := i + 1; j < len(tokens); j++ {
					if tokens[i] == tokens[j] {
						t.Fatalf("two visitors got the same CSRF token %q", tokens[i])
					}
				}
			}
		})
	}
}

// A page without a form sets no CSRF cookie; a page with one does.
func TestCSRFCookieOnlyWithAForm(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		path string
		want bool
	}{
		{"/learn/get-help-from-microsoft/severity-levels", false},
		{"/", false},
		{"/quiz/support-check-en", true},
		{"/login", true},
	} {
		res := ts.newClient().get(tt.path)
		got := strings.Contains(strings.Join(res.Header.Values("Set-Cookie"), "\n"), "supportlab_csrf=")
		if got != tt.want {
			t.Errorf("%s sets a CSRF cookie: %v, want %v", tt.path, got, tt.want)
		}
	}
}
