// Package sqlite stores SupportLab's data in one SQLite file: accounts,
// sessions, attempts, progress and teams. It implements the service
// interfaces of package supportlab so that nothing else touches SQL.
//
// Writes go through a single connection (SQLite has one writer anyway, and
// one connection means no SQLITE_BUSY between our own writers); reads use a
// pool of query-only connections, which WAL lets run beside the writer.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"supportlab/app/supportlab"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open SupportLab database.
type DB struct {
	write *sql.DB
	read  *sql.DB
	path  string
	// attempts writes attempts in shared transactions (batch.go).
	attempts *attemptWriter
	// Reads that every signed-in request makes, and the inserts of an
	// attempt, prepared once.
	stmtKV, stmtUser, stmtUnitRead *sql.Stmt
	stmtInsertAttempt              *sql.Stmt
	// The sessions and accounts read, kept until written (cache.go).
	kvCache   readCache[string, kvEntry]
	userCache readCache[int64, supportlab.User]

	// Now is the clock; tests replace it to make times predictable.
	Now func() time.Time
}

// Open opens (creating if needed) the database at path and applies any
// migration it has not had yet.
//
// A database it creates is readable by its owner only (file 0600, a new
// folder 0700): it holds password hashes, session data and every learner's
// results. SQLite gives the -wal and -shm files it derives from the
// database the database's own permissions, so they stay private too. An
// existing file keeps whatever permissions its owner gave it.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	write, err := sql.Open("sqlite3", dsn(path, "_txlock", "immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)

	db := &DB{write: write, path: path, Now: time.Now}
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// Checkpoints copy the WAL back into the database file, with two
	// fsyncs each. At SQLite's default (every 1,000 pages, 4 MB) busy
	// submissions ran about twenty a second; every 10,000 pages they run
	// ten times less often, each copying once the pages that many commits
	// rewrote. The WAL grows to about 40 MB before it starts again.
	if _, err := write.ExecContext(ctx, `PRAGMA wal_autocheckpoint = `+strconv.Itoa(walCheckpointPages)); err != nil {
		write.Close()
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		write.Close()
		return nil, err
	}

	read, err := sql.Open("sqlite3", dsn(path, "_txlock", "deferred", "_query_only", "true"))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open reader: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	db.read = read
	for _, p := range []struct {
		stmt **sql.Stmt
		pool *sql.DB
		sql  string
	}{
		{&db.stmtKV, read, `SELECT v, expires_at FROM kv WHERE k = ? AND (expires_at = 0 OR expires_at > ?)`},
		{&db.stmtUser, read, `SELECT ` + userColumns + ` FROM users WHERE id = ?`},
		{&db.stmtUnitRead, read, `SELECT 1 FROM unit_reads WHERE user_id = ? AND module = ? AND unit = ?`},
		{&db.stmtInsertAttempt, write, insertAttemptSQL},
	} {
		if *p.stmt, err = p.pool.PrepareContext(ctx, p.sql); err != nil {
			db.Close()
			return nil, fmt.Errorf("sqlite: prepare: %w", err)
		}
	}
	db.startAttemptWriter(attemptQueue)
	return db, nil
}

// createPrivate creates the database file at path with mode 0600, and its
// folder with mode 0700 when that is missing, before SQLite opens it:
// SQLite would create the file itself with mode 0644 (less the umask), that
// is readable by every account on the machine.
func createPrivate(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("sqlite: create folder for database: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil // created meanwhile by another process: theirs to set
	} else if err != nil {
		return fmt.Errorf("sqlite: create database: %w", err)
	}
	// The umask can only remove bits; Chmod makes the mode exact.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("sqlite: create database: %w", err)
	}
	return f.Close()
}

// dsn is the data source name of the database at path: the settings both
// pools share (WAL, enforced foreign keys, a busy timeout, durable commits)
// and the pool's own, given as name/value pairs.
func dsn(path string, pairs ...string) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_foreign_keys", "on")
	v.Set("_busy_timeout", "5000")
	v.Set("_synchronous", "FULL")
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return "file:" + path + "?" + v.Encode()
}

// walCheckpointPages is how many pages the WAL holds before a commit
// copies them into the database file (see Open).
const walCheckpointPages = 10_000

// Close checkpoints the WAL into the main file and closes every connection.
func (db *DB) Close() error {
	var errs []error
	if db.attempts != nil {
		db.attempts.close() // the queued attempts are written first
	}
	for _, st := range []*sql.Stmt{db.stmtKV, db.stmtUser, db.stmtUnitRead, db.stmtInsertAttempt} {
		if st != nil {
			st.Close()
		}
	}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		_, _ = db.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers a query; /healthz uses it.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// migrate applies, in name order, every embedded migration not yet recorded
// in schema_migrations, each in its own transaction with its record.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.applyMigration(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, name string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
			return err
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, formatTime(db.Now()))
		return err
	})
}

// inTx runs fn in one transaction on the writer (BEGIN IMMEDIATE, so its
// reads see what it will write over), committed when fn returns nil and
// rolled back otherwise: a multi-statement write is all or nothing.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// mustAffect gives notFound when an update or delete matched no row, so
// that a missing row is an error the caller can name, never a silent no-op.
func mustAffect(res sql.Result, notFound error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	} else if n == 0 {
		return notFound
	}
	return nil
}

// Secret returns the named server secret, creating a random one on first
// use. Secrets sign form data so that they survive restarts.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	key := "secret:" + name
	var value string
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&value)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		buf := make([]byte, 32)
		if _, err := rand.Read(buf); err != nil {
			return err
		}
		value = hex.EncodeToString(buf)
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, key, value)
		return err
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(value)
}

// EnsureVersion implements supportlab.VersionService.
func (db *DB) EnsureVersion(ctx context.Context, kind, uid, hash string, body []byte) (int, error) {
	var version int
	err := db.inTx(ctx, func(tx *sql.Tx) (err error) {
		version, err = ensureVersionTx(ctx, tx, kind, uid, hash, body, formatTime(db.Now()))
		return err
	})
	if err != nil {
		return 0, err
	}
	return version, nil
}

var _ supportlab.VersionService = (*DB)(nil)

const timeLayout = time.RFC3339Nano

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}
