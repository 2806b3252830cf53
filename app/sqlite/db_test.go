package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

// openDBAt opens the database at path and closes it when the test ends.
func openDBAt(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsAppliedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", "supportlab.db") // the folder does not exist yet
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("no migrations: %v", err)
	}

	first, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// Something written by the first run must survive the second.
	if _, err := first.EnsureVersion(ctx, supportlab.KindQuiz, "q", "h1", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	for run := 2; run <= 3; run++ {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", run, err)
		}
		rows, err := db.read.QueryContext(ctx, `SELECT name, COUNT(*) FROM schema_migrations GROUP BY name ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var name string
			var n int
			if err := rows.Scan(&name, &n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("migration %s recorded %d times", name, n)
			}
			got = append(got, name)
		}
		rows.Close()
		if strings.Join(got, " ") != strings.Join(names, " ") {
			t.Errorf("open #%d: schema_migrations = %v, want %v", run, got, names)
		}
		if v, err := db.EnsureVersion(ctx, supportlab.KindQuiz, "q", "h1", []byte("{}")); err != nil || v != 1 {
			t.Errorf("open #%d: data of the first run lost: version %d, %v", run, v, err)
		}
		db.Close()
	}
}

// TestOpenCreatesPrivateFiles checks that a new database, its folder and
// the WAL files SQLite derives from it are for their owner only: the file
// holds password hashes and sessions.
func TestOpenCreatesPrivateFiles(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data") // does not exist yet
	path := filepath.Join(dir, "supportlab.db")
	db := openDBAt(t, path)
	// A write, so that the -wal and -shm files exist while the database is open.
	if _, err := db.EnsureVersion(ctx, supportlab.KindQuiz, "q", "h1", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want fs.FileMode
	}{
		{"folder", dir, 0o700},
		{"database", path, 0o600},
		{"write-ahead log", path + "-wal", 0o600},
		{"shared memory", path + "-shm", 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fi, err := os.Stat(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tt.want {
				t.Errorf("%s has mode %#o, want %#o", tt.path, got, tt.want)
			}
		})
	}
}

// TestOpenKeepsExistingMode checks that Open leaves an existing database's
// mode and an existing folder's mode alone: their owner chose them.
func TestOpenKeepsExistingMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "shared.db")
	first := openDBAt(t, path)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	openDBAt(t, path)
	for p, want := range map[string]fs.FileMode{dir: 0o750, path: 0o640} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %#o after Open, want it kept at %#o", p, got, want)
		}
	}
}

func TestConnectionSettings(t *testing.T) {
	ctx := context.Background()
	db := openDBAt(t, filepath.Join(t.TempDir(), "t.db"))
	for _, c := range []struct {
		name string
		conn *sql.DB
	}{{"writer", db.write}, {"reader", db.read}} {
		t.Run(c.name, func(t *testing.T) {
			var mode string
			if err := c.conn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
				t.Errorf("journal_mode = %q (%v), want wal", mode, err)
			}
			var fk, busy int
			if err := c.conn.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
				t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
			}
			if err := c.conn.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil || busy < 1000 {
				t.Errorf("busy_timeout = %d (%v), want a few seconds", busy, err)
			}
		})
	}
	// Foreign keys are enforced, not only declared.
	_, err := db.write.ExecContext(ctx, `INSERT INTO unit_reads (user_id, module, unit, read_at) VALUES (999, 'm', 'u', 'now')`)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("a read for a missing user was stored: %v", err)
	}
	// Readers cannot write.
	if _, err := db.read.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('x', 'y')`); err == nil {
		t.Error("the read pool accepted a write")
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(context.Background(), ""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	// A file that is not a database.
	path := filepath.Join(t.TempDir(), "not.db")
	if err := os.WriteFile(path, bytes.Repeat([]byte("not a database "), 100), 0o644); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(context.Background(), path); err == nil {
		db.Close()
		t.Error("Open accepted a file that is not a database")
	}
}

func TestEnsureVersion(t *testing.T) {
	ctx := context.Background()
	db := openDBAt(t, filepath.Join(t.TempDir(), "t.db"))
	steps := []struct {
		name       string
		kind, uid  string
		hash       string
		want       int
		wantStored string
	}{
		{"first load", supportlab.KindQuiz, "check", "h1", 1, `{"v":"h1"}`},
		{"same hash again", supportlab.KindQuiz, "check", "h1", 1, `{"v":"h1"}`},
		{"edited file", supportlab.KindQuiz, "check", "h2", 2, `{"v":"h2"}`},
		{"edited again", supportlab.KindQuiz, "check", "h3", 3, `{"v":"h3"}`},
		{"edit reverted", supportlab.KindQuiz, "check", "h1", 1, `{"v":"h1"}`},
		{"other uid", supportlab.KindQuiz, "other", "h2", 1, `{"v":"h2"}`},
		{"same uid, other kind", supportlab.KindSandbox, "check", "h2", 1, `{"v":"h2"}`},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			v, err := db.EnsureVersion(ctx, st.kind, st.uid, st.hash, []byte(`{"v":"`+st.hash+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			if v != st.want {
				t.Errorf("version %d, want %d", v, st.want)
			}
			var body string
			if err := db.read.QueryRowContext(ctx, `SELECT body FROM item_versions WHERE kind = ? AND uid = ? AND version = ?`, st.kind, st.uid, v).Scan(&body); err != nil || body != st.wantStored {
				t.Errorf("stored body %q (%v), want %q", body, err, st.wantStored)
			}
		})
	}
	if _, err := db.EnsureVersion(ctx, "exam", "x", "h", []byte("{}")); err == nil {
		t.Error("an unknown kind was stored")
	}
}

func TestSecret(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	db := openDBAt(t, path)
	a, err := db.Secret(ctx, "forms")
	if err != nil || len(a) != 32 {
		t.Fatalf("Secret = %x, %v; want 32 bytes", a, err)
	}
	b, _ := db.Secret(ctx, "other")
	if bytes.Equal(a, b) {
		t.Error("two secrets are equal")
	}
	db.Close()
	again, err := openDBAt(t, path).Secret(ctx, "forms")
	if err != nil || !bytes.Equal(a, again) {
		t.Errorf("the secret changed across restarts: %x then %x (%v)", a, again, err)
	}
}

func TestStorage(t *testing.T) {
	db := openDBAt(t, filepath.Join(t.TempDir(), "t.db"))
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sessions, csrf := db.Storage("session:"), db.Storage("csrf:")

	get := func(s *Storage, key string) string {
		t.Helper()
		v, err := s.Get(key)
		if err != nil {
			t.Fatalf("Get(%q): %v", key, err)
		}
		if v == nil {
			return "<absent>"
		}
		return string(v)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	if got := get(sessions, "a"); got != "<absent>" {
		t.Errorf("missing key = %s", got)
	}
	must(sessions.Set("a", []byte("one"), 0))
	must(sessions.Set("b", []byte("two"), time.Hour))
	must(csrf.Set("a", []byte("token"), time.Minute))
	if got := get(sessions, "a"); got != "one" {
		t.Errorf("Get(a) = %s", got)
	}
	if got := get(csrf, "a"); got != "token" {
		t.Errorf("prefixes collide: csrf a = %s", got)
	}
	must(sessions.Set("a", []byte("uno"), 0))
	if got := get(sessions, "a"); got != "uno" {
		t.Errorf("overwritten Get(a) = %s", got)
	}
	// Empty keys and values are ignored, not stored.
	must(sessions.Set("", []byte("x"), 0))
	must(sessions.Set("empty", nil, 0))
	if got := get(sessions, ""); got != "<absent>" {
		t.Errorf("Get(\"\") = %s", got)
	}
	if got := get(sessions, "empty"); got != "<absent>" {
		t.Errorf("Get(empty) = %s", got)
	}

	// Expiry follows the clock.
	now = now.Add(2 * time.Minute)
	if got := get(csrf, "a"); got != "<absent>" {
		t.Errorf("expired csrf token still readable: %s", got)
	}
	if got := get(sessions, "b"); got != "two" {
		t.Errorf("unexpired key lost: %s", got)
	}
	now = now.Add(time.Hour)
	if got := get(sessions, "b"); got != "<absent>" {
		t.Errorf("expired session still readable: %s", got)
	}
	if got := get(sessions, "a"); got != "uno" {
		t.Errorf("a key without expiry expired: %s", got)
	}
	// Setting an expired key again brings it back.
	must(sessions.Set("b", []byte("again"), time.Hour))
	if got := get(sessions, "b"); got != "again" {
		t.Errorf("renewed key = %s", got)
	}

	must(sessions.Delete("a"))
	must(sessions.Delete("never-set"))
	if got := get(sessions, "a"); got != "<absent>" {
		t.Errorf("deleted key = %s", got)
	}

	// Reset empties one prefix only, even when another prefix starts the same.
	sessionsX := db.Storage("session:x")
	must(sessionsX.Set("k", []byte("v"), 0))
	must(csrf.Set("c", []byte("keep"), 0))
	must(sessionsX.Reset())
	if got := get(sessionsX, "k"); got != "<absent>" {
		t.Errorf("after Reset: %s", got)
	}
	if got := get(sessions, "b"); got != "again" {
		t.Errorf("Reset of session:x removed session:b: %s", got)
	}
	must(sessions.Reset())
	if got := get(sessions, "b"); got != "<absent>" {
		t.Errorf("after Reset: %s", got)
	}
	if got := get(csrf, "c"); got != "keep" {
		t.Errorf("Reset of one prefix removed another's key: %s", got)
	}
	must(sessions.Close())

	// Prefixes are plain text, not LIKE patterns: "a_" is not "ab".
	must(db.Storage("ab").Set("k", []byte("v"), 0))
	must(db.Storage("a_").Reset())
	if got := get(db.Storage("ab"), "k"); got != "v" {
		t.Errorf("Reset of prefix a_ removed abk: %s", got)
	}
}

func TestSweepExpired(t *testing.T) {
	db := openDBAt(t, filepath.Join(t.TempDir(), "t.db"))
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	s := db.Storage("x:")
	if err := s.Set("old", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("forever", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { db.SweepExpired(ctx, time.Millisecond); close(done) }()
	// Wait until the sweep has run: the expired row disappears from the table.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := db.read.QueryRow(`SELECT COUNT(*) FROM kv WHERE k = 'x:old'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the sweep never deleted the expired key")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if v, _ := s.Get("forever"); string(v) != "v" {
		t.Errorf("the sweep deleted a key without expiry")
	}
}
