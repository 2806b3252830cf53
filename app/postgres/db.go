// Package postgres stores SupportLab's data in PostgreSQL, for deployments
// that run several app processes behind a load balancer: accounts,
// sessions, attempts, progress, teams, imports, rate-limit counters and the
// signing secret all live in the one database, so any process can serve any
// request. It implements the same service interfaces of package supportlab
// as package sqlite, with the same semantics and error keys (the suite in
// app/storetest runs against both), so nothing else knows which store it
// talks to.
//
// It uses pgx's connection pool directly: every operation is one statement
// or one transaction, with parameters only.
package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"supportlab/app/supportlab"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open SupportLab database on a PostgreSQL server.
type DB struct {
	pool *pgxpool.Pool

	// Now is the clock; tests replace it to make times predictable. The
	// server's own clock is never used, so that every process and the
	// tests agree on what "now" is for expiry.
	Now func() time.Time
}

// IsURL reports whether dsn names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a SQLite file.
func IsURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// DefaultMaxConns is the pool size when the URL does not set
// pool_max_conns: enough for a busy process, few enough that several
// processes stay under the server's default of 100 connections.
const DefaultMaxConns = 32

// Open connects to the database at url (postgres://user:pass@host/db?...)
// and applies any migration it has not had yet. Several processes may call
// it at the same moment: an advisory lock lets one migrate while the others
// wait, then find nothing left to do. Any setting pgx understands may be in
// the URL (pool_max_conns, sslmode, search_path, …).
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s", redact(err))
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s", redact(err))
	}
	db := &DB{pool: pool, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// redact keeps a connection error's text without the password it may quote.
func redact(err error) string {
	s := err.Error()
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.Index(s[i:], "@"); j > 0 {
			if k := strings.LastIndex(s[i:i+j], ":"); k > 0 {
				s = s[:i+k+1] + "xxxxx" + s[i+j:]
			}
		}
	}
	return s
}

// Close closes every connection of the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Pool is the connection pool, for the listener of import notifications
// and for tests.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping checks that the database answers a query; /healthz uses it.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.pool.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// migrationLock is the key of the session advisory lock held while
// migrating: the first process to start migrates, the others wait for it.
const migrationLock = 0x5375_7070_6f72_74 // "Support"

// migrate applies, in name order, every embedded migration not yet
// recorded in schema_migrations, each in its own transaction with its
// record, while holding the migration lock on one connection.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: connect: %s", redact(err))
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must go even when ctx was cancelled.
		_, _ = conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil || n > 0 {
				return err
			}
			body, err := migrationFS.ReadFile(name)
			if err != nil {
				return err
			}
			// No arguments: the simple protocol runs every statement of the file.
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("postgres: migration %s: %w", name, err)
			}
			_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, name, db.Now())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Migrations lists the names of the migrations applied to the database, in
// order; tests check that concurrent starts applied each once.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// inTx runs fn in one transaction, committed when fn returns nil and
// rolled back otherwise: a multi-statement write is all or nothing.
func (db *DB) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, fn)
}

// mustAffect gives notFound when an update or delete matched no row, so
// that a missing row is an error the caller can name, never a silent no-op.
func mustAffect(tag pgconn.CommandTag, err, notFound error) error {
	if err != nil {
		return err
	} else if tag.RowsAffected() == 0 {
		return notFound
	}
	return nil
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Secret returns the named server secret, creating a random one on first
// use. Every process reads the same one, so a form signed by one process is
// accepted by the others; two processes starting at once agree on the
// first one written.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	key := "secret:" + name
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, err
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
		key, hex.EncodeToString(buf)); err != nil {
		return nil, err
	}
	var value string
	if err := db.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&value); err != nil {
		return nil, err
	}
	return hex.DecodeString(value)
}

// EnsureVersion implements supportlab.VersionService.
func (db *DB) EnsureVersion(ctx context.Context, kind, uid, hash string, body []byte) (int, error) {
	var version int
	err := db.inTx(ctx, func(tx pgx.Tx) (err error) {
		version, err = ensureVersionTx(ctx, tx, kind, uid, hash, body, db.Now().UTC())
		return err
	})
	if err != nil {
		return 0, err
	}
	return version, nil
}

var _ supportlab.VersionService = (*DB)(nil)
