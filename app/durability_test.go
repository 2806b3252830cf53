package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"supportlab/app/apptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestDurabilityAfterKill runs the real binary, has several learners submit
// quiz attempts at once, kills the server with SIGKILL in the middle of it,
// restarts it on the same database and checks that every attempt whose
// result page came back (the page says "saved") is still there. It then
// stops the server with SIGTERM and expects a clean exit.
func TestDurabilityAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "supportlab")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbPath := filepath.Join(dir, "data", "supportlab.db")

	srv := startServer(t, bin, dbPath)
	const learners = 6
	type learner struct {
		email string
		c     *browser
		acked atomic.Int64
	}
	ls := make([]*learner, learners)
	for i := range ls {
		ls[i] = &learner{email: fmt.Sprintf("learner%d@example.com", i), c: newBrowser(srv.url)}
	}

	// Every learner signs up, then submits attempts one after another
	// until the server dies under them.
	var wg, signedUp sync.WaitGroup
	signedUp.Add(learners)
	stop := make(chan struct{})
	started := make(chan struct{}, learners*100)
	for _, l := range ls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status := l.c.submit("/signup", "/signup", url.Values{"email": {l.email}, "name": {"Learner"}, "password": {"a long enough password"}})
			signedUp.Done()
			if status != http.StatusSeeOther {
				t.Errorf("sign up %s: status %d", l.email, status)
				return
			}
			// Signing in renews the CSRF token: take the new one.
			l.c.refreshCSRF("/quiz/support-check-en")
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				// Vary the answer so that attempts differ.
				// The 303 to the attempt's review is the acknowledgement: it
				// is sent once the attempt is stored.
				status, _ := l.c.post("/quiz/support-check-en", url.Values{"q-lucerne-admin-role": {fmt.Sprint(n % 4)}})
				if status == 0 {
					return // the server is gone
				}
				if status == http.StatusSeeOther {
					l.acked.Add(1)
					select {
					case started <- struct{}{}:
					default:
					}
				} else {
					t.Errorf("quiz submission of %s: status %d", l.email, status)
					return
				}
			}
		}()
	}
	// Kill once every learner has signed up and a fair number of attempts
	// were acknowledged, while the learners are still submitting.
	signedUp.Wait()
	deadline := time.After(15 * time.Second)
	for n := 0; n < learners*5; n++ {
		select {
		case <-started:
		case <-deadline:
			t.Fatalf("only %d attempts acknowledged in 15 s", n)
		}
	}
	srv.kill(t)
	close(stop)
	wg.Wait()
	if t.Failed() {
		return
	}

	srv = startServer(t, bin, dbPath)
	total := int64(0)
	for _, l := range ls {
		c := newBrowser(srv.url)
		if status := c.submit("/login", "/login", url.Values{"email": {l.email}, "password": {"a long enough password"}}); status != http.StatusSeeOther {
			t.Fatalf("sign in %s after restart: status %d", l.email, status)
		}
		status, body := c.get("/api/v1/me/attempts")
		var list []map[string]any
		if err := json.Unmarshal([]byte(body), &list); status != http.StatusOK || err != nil {
			t.Fatalf("attempts of %s: %d %v", l.email, status, err)
		}
		acked := l.acked.Load()
		total += acked
		// Each learner submits one attempt at a time, so at most one more
		// than acknowledged can have been stored (its page never arrived).
		if int64(len(list)) < acked || int64(len(list)) > acked+1 {
			t.Errorf("%s: %d attempts acknowledged, %d found after the restart", l.email, acked, len(list))
		}
		for _, a := range list {
			if a["uid"] != "support-check-en" || a["kind"] != "quiz" {
				t.Errorf("%s: unexpected attempt %v", l.email, a)
			}
		}
	}
	t.Logf("%d attempts acknowledged before SIGKILL, all found after the restart", total)

	// SIGTERM: the server finishes, closes the database and exits 0.
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, srv.out.String())
		}
	case <-time.After(12 * time.Second):
		_ = srv.cmd.Process.Kill()
		t.Fatal("the server did not stop within 12 s of SIGTERM")
	}
	if !strings.Contains(srv.out.String(), "shutting down") {
		t.Errorf("no shutdown message in the output:\n%s", srv.out.String())
	}
}

// binaryServer is a running supportlab process.
type binaryServer struct {
	cmd *exec.Cmd
	url string
	out *apptest.LockedBuffer
}

// startServer starts bin on a free loopback port and waits for /healthz.
func startServer(t *testing.T, bin, dbPath string) *binaryServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	out := &apptest.LockedBuffer{}
	cmd := exec.Command(bin, "-addr", addr, "-db", dbPath)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &binaryServer{cmd: cmd, url: "http://" + addr, out: out}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
		res, err := http.Get(s.url + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
	}
	t.Fatalf("server not ready after 10 s:\n%s", out.String())
	return nil
}

func (s *binaryServer) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	_ = s.cmd.Wait()
}

// browser is an HTTP client with cookies that does not follow redirects and
// remembers the CSRF token of the last form it saw.
type browser struct {
	base string
	hc   *http.Client
	csrf string
}

func newBrowser(base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{base: base, hc: &http.Client{
		Jar:     jar,
		Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// get returns the status and body; status 0 means no response.
func (b *browser) get(path string) (int, string) {
	res, err := b.hc.Get(b.base + path)
	return readResponse(res, err)
}

// post sends form with the last CSRF token seen.
func (b *browser) post(path string, form url.Values) (int, string) {
	form.Set("_csrf", b.csrf)
	res, err := b.hc.PostForm(b.base+path, form)
	return readResponse(res, err)
}

// refreshCSRF takes the CSRF token of the forms of page.
func (b *browser) refreshCSRF(page string) {
	_, body := b.get(page)
	if m := csrfRE.FindStringSubmatch(body); m != nil {
		b.csrf = m[1]
	}
}

// submit fetches formPage for its CSRF token, then posts form to action.
func (b *browser) submit(formPage, action string, form url.Values) int {
	b.refreshCSRF(formPage)
	status, _ := b.post(action, form)
	return status
}

func readResponse(res *http.Response, err error) (int, string) {
	if err != nil {
		return 0, ""
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, ""
	}
	return res.StatusCode, string(body)
}
