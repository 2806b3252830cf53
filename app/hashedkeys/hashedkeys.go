// Package hashedkeys keeps a key/value storage's keys as their SHA-256. The
// session store's keys are the ids in the learners' cookies: stored hashed,
// a copy of the database (a dump, a backup, a file left on a shared disk)
// holds no session id that could be replayed as a cookie. A plain hash,
// without a secret, is enough because session ids are long random strings
// that no one can guess from their hash; values are stored as they are.
// Both stores (SQLite and PostgreSQL) wrap their own storage in it, so the
// stored form is the same in either and a database moves between them as
// it is.
package hashedkeys

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Backend is the storage being wrapped: the methods of fiber.Storage.
type Backend interface {
	Get(key string) ([]byte, error)
	Set(key string, val []byte, exp time.Duration) error
	Delete(key string) error
	Reset() error
	Close() error
}

// Storage is a fiber.Storage whose keys reach the backend as
// hex(SHA-256(key)). Keys written through it are only readable through it,
// so a store must not switch between it and its backend without losing
// its keys (for sessions: everyone signs in again once).
type Storage struct {
	b Backend
}

// Wrap returns b with its keys hashed.
func Wrap(b Backend) *Storage { return &Storage{b: b} }

// Key is the stored form of key: its SHA-256 in hex. The empty key stays
// empty, so that the backend ignores it as it ignores it unhashed.
func Key(key string) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Get returns the value of key, or nil if it is absent or expired.
func (s *Storage) Get(key string) ([]byte, error) { return s.b.Get(Key(key)) }

// Set stores val under the hash of key; exp 0 means no expiry.
func (s *Storage) Set(key string, val []byte, exp time.Duration) error {
	return s.b.Set(Key(key), val, exp)
}

// Delete removes key.
func (s *Storage) Delete(key string) error { return s.b.Delete(Key(key)) }

// Reset removes every key of the backend.
func (s *Storage) Reset() error { return s.b.Reset() }

// Close closes the backend.
func (s *Storage) Close() error { return s.b.Close() }
