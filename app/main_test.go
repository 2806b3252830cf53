package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"supportlab/app/apptest"
	"testing"
	"time"

	"supportlab/app/sqlite"
	"supportlab/content"
	"supportlab/quizzes"
)

// env is a getenv over a map.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		server bool
		want   config
	}{
		{"defaults", nil, nil, true,
			config{Addr: ":3000", DB: "data/supportlab.db"}},
		{"environment over defaults", map[string]string{
			"SUPPORTLAB_ADDR": "127.0.0.1:8080", "SUPPORTLAB_DB": "/var/lib/sl.db",
			"SUPPORTLAB_CONTENT": "/srv/content", "SUPPORTLAB_QUIZZES": "/srv/quizzes",
		}, nil, true,
			config{Addr: "127.0.0.1:8080", DB: "/var/lib/sl.db", Content: "/srv/content", Quizzes: "/srv/quizzes"}},
		{"flags over environment", map[string]string{
			"SUPPORTLAB_ADDR": "127.0.0.1:8080", "SUPPORTLAB_DB": "/var/lib/sl.db",
			"SUPPORTLAB_CONTENT": "/srv/content", "SUPPORTLAB_QUIZZES": "/srv/quizzes",
		}, []string{"-addr", ":9000", "-db", "x.db", "-content", "c", "-quizzes", "q"}, true,
			config{Addr: ":9000", DB: "x.db", Content: "c", Quizzes: "q"}},
		{"one flag, the rest from the environment", map[string]string{"SUPPORTLAB_DB": "env.db", "SUPPORTLAB_QUIZZES": "envq"},
			[]string{"-db=flag.db"}, true,
			config{Addr: ":3000", DB: "flag.db", Quizzes: "envq"}},
		{"empty variable is unset", map[string]string{"SUPPORTLAB_ADDR": ""}, nil, true,
			config{Addr: ":3000", DB: "data/supportlab.db"}},
		{"validate takes content flags", map[string]string{"SUPPORTLAB_CONTENT": "envc"}, []string{"-quizzes", "q"}, false,
			config{DB: "data/supportlab.db", Content: "envc", Quizzes: "q"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			got, err := parseConfig("test", tt.args, env(tt.env), &out, tt.server)
			if err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			if got != tt.want {
				t.Errorf("config = %+v, want %+v", got, tt.want)
			}
		})
	}

	var out bytes.Buffer
	_, err := parseConfig("validate", []string{"-addr", ":1"}, env(nil), &out, false)
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 2 {
		t.Errorf("validate -addr: %v, want exit status 2", err)
	}
	if !strings.Contains(out.String(), "-addr") {
		t.Errorf("an unknown flag should be named: %q", out.String())
	}
}

func TestValidateEmbedded(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"validate"}, env(nil), &out); err != nil {
		t.Fatalf("validate: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{"OK: 3 modules with ", " units, ", " quizzes with ", " questions, ", " scenarios"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary %q lacks %q", got, want)
		}
	}
}

// writeFiles creates files (slash-separated names) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// embeddedQuizzes copies the embedded quiz folder into dir, so that a test
// can change one file of a set that otherwise validates.
func embeddedQuizzes(t *testing.T, dir string) {
	t.Helper()
	if err := os.CopyFS(dir, quizzes.FS); err != nil {
		t.Fatal(err)
	}
}

const brokenQuiz = `uid: broken-check
title: Broken
lang: en
questions:
- id: q1
  content: "Who files?"
  choices:
  - content: "The admin"
    isCorrect: true
    iscorrect: true
    explanation: "Yes."
  - content: "A user"
    explanation: "No."
`

// quizOf writes a valid quiz of n questions, 8 lines each after a 4-line
// header: question k starts on line 8k-3 (question 201 on line 1605).
func quizOf(uid string, n int) string {
	var b strings.Builder
	b.WriteString("uid: " + uid + "\ntitle: Many\nlang: en\nquestions:\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "- id: q%d\n  content: Q%d\n  choices:\n  - content: a\n    isCorrect: true\n    explanation: e\n  - content: b\n    explanation: e\n", k, k)
	}
	return b.String()
}

func TestValidateReportsProblems(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) []string // returns args after "validate"
		env   func(dir string) map[string]string
		want  func(dir string) []string
	}{
		{"broken quiz file", func(t *testing.T, dir string) []string {
			embeddedQuizzes(t, dir)
			writeFiles(t, dir, map[string]string{"broken.yml": brokenQuiz})
			return []string{"-quizzes", dir}
		}, nil, func(dir string) []string {
			return []string{dir + `/broken.yml:10: unknown field "iscorrect" (did you mean "isCorrect"?)`}
		}},
		{"quizzes folder from the environment", func(t *testing.T, dir string) []string {
			embeddedQuizzes(t, dir)
			writeFiles(t, dir, map[string]string{"broken.yml": brokenQuiz})
			return nil
		}, func(dir string) map[string]string { return map[string]string{"SUPPORTLAB_QUIZZES": dir} }, func(dir string) []string {
			return []string{dir + `/broken.yml:10: unknown field "iscorrect" (did you mean "isCorrect"?)`}
		}},
		{"every problem of a quiz at once", func(t *testing.T, dir string) []string {
			embeddedQuizzes(t, dir)
			writeFiles(t, dir, map[string]string{"broken.yml": strings.Replace(strings.Replace(brokenQuiz,
				"lang: en", "lang: de", 1), `    explanation: "No."`, "", 1)})
			return []string{"-quizzes", dir}
		}, nil, func(dir string) []string {
			return []string{
				dir + `/broken.yml:3: lang must be en or fr, not "de"`,
				dir + `/broken.yml:10: unknown field "iscorrect" (did you mean "isCorrect"?)`,
				dir + `/broken.yml:12: question "q1", choice 2 has no explanation`,
			}
		}},
		{"files over SPEC's limits", func(t *testing.T, dir string) []string {
			embeddedQuizzes(t, dir)
			big := quizOf("big-check", 2)
			big += "# " + strings.Repeat("x", 1<<20-len(big)-2) + "\n" // 1 MB + 1 byte
			writeFiles(t, dir, map[string]string{
				"many.yml": quizOf("many-check", 201),
				"most.yml": quizOf("most-check", 200),
				"big.yml":  big,
				// A Learn unit with its dotted uid and a question in file order passes.
				"learn.yml": "### YamlMime:ModuleUnit\nuid: learn.dotted.check\ntitle: Learn\nquiz:\n  questions:\n" +
					"  - content: Q\n    shuffle: false\n    choices:\n    - content: a\n      isCorrect: true\n      explanation: e\n" +
					"    - content: b\n      explanation: e\n",
			})
			return []string{"-quizzes", dir}
		}, nil, func(dir string) []string {
			return []string{
				dir + `/big.yml:1: file is 1048577 bytes; a quiz or scenario file may be at most 1 MB (1048576 bytes)`,
				dir + `/many.yml:1605: a quiz may have at most 200 questions, not 201 (this is question 201)`,
			}
		}},
		{"broken scenario", func(t *testing.T, dir string) []string {
			embeddedQuizzes(t, dir)
			writeFiles(t, dir, map[string]string{"scenarios/bad.yml": "uid: bad\ntitle: Bad\nlang: en\nsituation: s\nexplanation: e\nexpect:\n  action: open-request\n  product: exchange-online\n  severity: D\n"})
			return []string{"-quizzes", dir}
		}, nil, func(dir string) []string {
			return []string{dir + `/scenarios/bad.yml:9: expect.severity must be A, B or C, not "D"`}
		}},
		{"lesson names a quiz the folder lacks", func(t *testing.T, dir string) []string {
			// Lessons and quizzes both from disk: the reference is checked.
			if err := os.CopyFS(filepath.Join(dir, "content"), content.FS); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, filepath.Join(dir, "quizzes"), map[string]string{"only.yml": strings.Replace(strings.Replace(brokenQuiz, "    iscorrect: true\n", "", 1), "uid: broken-check", "uid: only-check", 1)})
			return []string{"-content", filepath.Join(dir, "content"), "-quizzes", filepath.Join(dir, "quizzes")}
		}, nil, func(dir string) []string {
			return []string{
				dir + `/content/en/before-you-file/06-knowledge-check.md:4: quiz "before-you-file-check-en" does not exist`,
				dir + `/content/en/get-help-from-microsoft/05-knowledge-check.md:4: quiz "support-check-en" does not exist`,
				dir + `/content/en/work-a-request-through/06-knowledge-check.md:4: quiz "work-a-request-check-en" does not exist`,
				dir + `/content/fr/before-you-file/06-knowledge-check.md:4: quiz "before-you-file-check-fr" does not exist`,
				dir + `/content/fr/get-help-from-microsoft/05-knowledge-check.md:4: quiz "support-check-fr" does not exist`,
				dir + `/content/fr/work-a-request-through/06-knowledge-check.md:4: quiz "work-a-request-check-fr" does not exist`,
			}
		}},
		{"broken lesson", func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{
				"en/m/index.md":   "---\ntitle: M\n---\n",
				"en/m/01-a.md":    "---\ntitle: A\nminute: 3\n---\nText.\n",
				"fr/m/index.md":   "---\ntitle: M\n---\n",
				"fr/m/01-a.md":    "---\ntitle: A\nminutes: 3\n---\nTexte.\n",
				"fr/m/notes.txt":  "ignored",
				"en/m/2-b.md":     "---\ntitle: B\nminutes: 3\n---\n",
				"fr/m/02-b.md":    "---\ntitle: B\n---\n",
				"en/m/README.txt": "ignored",
			})
			return []string{"-content", dir}
		}, nil, func(dir string) []string {
			return []string{
				dir + `/en/m/01-a.md:3: unknown field "minute" (did you mean "minutes"?)`,
				dir + `/en/m/2-b.md:1: unit file names look like NN-slug.md (two digits, a dash, lower-case words)`,
				dir + `/fr/m/02-b.md:1: front matter needs minutes, a whole number above 0`,
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"validate"}, tt.setup(t, dir)...)
			e := map[string]string{}
			if tt.env != nil {
				e = tt.env(dir)
			}
			var out bytes.Buffer
			err := run(context.Background(), args, env(e), &out)
			var ee exitError
			if !errors.As(err, &ee) || ee.code != 1 {
				t.Fatalf("validate = %v, want exit status 1\n%s", err, out.String())
			}
			want := strings.Join(tt.want(filepath.ToSlash(dir)), "\n") + "\n"
			if got := filepath.ToSlash(out.String()); got != want {
				t.Errorf("output:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// A trainer's own quiz folder beside the embedded lessons validates: the
// lessons' knowledge checks it lacks are warnings, not problems.
func TestValidateOwnQuizFolderWithEmbeddedLessons(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"only.yml": strings.Replace(strings.Replace(brokenQuiz, "    iscorrect: true\n", "", 1), "uid: broken-check", "uid: only-check", 1)})
	var out bytes.Buffer
	if err := run(context.Background(), []string{"validate", "-quizzes", dir}, env(nil), &out); err != nil {
		t.Fatalf("validate = %v, want success\n%s", err, out.String())
	}
	for _, want := range []string{"OK: 3 modules with 34 units, 1 quizzes", `warning: content/en/get-help-from-microsoft/05-knowledge-check.md:4: quiz "support-check-en" does not exist`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestServeRefusesBadContent(t *testing.T) {
	dir := t.TempDir()
	embeddedQuizzes(t, dir)
	writeFiles(t, dir, map[string]string{"broken.yml": brokenQuiz})
	dbPath := filepath.Join(t.TempDir(), "sl.db")
	var out bytes.Buffer
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", dbPath, "-quizzes", dir}, env(nil), &out)
	if err == nil {
		t.Fatal("the server started with a broken quiz file")
	}
	if want := filepath.ToSlash(dir) + `/broken.yml:10: unknown field "iscorrect"`; !strings.Contains(filepath.ToSlash(err.Error()), want) {
		t.Errorf("error %q does not point at %s", err, want)
	}
	if _, err := os.Stat(dbPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the database was created before the content was checked: %v", err)
	}
}

func TestServeStartsAndStops(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dbPath := filepath.Join(t.TempDir(), "nested", "sl.db")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out apptest.LockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", addr}, env(map[string]string{"SUPPORTLAB_DB": dbPath}), &out)
	}()

	up := false
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !up; time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("server stopped: %v\n%s", err, out.String())
		default:
		}
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			up = res.StatusCode == http.StatusOK
		}
	}
	if !up {
		t.Fatalf("no /healthz 200 from %s:\n%s", addr, out.String())
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Errorf("database from SUPPORTLAB_DB not created: %v", err)
	}
	for _, path := range []string{"/", "/learn/get-help-from-microsoft/severity-levels", "/quiz/support-check-fr", "/static/css/app.css"} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", path, res.StatusCode)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop")
	}
	if !strings.Contains(out.String(), "listening on "+addr) {
		t.Errorf("output: %s", out.String())
	}
}

func TestUnknownCommandsAndArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"bogus-cmd", "-addr", "127.0.0.1:0"}, `unknown command "bogus-cmd"`},
		{"extra argument to validate", []string{"validate", "extra"}, `validate: unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			err := run(context.Background(), tt.args, func(string) string { return "" }, &out)
			var ee exitError
			if !errors.As(err, &ee) || ee.code != 2 {
				t.Fatalf("err %v, want exit status 2", err)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Fatalf("output %q, want %q", out.String(), tt.want)
			}
		})
	}
}

func TestUserCreate(t *testing.T) {
	cost := sqlite.BcryptCost
	sqlite.BcryptCost = 4 // bcrypt.MinCost: hashing speed is not under test
	t.Cleanup(func() { sqlite.BcryptCost = cost })
	dbPath := filepath.Join(t.TempDir(), "users.db")
	tests := []struct {
		name     string
		args     []string
		password string
		code     int // 0 for success
		want     string
		absent   string // must not be in the output, when set
	}{
		{"learner", []string{"create", "-db", dbPath, "-email", "ada@example.com", "-name", "Ada", "-role", "learner"}, "correct horse battery\n", 0, "Created learner account", ""},
		{"unknown role", []string{"create", "-db", dbPath, "-email", "bob@example.com", "-name", "Bob", "-role", "boss"}, "correct horse battery\n", 1, "user create: “boss” is not a role: use learner, trainer or admin.", ""},
		{"email taken", []string{"create", "-db", dbPath, "-email", "ADA@example.com", "-name", "Ada", "-role", "admin"}, "correct horse battery\n", 1, "user create: ADA@example.com already has an account in ", ""},
		{"no password", []string{"create", "-db", dbPath, "-email", "cy@example.com", "-name", "Cy"}, "", 1, "no password", ""},
		{"not create", []string{"delete"}, "", 2, "usage: supportlab user create", ""},
		{"help lists its own flags only", []string{"create", "-h"}, "", 0, "-email", "-content"},
		{"name with a control character", []string{"create", "-db", dbPath, "-email", "eve@example.com", "-name", "Eve\x1b[2J", "-role", "learner"}, "correct horse battery\n", 1, "user create: -name: ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := stdin
			stdin = strings.NewReader(tt.password)
			defer func() { stdin = old }()
			var out strings.Builder
			err := runUser(context.Background(), tt.args, func(string) string { return "" }, &out)
			var ee exitError
			switch {
			case tt.code == 0 && err != nil:
				t.Fatalf("err %v, output %q", err, out.String())
			case tt.code != 0 && (!errors.As(err, &ee) || ee.code != tt.code):
				t.Fatalf("err %v, want exit status %d", err, tt.code)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Fatalf("output %q, want %q", out.String(), tt.want)
			}
			if tt.absent != "" && strings.Contains(out.String(), tt.absent) {
				t.Fatalf("output %q holds %q", out.String(), tt.absent)
			}
		})
	}
}
