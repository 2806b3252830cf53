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
