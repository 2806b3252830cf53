package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"supportlab/app/hashedkeys"
)

// Storage is a fiber.Storage on the app's database, for the session, CSRF
// and limiter middleware: their state survives restarts and needs no other
// service. Each key carries an optional expiry; expired keys read as absent
// and a background sweep deletes them.
type Storage struct {
	db     *DB
	prefix string
}

// Storage returns a fiber.Storage whose keys are prefixed with prefix, so
// that the middleware sharing the table cannot collide.
func (db *DB) Storage(prefix string) *Storage { return &Storage{db: db, prefix: prefix} }

// Get returns the value of key, or nil if it is absent or expired.
func (s *Storage) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	k, now := s.prefix+key, s.db.Now().Unix()
	if e, ok := s.db.kvCache.get(k); ok {
		if e.expiresAt != 0 && e.expiresAt <= now {
			return nil, nil
		}
		return bytes.Clone(e.v), nil
	}
	gen := s.db.kvCache.generation()
	var e kvEntry
	err := s.db.stmtKV.QueryRow(k, now).Scan(&e.v, &e.expiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	s.db.kvCache.put(gen, k, kvEntry{v: bytes.Clone(e.v), expiresAt: e.expiresAt})
	return e.v, nil
}

// kvEntry is a key's value and expiry (Unix seconds, 0 for none), as cached.
type kvEntry struct {
	v         []byte
	expiresAt int64
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
	_, err := s.db.write.Exec(`INSERT INTO kv (k, v, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (k) DO UPDATE SET v = excluded.v, expires_at = excluded.expires_at`,
		s.prefix+key, val, expiresAt)
	s.db.kvCache.forgetKey(s.prefix + key)
	return err
}

// Delete removes key.
func (s *Storage) Delete(key string) error {
	if key == "" {
		return nil
	}
	_, err := s.db.write.Exec(`DELETE FROM kv WHERE k = ?`, s.prefix+key)
	s.db.kvCache.forgetKey(s.prefix + key)
	return err
}

// Reset removes every key of this storage's prefix.
func (s *Storage) Reset() error {
	_, err := s.db.write.Exec(`DELETE FROM kv WHERE substr(k, 1, ?) = ?`, len(s.prefix), s.prefix)
	s.db.kvCache.forget(func(k string) bool { return strings.HasPrefix(k, s.prefix) })
	return err
}

// Close does nothing: the database is closed by its owner.
func (s *Storage) Close() error { return nil }

// HashedStorage returns the storage of keys under prefix with its keys
// stored hashed (package hashedkeys), for the session store.
func (db *DB) HashedStorage(prefix string) *hashedkeys.Storage {
	return hashedkeys.Wrap(db.Storage(prefix))
}

// SweepExpired deletes expired keys every interval until ctx ends.
func (db *DB) SweepExpired(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, _ = db.write.ExecContext(ctx, `DELETE FROM kv WHERE expires_at > 0 AND expires_at <= ?`, db.Now().Unix())
		}
	}
}
