package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"supportlab/app/apptest"
	"supportlab/app/postgres"
	"supportlab/app/sqlite"
	"supportlab/app/storetest"
	"supportlab/app/supportlab"
)

// Tests of SupportLab on PostgreSQL through the real binary and commands:
// two app processes sharing one database (what a load balancer in front
// of several machines does), and migrate-db. They need
// SUPPORTLAB_TEST_POSTGRES (.ci/run sets it) and skip without it, except
// under CI=true, where they fail.

// buildBinary builds the app into a temporary folder.
func buildBinary(t testing.TB) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	bin := filepath.Join(t.TempDir(), "supportlab")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startServerTB is startServer (durability_test.go) for benchmarks too:
// bin on a free loopback port with -db dsn, ready once /healthz answers.
func startServerTB(tb testing.TB, bin, dsn string) *binaryServer {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	out := &apptest.LockedBuffer{}
	cmd := exec.Command(bin, "-addr", addr, "-db", dsn)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	s := &binaryServer{cmd: cmd, url: "http://" + addr, out: out}
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(s.url + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
	}
	tb.Fatalf("server not ready after 20 s:\n%s", out.String())
	return nil
}

// on returns a view of b that sends its requests to another process: the
// same cookies (a cookie is the host's, whatever the port) and the same
// CSRF token, as a browser behind a load balancer has.
func (b *browser) on(base string) *browser {
	return &browser{base: base, hc: b.hc, csrf: b.csrf}
}

// upload posts a file to /author/import with the CSRF token.
func (b *browser) upload(filename, content string) int {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", b.csrf)
	fw, _ := w.CreateFormFile("file", filename)
	_, _ = fw.Write([]byte(content))
	_ = w.Close()
	res, err := b.hc.Post(b.base+"/author/import", w.FormDataContentType(), &buf)
	status, _ := readResponse(res, err)
	return status
}

// attemptsOf returns the learner's attempts as the JSON API lists them.
func attemptsOf(t *testing.T, b *browser) []map[string]any {
	t.Helper()
	status, body := b.get("/api/v1/me/attempts")
	var list []map[string]any
	if err := json.Unmarshal([]byte(body), &list); status != http.StatusOK || err != nil {
		t.Fatalf("GET %s/api/v1/me/attempts: %d %v\n%s", b.base, status, err, body)
	}
	return list
}

var attemptLocation = regexp.MustCompile(`^/me/attempts/[0-9]+$`)

const twoProcessQuiz = `uid: two-process-check
title: Two processes
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

// TestTwoProcesses runs two app processes on one PostgreSQL database: a
// learner signed in on A submits a quiz on B with A's CSRF token and sees
// the attempt on A; sign-in limits count across both; a quiz imported on A
// is live on B within seconds, and so is its retirement; and after B is killed with SIGKILL in the
// middle of submissions, every acknowledged attempt is found through A.
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dbURL := storetest.PostgresURL(t)
	bin := buildBinary(t)
	a, b := startServer(t, bin, dbURL), startServer(t, bin, dbURL)
	const password = "a long enough password"

	// The first account is the admin, who imports below.
	admin := newBrowser(a.url)
	if status := admin.submit("/signup", "/signup", url.Values{"email": {"admin@example.com"}, "name": {"Admin"}, "password": {password}}); status != http.StatusSeeOther {
		t.Fatalf("admin sign-up on A: %d", status)
	}
	learnerA := newBrowser(a.url)
	if status := learnerA.submit("/signup", "/signup", url.Values{"email": {"ada@example.com"}, "name": {"Ada"}, "password": {password}}); status != http.StatusSeeOther {
		t.Fatalf("learner sign-up on A: %d", status)
	}

	t.Run("signed in on A, submit on B, see it on A", func(t *testing.T) {
		learnerA.refreshCSRF("/quiz/support-check-en") // the token signing in renewed, from A
		learnerB := learnerA.on(b.url)
		res, err := learnerB.hc.PostForm(b.url+"/quiz/support-check-en", url.Values{"_csrf": {learnerB.csrf}, "q-lucerne-admin-role": {"1"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !attemptLocation.MatchString(loc) {
			t.Fatalf("POST /quiz on B with A's session and token: %d to %q, want 303 to /me/attempts/<id>", res.StatusCode, loc)
		}
		list := attemptsOf(t, learnerA)
		if len(list) != 1 || list[0]["uid"] != "support-check-en" || list[0]["kind"] != "quiz" {
			t.Fatalf("A lists %v, want the attempt made on B", list)
		}
		if status, _ := learnerA.get(loc); status != http.StatusOK {
			t.Errorf("A shows the review %s with %d", loc, status)
		}
	})

	t.Run("sign-in limits count across processes", func(t *testing.T) {
		// Five wrong passwords for one account, alternately on A and B:
		// the sixth try is refused by either process.
		intruder := newBrowser(a.url)
		intruder.refreshCSRF("/login")
		for i := range 5 {
			c := intruder.on([]string{a.url, b.url}[i%2])
			if status, _ := c.post("/login", url.Values{"email": {"ada@example.com"}, "password": {"wrong password " + fmt.Sprint(i)}}); status != http.StatusUnauthorized && status != http.StatusOK && status != http.StatusUnprocessableEntity {
				t.Fatalf("wrong password #%d: status %d", i+1, status)
			}
		}
		for _, base := range []string{a.url, b.url} {
			if status, _ := intruder.on(base).post("/login", url.Values{"email": {"ada@example.com"}, "password": {password}}); status != http.StatusTooManyRequests {
				t.Errorf("sixth sign-in on %s: %d, want 429", base, status)
			}
		}
	})

	t.Run("an import on A is live on B within seconds", func(t *testing.T) {
		if status, _ := newBrowser(b.url).get("/quiz/two-process-check"); status != http.StatusNotFound {
			t.Fatalf("the quiz exists before its import: %d", status)
		}
		admin.refreshCSRF("/author")
		if status := admin.upload("two-process-check.yml", twoProcessQuiz); status != http.StatusSeeOther {
			t.Fatalf("import on A: %d", status)
		}
		start := time.Now()
		for {
			status, body := newBrowser(b.url).get("/quiz/two-process-check")
			if status == http.StatusOK && strings.Contains(body, "Who files service requests?") {
				t.Logf("live on B %s after the import on A", time.Since(start).Round(time.Millisecond))
				break
			}
			if time.Since(start) > 10*time.Second {
				t.Fatalf("the quiz imported on A is not live on B after 10 s: %d", status)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("a retirement on A reaches B within seconds", func(t *testing.T) {
		admin.refreshCSRF("/author")
		if status, _ := admin.post("/author/two-process-check/retire", url.Values{"retired": {"true"}}); status != http.StatusSeeOther {
			t.Fatalf("retire on A: %d", status)
		}
		start := time.Now()
		for {
			status, _ := newBrowser(b.url).get("/quiz/two-process-check")
			if status == http.StatusNotFound {
				t.Logf("retired on B %s after the retirement on A", time.Since(start).Round(time.Millisecond))
				break
			}
			if time.Since(start) > 10*time.Second {
				t.Fatalf("the quiz retired on A still answers %d on B after 10 s", status)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("SIGKILL of one process loses no acknowledged attempt", func(t *testing.T) {
		const learners = 6
		type learner struct {
			email string
			c     *browser
			acked atomic.Int64
		}
		ls := make([]*learner, learners)
		for i := range ls {
			base := []string{a.url, b.url}[i%2]
			l := &learner{email: fmt.Sprintf("learner%d@example.com", i), c: newBrowser(base)}
			if status := l.c.submit("/signup", "/signup", url.Values{"email": {l.email}, "name": {"Learner"}, "password": {password}}); status != http.StatusSeeOther {
				t.Fatalf("sign up %s: %d", l.email, status)
			}
			l.c.refreshCSRF("/quiz/support-check-en")
			ls[i] = l
		}
		// Each learner submits alternately on A and B until B dies
		// under them (a submission to B gets no answer).
		var wg sync.WaitGroup
		stop := make(chan struct{})
		acks := make(chan struct{}, learners*1000)
		for _, l := range ls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					c := l.c.on([]string{a.url, b.url}[n%2])
					status, _ := c.post("/quiz/support-check-en", url.Values{"q-lucerne-admin-role": {fmt.Sprint(n % 4)}})
					switch status {
					case 0:
						return // B is gone
					case http.StatusSeeOther:
						l.acked.Add(1)
						acks <- struct{}{}
					default:
						t.Errorf("submission of %s: status %d", l.email, status)
						return
					}
				}
			}()
		}
		deadline := time.After(20 * time.Second)
		for n := 0; n < learners*10; n++ {
			select {
			case <-acks:
			case <-deadline:
				t.Fatalf("only %d attempts acknowledged in 20 s", n)
			}
		}
		b.kill(t)
		close(stop)
		wg.Wait()
		if t.Failed() {
			return
		}
		total := int64(0)
		for _, l := range ls {
			list := attemptsOf(t, l.c.on(a.url))
			acked := l.acked.Load()
			total += acked
			// One submission at a time: at most the one whose answer
			// never came back is stored beyond those acknowledged.
			if int64(len(list)) < acked || int64(len(list)) > acked+1 {
				t.Errorf("%s: %d attempts acknowledged, %d found through A", l.email, acked, len(list))
			}
		}
		t.Logf("%d attempts acknowledged by A and B before B's SIGKILL, all found through A", total)
	})
}

// TestMigrateDB fills a SQLite database, copies it with `supportlab
// migrate-db` into an empty PostgreSQL database, and reads everything back
// from PostgreSQL: accounts (their passwords), attempts, teams, imports,
// versions, sessions, the signing secret; ids keep counting after the
// copied ones. A second copy into the now full database is refused.
func TestMigrateDB(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "supportlab.db")
	src, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	admin, err := src.CreateUser(ctx, supportlab.NewUser{Email: "admin@example.com", Name: "Admin", Password: "correct horse battery"})
	must(err)
	ada, err := src.CreateUser(ctx, supportlab.NewUser{Email: "ada@example.com", Name: "Ada", Password: "ada's own password"})
	must(err)
	must(src.SetUserDisabled(ctx, ada.ID, false))
	// The team is made and joined before the attempts below, which its
	// figures then count (SPEC's join-date rule).
	src.Now = func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 6_000_000, time.UTC) }
	team, err := src.CreateTeam(ctx, "Helpdesk", admin.ID)
	must(err)
	_, _, err = src.JoinTeam(ctx, ada.ID, team.Code)
	must(err)
	src.Now = time.Now
	at := time.Date(2025, 6, 7, 8, 9, 10, 11_000_000, time.UTC)
	quiz := &supportlab.Attempt{UserID: ada.ID, Kind: supportlab.KindQuiz, UID: "support-check-en", Version: 1, Score: 50, At: at,
		Asked: []string{"a", "b"}, Answers: map[string][]int{"a": {0}, "b": {1}}, Right: map[string]bool{"a": true}}
	must(src.CreateAttempt(ctx, quiz))
	sandbox := &supportlab.Attempt{UserID: ada.ID, Kind: supportlab.KindSandbox, UID: "outage", Version: 2, Score: 90, Passed: true, At: at.Add(time.Hour),
		Parts: &supportlab.SandboxParts{Action: 20, Severity: 50, Product: 20}, Expected: "A",
		Answer: &supportlab.SandboxAnswer{Action: supportlab.ActionOpenRequest, Product: "exchange-online", Severity: "A", Title: "Mail", Description: "Nobody can send mail"}}
	must(src.CreateAttempt(ctx, sandbox))
	must(src.MarkUnitRead(ctx, ada.ID, "get-help", "severity"))
	v, err := src.EnsureVersion(ctx, supportlab.KindQuiz, "support-check-en", "h1", []byte(`{"v":1}`))
	must(err)
	imp := &supportlab.Import{Kind: supportlab.KindQuiz, UID: "mine", Format: "gift", Filename: "mine.gift", Title: "Mine", Lang: "fr", Source: []byte("::q:: x {T}"), AuthorID: admin.ID}
	must(src.SaveImport(ctx, imp, "g", []byte("{}")))
	assignment := &supportlab.Assignment{TeamID: team.ID, Kind: supportlab.KindQuiz, UID: "support-check-en", Due: "2025-07-01", CreatedBy: admin.ID}
	must(src.SaveAssignment(ctx, assignment))
	must(src.SetRetired(ctx, supportlab.KindQuiz, "mine", true, admin.ID))
	secret, err := src.Secret(ctx, "forms")
	must(err)
	must(src.HashedStorage("session:").Set("live-session-id", []byte("user=2"), time.Hour))
	must(src.Close())

	var out bytes.Buffer
	if err := run(ctx, []string{"migrate-db", "-from", path, "-to", dbURL}, func(string) string { return "" }, &out); err != nil {
		t.Fatalf("migrate-db: %v\n%s", err, out.String())
	}
	for _, want := range []string{"users", "attempts", "attempt_marks", "teams", "team_members", "authored_items", "item_versions", "kv", "settings", "unit_reads", "assignments", "retired_items"} {
		if !regexp.MustCompile(`(?m)^` + want + ` +[1-9][0-9]* rows$`).MatchString(out.String()) {
			t.Errorf("no count of %s in the output:\n%s", want, out.String())
		}
	}

	dst, err := postgres.Open(ctx, dbURL)
	must(err)
	defer dst.Close()
	t.Run("accounts keep their passwords and roles", func(t *testing.T) {
		u, err := dst.Authenticate(ctx, "ada@example.com", "ada's own password")
		if err != nil || u.ID != ada.ID || u.Role != supportlab.RoleLearner || u.Name != "Ada" {
			t.Fatalf("Ada after the copy: %+v %v", u, err)
		}
		if u, err := dst.FindUserByID(ctx, admin.ID); err != nil || u.Role != supportlab.RoleAdmin || !u.CreatedAt.Equal(admin.CreatedAt.Truncate(time.Microsecond)) { // PostgreSQL keeps microseconds
			t.Errorf("admin after the copy: %+v %v (created %v)", u, err, admin.CreatedAt)
		}
		// The identity sequence continues after the copied ids.
		bob, err := dst.CreateUser(ctx, supportlab.NewUser{Email: "bob@example.com", Name: "Bob", Password: "bob's own password"})
		if err != nil || bob.ID <= ada.ID || bob.Role != supportlab.RoleLearner {
			t.Errorf("a new account after the copy: %+v %v", bob, err)
		}
	})
	t.Run("attempts with their answers and marks", func(t *testing.T) {
		list, err := dst.ListAttempts(ctx, ada.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("attempts %v %v", list, err)
		}
		s, q := list[0], list[1]
		if s.ID != sandbox.ID || s.Answer == nil || s.Answer.Description != "Nobody can send mail" || s.Expected != "A" || !s.Passed || !s.At.Equal(sandbox.At) {
			t.Errorf("sandbox attempt %+v", s)
		}
		if q.ID != quiz.ID || q.Score != 50 || q.Passed || !q.At.Equal(at) || !q.Right["a"] || len(q.Asked) != 2 {
			t.Errorf("quiz attempt %+v", q)
		}
		st, err := dst.TeamStats(ctx, team.ID, supportlab.StatsQuery{Limit: 10})
		if err != nil || st.Attempts != 2 || len(st.Questions) != 2 || st.Confusion.Counts[0][0] != 1 {
			t.Errorf("team stats after the copy: %+v %v", st, err)
		}
		// Item analysis needs each attempt's number of right answers,
		// which PostgreSQL keeps and the copy works out from the marks:
		// for question b (wrong), the rest of the attempt is a (right).
		if err == nil && len(st.Questions) == 2 && (st.Questions[1].QuestionID != "b" || st.Questions[1].SumY != 1 || st.Questions[0].SumX != 1) {
			t.Errorf("item analysis after the copy: %+v", st.Questions)
		}
		next := &supportlab.Attempt{UserID: ada.ID, Kind: supportlab.KindQuiz, UID: "x", Version: 1}
		if err := dst.CreateAttempt(ctx, next); err != nil || next.ID <= sandbox.ID {
			t.Errorf("a new attempt after the copy: id %d, %v", next.ID, err)
		}
	})
	t.Run("teams, progress, versions, imports", func(t *testing.T) {
		got, joined, err := dst.JoinTeam(ctx, ada.ID, team.Code)
		if err != nil || joined || got.ID != team.ID || got.MyRole != supportlab.TeamRoleMember {
			t.Errorf("the join code after the copy: %+v %v %v", got, joined, err)
		}
		if read, err := dst.UnitsRead(ctx, ada.ID); err != nil || !read["get-help"]["severity"] {
			t.Errorf("units read %v %v", read, err)
		}
		if got, err := dst.EnsureVersion(ctx, supportlab.KindQuiz, "support-check-en", "h1", []byte(`{"v":1}`)); err != nil || got != v {
			t.Errorf("version of the shipped quiz %d, %v; want %d", got, err, v)
		}
		imps, err := dst.LatestImports(ctx)
		if err != nil || len(imps) != 1 || imps[0].UID != "mine" || string(imps[0].Source) != "::q:: x {T}" || imps[0].AuthorID != admin.ID || imps[0].Version != imp.Version {
			t.Errorf("imports %+v %v", imps, err)
		}
	})
	t.Run("assignments and retired items", func(t *testing.T) {
		list, err := dst.TeamAssignments(ctx, team.ID)
		if err != nil || len(list) != 1 || list[0].ID != assignment.ID || list[0].Due != "2025-07-01" || list[0].CreatedBy != admin.ID || !list[0].CreatedAt.Equal(assignment.CreatedAt) {
			t.Errorf("assignments %+v %v, want %+v", list, err, assignment)
		}
		if retired, err := dst.RetiredItems(ctx); err != nil || !retired["quiz/mine"] || len(retired) != 1 {
			t.Errorf("retired items %v %v", retired, err)
		}
	})
	t.Run("sessions and the secret come along", func(t *testing.T) {
		if got, err := dst.Secret(ctx, "forms"); err != nil || !bytes.Equal(got, secret) {
			t.Errorf("secret %x %v, want %x", got, err, secret)
		}
		if v, err := dst.HashedStorage("session:").Get("live-session-id"); err != nil || string(v) != "user=2" {
			t.Errorf("session %q %v", v, err)
		}
	})
	t.Run("a second copy into a full database is refused", func(t *testing.T) {
		var out bytes.Buffer
		err := run(ctx, []string{"migrate-db", "-from", path, "-to", dbURL}, func(string) string { return "" }, &out)
		if ee, ok := err.(exitError); !ok || ee.code != 1 || !strings.Contains(out.String(), "not empty") || !strings.Contains(out.String(), "Nothing was copied") {
			t.Errorf("second copy: %v\n%s", err, out.String())
		}
	})
	t.Run("usage errors", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			args []string
			code int
		}{
			{"no target", []string{"migrate-db", "-from", path}, 2},
			{"target not a URL", []string{"migrate-db", "-from", path, "-to", "other.db"}, 2},
			{"no source", []string{"migrate-db", "-from", filepath.Join(t.TempDir(), "none.db"), "-to", dbURL}, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var out bytes.Buffer
				err := run(ctx, tc.args, func(string) string { return "" }, &out)
				if ee, ok := err.(exitError); !ok || ee.code != tc.code {
					t.Errorf("got %v, want exit status %d\n%s", err, tc.code, out.String())
				}
			})
		}
	})
}

// TestDisplayDSN checks that a database URL printed by the server or a
// command never shows its password.
func TestDisplayDSN(t *testing.T) {
	for _, tc := range []struct {
		name, dsn, want string
	}{
		{"SQLite file", "data/supportlab.db", "data/supportlab.db"},
		{"URL with a password", "postgres://app:s3cret@db:5432/supportlab?sslmode=disable", "postgres://app:xxxxx@db:5432/supportlab?sslmode=disable"},
		{"URL without a password", "postgresql://app@db/supportlab", "postgresql://app@db/supportlab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := displayDSN(tc.dsn); got != tc.want {
				t.Errorf("displayDSN(%q) = %q, want %q", tc.dsn, got, tc.want)
			}
		})
	}
}

// BenchmarkScaleHTTP measures, through the real binary and HTTP as a
// trainer's browser or an integration would, the dashboard of a team of
// 10,000 learners with 500,000 attempts, its scores.csv and its scores API,
// on SQLite and on PostgreSQL (when SUPPORTLAB_TEST_POSTGRES is set). Run:
//
//	go test -run XXX -bench ScaleHTTP -benchtime 10x ./app
func BenchmarkScaleHTTP(b *testing.B) {
	scale := storetest.TenThousand
	ctx := context.Background()
	stores := []struct {
		name string
		dsn  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string {
			path := filepath.Join(b.TempDir(), "scale.db")
			db, err := sqlite.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if err := seedSQLite(ctx, path, scale); err != nil {
				b.Fatal(err)
			}
			return path
		}},
		{"postgres", func(b *testing.B) string {
			url := storetest.PostgresURL(b)
			db, err := postgres.Open(ctx, url)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Load(ctx, scale.Export); err != nil {
				b.Fatal(err)
			}
			if _, err := db.Pool().Exec(ctx, `VACUUM ANALYZE`); err != nil {
				b.Fatal(err)
			}
			return url
		}},
	}
	bin := buildBinary(b)
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			dsn := st.dsn(b)
			srv := startServerTB(b, bin, dsn)
			c := newBrowser(srv.url)
			if status := c.submit("/login", "/login", url.Values{"email": {storetest.TrainerEmail}, "password": {storetest.TrainerPassword}}); status != http.StatusSeeOther {
				b.Fatalf("trainer sign-in: %d", status)
			}
			for _, page := range []struct{ name, path string }{
				{"dashboard", "/teams/1"},
				{"scores.csv", "/teams/1/scores.csv"},
				{"api-scores", "/api/v1/teams/1/scores"},
			} {
				b.Run(page.name, func(b *testing.B) {
					size := 0
					for b.Loop() {
						status, body := c.get(page.path)
						if status != http.StatusOK {
							b.Fatalf("GET %s: %d", page.path, status)
						}
						size = len(body)
					}
					b.ReportMetric(float64(size), "bytes")
				})
			}
		})
	}
}

// seedSQLite inserts s's rows into the SQLite file at path in one
// transaction, then analyses the tables.
func seedSQLite(ctx context.Context, path string, s storetest.Scale) error {
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_busy_timeout=5000")
	if err != nil {
		return err
	}
	defer raw.Close()
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	err = s.Export(ctx, func(table string, columns []string, next func() ([]any, error)) error {
		if table == "attempt_marks" {
			return nil // a view of the attempts' detail in SQLite
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+strings.Join(columns, ", ")+`) VALUES (?`+strings.Repeat(", ?", len(columns)-1)+`)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for {
			row, err := next()
			if err != nil || row == nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, row...); err != nil {
				return err
			}
		}
	})
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = raw.ExecContext(ctx, `ANALYZE`)
	return err
}
