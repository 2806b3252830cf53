package web_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"supportlab/app/apptest"
	"supportlab/app/web"
	"testing"
	"testing/fstest"

	"supportlab/views"
)

// overlayFS serves files from over first, then from base: a test replaces
// one template without copying the others.
type overlayFS struct {
	base fs.FS
	over fstest.MapFS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if _, ok := o.over[name]; ok {
		return o.over.Open(name)
	}
	return o.base.Open(name)
}

// TestInternalErrorLeaksNothing breaks the home page's template at run time:
// the learner gets a generic page, the details go to the log only.
func TestInternalErrorLeaksNothing(t *testing.T) {
	var log apptest.LockedBuffer
	ts := newTestServerWith(t, options{
		Views: overlayFS{base: views.FS, over: fstest.MapFS{
			"home.html": {Data: []byte(`<p>{{index .Modules 99}}</p>`)},
		}},
		Logger: slog.New(slog.NewTextHandler(&log, nil)),
	})
	for _, lang := range []string{"en", "fr"} {
		res := ts.newClient().get("/?lang=" + lang)
		if res.Status != http.StatusInternalServerError {
			t.Fatalf("status %d, want 500:\n%s", res.Status, mainOf(res.Body))
		}
		want := map[string]string{"en": "Something went wrong on our side.", "fr": "Une erreur s&#39;est produite de notre côté."}[lang]
		if !strings.Contains(res.Body, `class="error-page"`) || !strings.Contains(res.Body, "500") {
			t.Errorf("%s: not the error page:\n%s", lang, res.Body)
		}
		if !strings.Contains(res.Body, want) {
			t.Errorf("%s 500 page lacks %q:\n%s", lang, want, mainOf(res.Body))
		}
		mustNotContain(t, "500 page", res.Body, "index .Modules", "out of range", "home.html", "executing", "template:", "goroutine", ".go:")
	}
	if !strings.Contains(log.String(), "out of range") {
		t.Errorf("the cause is not in the log:\n%s", log.String())
	}
	// Other pages still work.
	if res := ts.newClient().get("/learn/" + moduleSlug); res.Status != http.StatusOK {
		t.Errorf("module page: %d", res.Status)
	}
}

func TestHealthz(t *testing.T) {
	ts := newTestServer(t)
	res := ts.newClient().get("/healthz")
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(res.Body), &got); err != nil || got["status"] != "ok" {
		t.Errorf("body %q (%v), want {\"status\":\"ok\"}", res.Body, err)
	}

	// With the database gone, it says so instead of answering ok.
	ts.DB.Close()
	res = ts.newClient().get("/healthz")
	if res.Status != http.StatusServiceUnavailable {
		t.Errorf("database closed: status %d, want 503", res.Status)
	}
	mustNotContain(t, "healthz", res.Body, "sql", "closed")
}

func TestErrorResponses(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()

	t.Run("API paths answer JSON", func(t *testing.T) {
		res := c.get("/api/v1/no-such-thing")
		if res.Status != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("status %d, type %s", res.Status, res.Header.Get("Content-Type"))
		}
		var got map[string]string
		if err := json.Unmarshal([]byte(res.Body), &got); err != nil || got["error"] == "" {
			t.Errorf("body %q", res.Body)
		}
	})
	t.Run("a body too large is refused, not a crash", func(t *testing.T) {
		// Announce a 2 MB form and wait for the answer before sending it.
		conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /quiz/%s HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", checkUID, web.BodyLimit+1)
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", res.StatusCode)
		}
	})
	t.Run("security headers on every page", func(t *testing.T) {
		for _, path := range []string{"/", "/learn/" + moduleSlug, "/quiz/" + checkUID, "/no-such-page"} {
			res := c.get(path)
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
			} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("%s: %s = %q, want %q", path, h, got, want)
				}
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("%s: Content-Security-Policy %q", path, csp)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("%s: Content-Type %q", path, ct)
			}
		}
	})
	t.Run("static files are served", func(t *testing.T) {
		res := c.get("/static/css/app.css")
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
			t.Errorf("app.css: %d %s", res.Status, res.Header.Get("Content-Type"))
		}
	})
}
