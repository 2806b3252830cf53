package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"
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
	var v []byte
	err := s.db.stmtKV.QueryRow(s.prefix+key, s.db.Now().Unix()).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
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
	_, err := s.db.write.Exec(`INSERT INTO kv (k, v, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (k) DO UPDATE SET v = excluded.v, expires_at = excluded.expires_at`,
		s.prefix+key, val, expiresAt)
	return err
}

// Delete removes key.
func (s *Storage) Delete(key string) error {
	if key == "" {
		return nil
	}
	_, err := s.db.write.Exec(`DELETE FROM kv WHERE k = ?`, s.prefix+key)
	return err
}

// Reset removes every key of this storage's prefix.
func (s *Storage) Reset() error {
	_, err := s.db.write.Exec(`DELETE FROM kv WHERE substr(k, 1, ?) = ?`, len(s.prefix), s.prefix)
	return err
}

// Close does nothing: the database is closed by its owner.
func (s *Storage) Close() error { return nil }

// HashedStorage is a fiber.Storage like Storage whose keys are stored as
// hex(SHA-256(key)) under its prefix. It is meant for the session store,
// whose keys are the session ids in the learners' cookies: a copy of the
// database (a backup, a file left on a shared disk) then holds no session id
// that could be replayed as a cookie. A plain hash, without a secret, is
// enough because session ids are long random strings that no one can
// guess from their hash; the values are stored as they are.
type HashedStorage struct {
	s *Storage
}

// HashedStorage returns a HashedStorage whose hashed keys are prefixed with
// prefix, like Storage's. Keys written through one are only readable
// through the other by their hash, so a store must not switch between the
// two without losing its keys (for sessions: everyone signs in again once).
func (db *DB) HashedStorage(prefix string) *HashedStorage {
	return &HashedStorage{s: db.Storage(prefix)}
}

// hashKey is the stored form of key: its SHA-256 in hex. The empty key
// stays empty, so that Storage ignores it as it ignores it unhashed.
func hashKey(key string) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Get returns the value of key, or nil if it is absent or expired.
func (h *HashedStorage) Get(key string) ([]byte, error) { return h.s.Get(hashKey(key)) }

// Set stores val under the hash of key; exp 0 means no expiry.
func (h *HashedStorage) Set(key string, val []byte, exp time.Duration) error {
	return h.s.Set(hashKey(key), val, exp)
}

// Delete removes key.
func (h *HashedStorage) Delete(key string) error { return h.s.Delete(hashKey(key)) }

// Reset removes every key of this storage's prefix.
func (h *HashedStorage) Reset() error { return h.s.Reset() }

// Close does nothing: the database is closed by its owner.
func (h *HashedStorage) Close() error { return h.s.Close() }

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
