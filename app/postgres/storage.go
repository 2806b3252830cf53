package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"supportlab/app/hashedkeys"
)

// Storage is a fiber.Storage on the shared database, for the session, CSRF
// and limiter middleware: every app process reads and writes the same
// keys, so a session started on one process is good on all, and sign-in
// limits count the attempts made through every process. Each key carries
// an optional expiry; expired keys read as absent and a sweep deletes them.
type Storage struct {
	db     *DB
	prefix string
}

// Storage returns a fiber.Storage whose keys are prefixed with prefix, so
// that the middleware sharing the table cannot collide.
func (db *DB) Storage(prefix string) *Storage { return &Storage{db: db, prefix: prefix} }

// storageTimeout bounds one storage call: fiber.Storage has no context,
// and a request must not hang on a database that stopped answering.
const storageTimeout = 10 * time.Second

// Get returns the value of key, or nil if it is absent or expired.
func (s *Storage) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	var v []byte
	err := s.db.pool.QueryRow(ctx, `SELECT v FROM kv WHERE k = $1 AND (expires_at = 0 OR expires_at > $2)`,
		s.prefix+key, s.db.Now().Unix()).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

// Set stores val under key; exp 0 means no expiry.
func (s *Storage) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	var expiresAt int64
	if exp > 0 {
		expiresAt = s.db.Now().Add(exp).Unix()
	}
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	_, err := s.db.pool.Exec(ctx, `INSERT INTO kv (k, v, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (k) DO UPDATE SET v = excluded.v, expires_at = excluded.expires_at`,
		s.prefix+key, val, expiresAt)
	return err
}

// Delete removes key.
func (s *Storage) Delete(key string) error {
	if key == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	_, err := s.db.pool.Exec(ctx, `DELETE FROM kv WHERE k = $1`, s.prefix+key)
	return err
}

// Reset removes every key of this storage's prefix (compared as text, not
// as a LIKE pattern).
func (s *Storage) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	_, err := s.db.pool.Exec(ctx, `DELETE FROM kv WHERE starts_with(k, $1)`, s.prefix)
	return err
}

// Close does nothing: the database is closed by its owner.
func (s *Storage) Close() error { return nil }

// HashedStorage returns the storage of keys under prefix with its keys
// stored hashed (package hashedkeys), for the session store.
func (db *DB) HashedStorage(prefix string) *hashedkeys.Storage {
	return hashedkeys.Wrap(db.Storage(prefix))
}

// SweepExpired deletes expired keys every interval until ctx ends. Every
// process may run it: deleting what another process deleted is harmless.
func (db *DB) SweepExpired(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, _ = db.pool.Exec(ctx, `DELETE FROM kv WHERE expires_at > 0 AND expires_at <= $1`, db.Now().Unix())
		}
	}
}
