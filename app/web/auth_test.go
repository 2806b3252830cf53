package web_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"supportlab/app/sqlite"
	"supportlab/app/supportlab"
)

// Tests hash passwords at the lowest cost: the cost is not what they check,
// and sign-ups would otherwise dominate the run time.
func init() { sqlite.BcryptCost = bcrypt.MinCost }

const testPassword = "correct horse battery"

// newClientFrom is a browser on another address of the loopback network,
// so that tests can tell limits per address from limits per account.
func (ts *testServer) newClientFrom(ip string) *client {
	c := ts.newClient()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.hc.Transport = &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}
	return c
}

// sessionCookie returns the client's session cookie value, "" if none.
func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.ts.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "supportlab_session" {
			return ck.Value
		}
	}
	return ""
}

// withSession is a fresh browser holding only the given session cookie, as
// someone who copied it would.
func (ts *testServer) withSession(value string) *client {
	c := ts.newClient()
	u, _ := url.Parse(ts.URL)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "supportlab_session", Value: value, Path: "/"}})
	return c
}

func (ts *testServer) userByEmail(email string) *supportlab.User {
	ts.t.Helper()
	users, err := ts.DB.ListUsers(context.Background())
	if err != nil {
		ts.t.Fatal(err)
	}
	for _, u := range users {
		if strings.EqualFold(u.Email, email) {
			return u
		}
	}
	ts.t.Fatalf("no user %s", email)
	return nil
}

func TestSignUpSignInSignOut(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()

	form := c.get("/signup")
	for _, field := range []string{`name="email"`, `name="name"`, `name="password"`, `name="_csrf"`, `<label for="signup-password"`} {
		if !strings.Contains(form.Body, field) {
			t.Fatalf("sign-up form lacks %s", field)
		}
	}
	res := c.signup("ada@example.com", "Ada Lovelace", testPassword)
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Fatalf("after sign-up, redirect to %q, want /", loc)
	}
	if home := c.get("/"); !strings.Contains(home.Body, "Ada Lovelace") || !strings.Contains(home.Body, "Your account is ready") {
		t.Fatalf("home after sign-up does not show the name and the welcome message: %.2000s", home.Body)
	}
	if me := c.get("/me"); me.Status != 200 || !strings.Contains(me.Body, "Ada Lovelace") {
		t.Fatalf("/me: %d", me.Status)
	}
	if u := ts.userByEmail("ada@example.com"); u.Role != supportlab.RoleAdmin {
		t.Fatalf("first account has role %q, want admin", u.Role)
	}

	session := c.sessionCookie()
	res = c.submit("/", "/logout", nil)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign out: %d %s", res.Status, res.Header.Get("Location"))
	}
	if home := c.get("/"); strings.Contains(home.Body, "Ada Lovelace") || !strings.Contains(home.Body, "You are signed out") {
		t.Fatal("home still shows the user after signing out")
	}
	if res := ts.withSession(session).get("/me"); res.Status != http.StatusSeeOther {
		t.Fatalf("the session of a signed-out browser still works: /me gives %d", res.Status)
	}

	res = c.login("ADA@example.com", testPassword)
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Fatalf("after sign-in, redirect to %q", loc)
	}
	if me := c.get("/me"); me.Status != 200 || !strings.Contains(me.Body, "Ada Lovelace") {
		t.Fatalf("/me after sign-in: %d", me.Status)
	}

	ts.newClient().signup("bob@example.com", "Bob", testPassword)
	if u := ts.userByEmail("bob@example.com"); u.Role != supportlab.RoleLearner {
		t.Fatalf("second account has role %q, want learner", u.Role)
	}
}

func TestSignUpRejects(t *testing.T) {
	ts := newTestServer(t)
	ts.newClient().signup("ada@example.com", "Ada", testPassword)
	for _, tc := range []struct {
		name                string
		email, uname, pass  string
		status              int
		message, keptInForm string
	}{
		{"duplicate email in another case", "ADA@Example.COM", "Another Ada", testPassword, http.StatusConflict, "already exists", `value="ADA@Example.COM"`},
		{"short password", "bob@example.com", "Bob", "123456789", http.StatusUnprocessableEntity, "at least 10 characters", `value="bob@example.com"`},
		{"short password in accented letters", "bob@example.com", "Bob", "ééééééééé", http.StatusUnprocessableEntity, "at least 10 characters", `value="Bob"`},
		{"password over 72 bytes", "bob@example.com", "Bob", strings.Repeat("long ", 15), http.StatusUnprocessableEntity, "too long", `value="bob@example.com"`},
		{"no name", "bob@example.com", " ", testPassword, http.StatusUnprocessableEntity, "Enter your name", `value="bob@example.com"`},
		{"not an email", "bob.example.com", "Bob", testPassword, http.StatusUnprocessableEntity, "email address", `value="bob.example.com"`},
		{"no email", "", "Bob", testPassword, http.StatusUnprocessableEntity, "Enter your email", `value="Bob"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ts.newClient()
			res := c.submit("/signup", "/signup", url.Values{"email": {tc.email}, "name": {tc.uname}, "password": {tc.pass}})
			if res.Status != tc.status || !strings.Contains(res.Body, tc.message) || !strings.Contains(res.Body, tc.keptInForm) {
				t.Fatalf("status %d (want %d); message %q or kept input %s missing: %.3000s", res.Status, tc.status, tc.message, tc.keptInForm, res.Body)
			}
			if strings.Contains(res.Body, tc.pass) && len(tc.pass) > 5 {
				t.Fatal("the form shows the password back")
			}
			if c.sessionCookie() != "" {
				t.Fatal("a rejected sign-up started a session")
			}
		})
	}
	if users, _ := ts.DB.ListUsers(context.Background()); len(users) != 1 {
		t.Fatalf("%d accounts after rejected sign-ups, want 1", len(users))
	}
}

func TestSignInRejects(t *testing.T) {
	ts := newTestServer(t)
	ts.newClient().signup("ada@example.com", "Ada", testPassword)
	ts.newClient().signup("off@example.com", "Off", testPassword)
	if err := ts.DB.SetUserDisabled(context.Background(), ts.userByEmail("off@example.com").ID, true); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, email, pass string
		status            int
		message           string
	}{
		{"wrong password", "ada@example.com", testPassword + "!", http.StatusUnauthorized, "The email or the password is not right"},
		{"unknown email", "nobody@example.com", testPassword, http.StatusUnauthorized, "The email or the password is not right"},
		{"empty password", "ada@example.com", "", http.StatusUnprocessableEntity, "Enter your password"},
		{"disabled account", "off@example.com", testPassword, http.StatusUnauthorized, "This account is disabled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ts.newClient()
			res := c.submit("/login", "/login", url.Values{"email": {tc.email}, "password": {tc.pass}})
			if res.Status != tc.status || !strings.Contains(res.Body, tc.message) || !strings.Contains(res.Body, `value="`+tc.email+`"`) {
				t.Fatalf("status %d (want %d), message %q or the email missing: %.3000s", res.Status, tc.status, tc.message, res.Body)
			}
			if me := c.get("/me"); me.Status != http.StatusSeeOther {
				t.Fatalf("signed in after a refused sign-in: /me %d", me.Status)
			}
		})
	}
}

func TestDisablingEndsOpenSessions(t *testing.T) {
	ts := newTestServer(t)
	ts.newClient().signup("admin@example.com", "Admin", testPassword)
	c := ts.newClient()
	c.signup("bob@example.com", "Bob", testPassword)
	if err := ts.DB.SetUserDisabled(context.Background(), ts.userByEmail("bob@example.com").ID, true); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/me"); res.Status != http.StatusSeeOther {
		t.Fatalf("a disabled account still sees /me: %d", res.Status)
	}
}

func TestSignInRateLimit(t *testing.T) {
	ts := newTestServer(t)
	ts.newClient().signup("ada@example.com", "Ada", testPassword)
	ts.newClient().signup("bob@example.com", "Bob", testPassword)
	wrong := func(c *client, email string) response {
		t.Helper()
		return c.submit("/login", "/login", url.Values{"email": {email}, "password": {"not the password"}})
	}

	attacker := ts.newClientFrom("127.0.0.1")
	for i := 1; i <= 5; i++ {
		if res := wrong(attacker, "ada@example.com"); res.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i, res.Status)
		}
	}
	res := wrong(attacker, "ada@example.com")
	if res.Status != http.StatusTooManyRequests || !strings.Contains(res.Body, "Too many sign-in attempts") || !strings.Contains(res.Body, `name="password"`) {
		t.Fatalf("6th attempt: status %d, want 429 with the form and a message: %.2000s", res.Status, res.Body)
	}

	// The attacker stays locked out of the account, even with its password...
	res = attacker.submit("/login", "/login", url.Values{"email": {"ada@example.com"}, "password": {testPassword}})
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("right password after five failures from the same address: %d, want 429", res.Status)
	}
	// ...but cannot lock its owner out: from an address with no failures,
	// the right password gets through.
	other := ts.newClientFrom("127.0.0.2")
	other.login("ada@example.com", testPassword)
	// Other accounts still sign in from the attacker's address too.
	ts.newClientFrom("127.0.0.1").login("bob@example.com", testPassword)

	// One address trying many accounts is stopped too, after more tries
	// (a whole office may share an address).
	sprayer := ts.newClientFrom("127.0.0.3")
	for i := 1; i <= 20; i++ {
		if res := wrong(sprayer, fmt.Sprintf("user%d@example.com", i)); res.Status != http.StatusUnauthorized {
			t.Fatalf("spray %d: %d", i, res.Status)
		}
	}
	if res := wrong(sprayer, "bob@example.com"); res.Status != http.StatusTooManyRequests {
		t.Fatalf("21st failure from one address: %d, want 429", res.Status)
	}

	// Successful sign-ins are not counted.
	regular := ts.newClientFrom("127.0.0.4")
	for range 7 {
		regular.login("bob@example.com", testPassword)
	}
}

func TestSessionRenewedAtSignIn(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.signup("ada@example.com", "Ada", testPassword)
	first := c.sessionCookie()
	if first == "" {
		t.Fatal("no session cookie after sign-up")
	}
	c.login("ada@example.com", testPassword)
	second := c.sessionCookie()
	if second == "" || second == first {
		t.Fatalf("session id not renewed at sign-in: %q then %q", first, second)
	}
	if res := ts.withSession(first).get("/me"); res.Status != http.StatusSeeOther {
		t.Fatalf("the session id from before sign-in still works: %d", res.Status)
	}
	// An id planted in the browser before sign-in is not the one it gets.
	planted := ts.withSession("planted-by-someone-else")
	planted.login("ada@example.com", testPassword)
	if got := planted.sessionCookie(); got == "planted-by-someone-else" {
		t.Fatal("sign-in kept a session id chosen by someone else")
	}
}

func TestSessionCookieFlags(t *testing.T) {
	ts := newTestServer(t)
	res := ts.newClient().signup("ada@example.com", "Ada", testPassword)
	var cookie string
	for _, v := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "supportlab_session=") {
			cookie = strings.ToLower(v)
		}
	}
	if !strings.Contains(cookie, "httponly") || !strings.Contains(cookie, "samesite=lax") {
		t.Fatalf("session cookie %q lacks HttpOnly or SameSite=Lax", cookie)
	}
}

func TestSignInNext(t *testing.T) {
	ts := newTestServer(t)
	ts.newClient().signup("ada@example.com", "Ada", testPassword)
	for _, tc := range []struct {
		name, next, want string
	}{
		{"local path", "/me", "/me"},
		{"local path with query", "/learn/get-help-from-microsoft?lang=fr", "/learn/get-help-from-microsoft?lang=fr"},
		{"other site", "https://evil.example/", "/"},
		{"protocol-relative", "//evil.example/", "/"},
		{"backslash", "/\\evil.example/", "/"},
		{"relative", "me", "/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ts.newClient()
			page := "/login?next=" + url.QueryEscape(tc.next)
			res := c.submit(page, "/login", url.Values{"email": {"ada@example.com"}, "password": {testPassword}, "next": {tc.next}})
			if res.Status != http.StatusSeeOther || res.Header.Get("Location") != tc.want {
				t.Fatalf("status %d, Location %q, want %q", res.Status, res.Header.Get("Location"), tc.want)
			}
		})
	}
	// The form carries next from the address of the page.
	if body := ts.newClient().get("/login?next=%2Fme").Body; !strings.Contains(body, `name="next" value="/me"`) {
		t.Fatal("the sign-in form does not carry next")
	}
}

func TestUserNameIsEscaped(t *testing.T) {
	ts := newTestServer(t)
	const name = `<script>alert(1)</script>`
	c := ts.newClient()
	c.signup("mallory@example.com", name, testPassword)
	res := c.follow(c.submit("/quiz/support-check-en", "/quiz/support-check-en", url.Values{"q-lucerne-admin-role": {"0"}}))
	pages := map[string]string{"quiz review": res.Body}
	for _, path := range []string{"/", "/me", "/learn/get-help-from-microsoft", "/learn/get-help-from-microsoft/what-support-covers", "/quiz/support-check-en", "/signup", "/login", "/no-such-page"} {
		pages[path] = c.get(path).Body
	}
	for page, body := range pages {
		if strings.Contains(body, name) {
			t.Errorf("%s shows the name unescaped", page)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show who is signed in", page)
		}
	}
}

func TestSignUpLimitPerAddress(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClientFrom("127.0.0.5")
	for i := 1; i <= 30; i++ {
		c.signup(fmt.Sprintf("learner%d@example.com", i), "Learner", testPassword)
		c.submit("/", "/logout", nil)
	}
	res := c.submit("/signup", "/signup", url.Values{"email": {"one-more@example.com"}, "name": {"One more"}, "password": {testPassword}})
	if res.Status != http.StatusTooManyRequests || !strings.Contains(res.Body, "Too many accounts") || !strings.Contains(res.Body, `value="one-more@example.com"`) {
		t.Fatalf("31st sign-up from one address: status %d, want 429 with the form kept", res.Status)
	}
	// Another address is not affected.
	ts.newClientFrom("127.0.0.6").signup("elsewhere@example.com", "Elsewhere", testPassword)
}

// Behind a trusted reverse proxy the sign-in limits count the address the
// proxy forwards; from anywhere else, X-Forwarded-For changes nothing.
func TestSignInLimitsBehindAProxy(t *testing.T) {
	wrongFrom := func(c *client, forwarded string) response {
		c.header = http.Header{"X-Forwarded-For": {forwarded}}
		return c.submit("/login", "/login", url.Values{"email": {"ada@example.com"}, "password": {"not the password"}})
	}
	t.Run("trusted proxy", func(t *testing.T) {
		ts := newTestServerWith(t, options{TrustedProxies: []string{"127.0.0.1"}})
		ts.newClient().signup("ada@example.com", "Ada", testPassword)
		attacker := ts.newClient()
		for range 5 {
			wrongFrom(attacker, "203.0.113.5")
		}
		if res := wrongFrom(attacker, "203.0.113.5"); res.Status != http.StatusTooManyRequests {
			t.Fatalf("6th failure from one forwarded address: %d, want 429", res.Status)
		}
		owner := ts.newClient()
		owner.header = http.Header{"X-Forwarded-For": {"198.51.100.7"}}
		owner.login("ada@example.com", testPassword)
	})
	t.Run("no trusted proxy", func(t *testing.T) {
		ts := newTestServer(t)
		ts.newClient().signup("ada@example.com", "Ada", testPassword)
		attacker := ts.newClient()
		for i := range 5 {
			wrongFrom(attacker, fmt.Sprintf("203.0.113.%d", i+1))
		}
		if res := wrongFrom(attacker, "203.0.113.99"); res.Status != http.StatusTooManyRequests {
			t.Fatalf("a forged X-Forwarded-For escaped the limit: %d, want 429", res.Status)
		}
	})
}
