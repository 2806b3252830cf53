package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Both stores plug into Fiber's session, CSRF and limiter middleware.
var (
	_ fiber.Storage = (*Storage)(nil)
	_ fiber.Storage = (*HashedStorage)(nil)
)

// TestHashedStorage checks that a key set through a HashedStorage reads
// back through it, and that the kv table holds only the key's SHA-256:
// a copy of the database must hold no live session id.
func TestHashedStorage(t *testing.T) {
	db := openDBAt(t, filepath.Join(t.TempDir(), "t.db"))
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sessions := db.HashedStorage("session:")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	get := func(s interface{ Get(string) ([]byte, error) }, key string) string {
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
	rows := func() map[string]string {
		t.Helper()
		rs, err := db.read.Query(`SELECT k, v FROM kv`)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		out := map[string]string{}
		for rs.Next() {
			var k string
			var v []byte
			if err := rs.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			out[k] = string(v)
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}

	const id = "3f2b8c1e-5d4a-4e7b-9c61-0a8f2d7e4b19" // the shape of a Fiber session id
	must(sessions.Set(id, []byte("user=7"), time.Hour))
	must(sessions.Set("abc", []byte("user=8"), 0))
	if got := get(sessions, id); got != "user=7" {
		t.Errorf("Get(id) = %s, want user=7", got)
	}
	if got := get(sessions, "abc"); got != "user=8" {
		t.Errorf("Get(abc) = %s, want user=8", got)
	}

	// The table holds the hashes, never the keys. SHA-256("abc") is the
	// FIPS 180-2 test vector.
	stored := rows()
	if v, ok := stored["session:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"]; !ok || v != "user=8" {
		t.Errorf("no row keyed by session:SHA-256(abc); rows: %v", stored)
	}
	if len(stored) != 2 {
		t.Errorf("%d rows, want 2: %v", len(stored), stored)
	}
	for k := range stored {
		if strings.Contains(k, id) || strings.Contains(k, "abc") {
			t.Errorf("the kv table holds the plain key: %q", k)
		}
		if !strings.HasPrefix(k, "session:") || len(k) != len("session:")+64 {
			t.Errorf("row key %q is not the prefix and 64 hex digits", k)
		}
	}
	// The plain store of the same prefix does not find the hashed keys by
	// their plain names.
	if got := get(db.Storage("session:"), id); got != "<absent>" {
		t.Errorf("plain Storage read the hashed key by its plain name: %s", got)
	}

	// Expiry, overwrite, delete and the empty key behave as in Storage.
	now = now.Add(2 * time.Hour)
	if got := get(sessions, id); got != "<absent>" {
		t.Errorf("expired session still readable: %s", got)
	}
	must(sessions.Set(id, []byte("user=9"), time.Hour))
	if got := get(sessions, id); got != "user=9" {
		t.Errorf("renewed Get(id) = %s", got)
	}
	must(sessions.Delete(id))
	if got := get(sessions, id); got != "<absent>" {
		t.Errorf("deleted key = %s", got)
	}
	must(sessions.Set("", []byte("x"), 0))
	if got := get(sessions, ""); got != "<absent>" {
		t.Errorf("Get(\"\") = %s", got)
	}

	// Reset empties this prefix only.
	csrf := db.Storage("csrf:")
	must(csrf.Set("t", []byte("keep"), 0))
	must(sessions.Reset())
	if got := get(sessions, "abc"); got != "<absent>" {
		t.Errorf("after Reset: %s", got)
	}
	if got := get(csrf, "t"); got != "keep" {
		t.Errorf("Reset of the sessions removed a CSRF token: %s", got)
	}
	must(sessions.Close())
}
