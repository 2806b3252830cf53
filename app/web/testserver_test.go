package web_test

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"supportlab/app/apptest"
	"testing"

	"supportlab/app/lessons"
	"supportlab/app/library"
	"supportlab/app/quizbank"
	"supportlab/app/sqlite"
	"supportlab/app/training"
	"supportlab/app/web"
	"supportlab/static"
	"supportlab/views"
)

// testServer is the real application (embedded content, a real SQLite file
// under t.TempDir()) behind a real HTTP listener, with a browser-like
// client: a cookie jar and no redirect following.
type testServer struct {
	t       testing.TB
	URL     string
	DB      *sqlite.DB
	Bank    *quizbank.Bank
	Lessons *lessons.Catalog
	App     *web.Server
}

// newTestServer starts the app on the embedded content.
func newTestServer(tb testing.TB) *testServer {
	tb.Helper()
	return newTestServerWith(tb, options{})
}

// options replaces parts of the embedded files, e.g. a quiz set written to
// a temporary folder: options{Quizzes: os.DirFS(dir)}. A nil field keeps the
// embedded files.
type options struct {
	Content fs.FS // lessons: <lang>/<module>/*.md
	Quizzes fs.FS // *.yml and scenarios/*.yml
	Views   fs.FS // templates and locales/
	Logger  *slog.Logger
	DB      *sqlite.DB // an existing database instead of a fresh one
	// SecureCookies marks cookies Secure, as -secure-cookies does.
	SecureCookies bool
	// TrustedProxies, as -trusted-proxies sets them.
	TrustedProxies []string
}

// newTestServerWith starts the app with some files replaced.
func newTestServerWith(tb testing.TB, opts options) *testServer {
	tb.Helper()
	viewFS := fs.FS(views.FS)
	src := library.Sources{Content: opts.Content, ContentName: "content", Quizzes: opts.Quizzes, QuizzesName: "quizzes"}
	if opts.Views != nil {
		viewFS = opts.Views
		sub, err := fs.Sub(viewFS, "locales")
		if err != nil {
			tb.Fatal(err)
		}
		src.Locales = sub
	}
	lib, err := library.Load(src)
	if err != nil {
		tb.Fatal(err)
	}
	db := opts.DB
	if db == nil {
		db = apptest.MustOpenDB(tb)
	}
	if err := lib.RegisterVersions(context.Background(), db); err != nil {
		tb.Fatal(err)
	}
	cat, bank, loc := lib.Lessons, lib.Bank, lib.Locale
	secret := []byte("test secret of thirty-two bytes")
	svc := training.New(training.Config{
		Curriculum: cat, Bank: bank,
		Users: db, Attempts: db, Progress: db, Imports: db, Teams: db,
		Assignments: db, History: db, Shipped: lib,
		Secret: secret, Logger: opts.Logger,
	})
	if err := svc.ReloadImports(context.Background()); err != nil {
		tb.Fatal(err)
	}
	s, err := web.New(web.Config{
		App: svc, Locale: loc, Views: viewFS, Static: static.FS,
		Ping:           db.Ping,
		SessionStorage: db.HashedStorage("session:"),
		LimiterStorage: db.Storage("limit:"),
		Secret:         secret,
		SecureCookies:  opts.SecureCookies,
		TrustedProxies: opts.TrustedProxies,
		Logger:         opts.Logger,
	})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = s.App().Listener(ln) }()
	tb.Cleanup(func() { _ = s.App().Shutdown() })
	return &testServer{t: tb, URL: "http://" + ln.Addr().String(), DB: db, Bank: bank, Lessons: cat, App: s}
}

// client is one browser: its own cookies (session, CSRF, language).
type client struct {
	ts *testServer
	hc *http.Client
	// header is sent with every request (a proxy's X-Forwarded-For).
	header http.Header
}

func (ts *testServer) newClient() *client {
	jar, _ := cookiejar.New(nil)
	return &client{ts: ts, hc: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// response is a read response.
type response struct {
	Status int
	Header http.Header
	Body   string
}

func (c *client) do(req *http.Request) response {
	c.ts.t.Helper()
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.ts.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// get requests path with optional headers given as name, value pairs.
func (c *client) get(path string, headers ...string) response {
	c.ts.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.ts.URL+path, nil)
	if err != nil {
		c.ts.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// post sends a URL-encoded form as is (no CSRF token added).
func (c *client) post(path string, form url.Values) response {
	c.ts.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf fetches page (a GET) and returns the _csrf token of its forms.
func (c *client) csrf(page string) string {
	c.ts.t.Helper()
	res := c.get(page)
	m := csrfField.FindStringSubmatch(res.Body)
	if m == nil {
		c.ts.t.Fatalf("no _csrf field on %s (status %d)", page, res.Status)
	}
	return m[1]
}

// submit GETs formPage for a CSRF token, then POSTs form to action with it.
func (c *client) submit(formPage, action string, form url.Values) response {
	c.ts.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.csrf(formPage))
	return c.post(action, form)
}

// signup creates an account through the sign-up form; the client is then
// signed in as it. It fails the test unless the form redirects.
func (c *client) signup(email, name, password string) response {
	c.ts.t.Helper()
	res := c.submit("/signup", "/signup", url.Values{"email": {email}, "name": {name}, "password": {password}})
	if res.Status != http.StatusSeeOther {
		c.ts.t.Fatalf("sign up %s: status %d, body %.500s", email, res.Status, res.Body)
	}
	return res
}

// login signs the client in through the sign-in form and fails the test
// unless it succeeds.
func (c *client) login(email, password string) response {
	c.ts.t.Helper()
	res := c.submit("/login", "/login", url.Values{"email": {email}, "password": {password}})
	if res.Status != http.StatusSeeOther {
		c.ts.t.Fatalf("sign in %s: status %d, body %.500s", email, res.Status, res.Body)
	}
	return res
}

// follow GETs where a 303 answer points, failing the test when res is not
// a redirect: a signed-in quiz or sandbox POST answers 303 to its review.
func (c *client) follow(res response) response {
	c.ts.t.Helper()
	if res.Status != http.StatusSeeOther {
		c.ts.t.Fatalf("status %d, want 303: %.500s", res.Status, res.Body)
	}
	return c.get(res.Header.Get("Location"))
}
