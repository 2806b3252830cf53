package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

func testEnsureVersion(t *testing.T, h *Harness) {
	ctx := context.Background()
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
			v, err := h.Store.EnsureVersion(ctx, st.kind, st.uid, st.hash, []byte(`{"v":"`+st.hash+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			if v != st.want {
				t.Errorf("version %d, want %d", v, st.want)
			}
			var body string
			if err := h.QueryRow(`SELECT body FROM item_versions WHERE kind = $1 AND uid = $2 AND version = $3`, st.kind, st.uid, v).Scan(&body); err != nil || body != st.wantStored {
				t.Errorf("stored body %q (%v), want %q", body, err, st.wantStored)
			}
		})
	}
	if _, err := h.Store.EnsureVersion(ctx, "exam", "x", "h", []byte("{}")); err == nil {
		t.Error("an unknown kind was stored")
	}
}

func testSecret(t *testing.T, h *Harness) {
	ctx := context.Background()
	a, err := h.Store.Secret(ctx, "forms")
	if err != nil || len(a) != 32 {
		t.Fatalf("Secret = %x, %v; want 32 bytes", a, err)
	}
	b, _ := h.Store.Secret(ctx, "other")
	if bytes.Equal(a, b) {
		t.Error("two secrets are equal")
	}
	if again, err := h.Store.Secret(ctx, "forms"); err != nil || !bytes.Equal(a, again) {
		t.Errorf("the secret changed between two calls: %x then %x (%v)", a, again, err)
	}
	again, err := h.Reopen(t).Store.Secret(ctx, "forms")
	if err != nil || !bytes.Equal(a, again) {
		t.Errorf("the secret changed across restarts: %x then %x (%v)", a, again, err)
	}
}

func testPing(t *testing.T, h *Harness) {
	if err := h.Store.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

// storageGet reads key from s: "<absent>" when it is not there.
func storageGet(t *testing.T, s fiber.Storage, key string) string {
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

func testStorage(t *testing.T, h *Harness) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	h.SetNow(func() time.Time { return now })
	sessions, csrf := h.Storage("session:"), h.Storage("csrf:")
	get := func(s fiber.Storage, key string) string { t.Helper(); return storageGet(t, s, key) }

	if got := get(sessions, "a"); got != "<absent>" {
		t.Errorf("missing key = %s", got)
	}
	must(t, sessions.Set("a", []byte("one"), 0))
	must(t, sessions.Set("b", []byte("two"), time.Hour))
	must(t, csrf.Set("a", []byte("token"), time.Minute))
	if got := get(sessions, "a"); got != "one" {
		t.Errorf("Get(a) = %s", got)
	}
	if got := get(csrf, "a"); got != "token" {
		t.Errorf("prefixes collide: csrf a = %s", got)
	}
	must(t, sessions.Set("a", []byte("uno"), 0))
	if got := get(sessions, "a"); got != "uno" {
		t.Errorf("overwritten Get(a) = %s", got)
	}
	// Empty keys and values are ignored, not stored.
	must(t, sessions.Set("", []byte("x"), 0))
	must(t, sessions.Set("empty", nil, 0))
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
	must(t, sessions.Set("b", []byte("again"), time.Hour))
	if got := get(sessions, "b"); got != "again" {
		t.Errorf("renewed key = %s", got)
	}

	must(t, sessions.Delete("a"))
	must(t, sessions.Delete("never-set"))
	if got := get(sessions, "a"); got != "<absent>" {
		t.Errorf("deleted key = %s", got)
	}

	// Reset empties one prefix only, even when another prefix starts the same.
	sessionsX := h.Storage("session:x")
	must(t, sessionsX.Set("k", []byte("v"), 0))
	must(t, csrf.Set("c", []byte("keep"), 0))
	must(t, sessionsX.Reset())
	if got := get(sessionsX, "k"); got != "<absent>" {
		t.Errorf("after Reset: %s", got)
	}
	if got := get(sessions, "b"); got != "again" {
		t.Errorf("Reset of session:x removed session:b: %s", got)
	}
	must(t, sessions.Reset())
	if got := get(sessions, "b"); got != "<absent>" {
		t.Errorf("after Reset: %s", got)
	}
	if got := get(csrf, "c"); got != "keep" {
		t.Errorf("Reset of one prefix removed another's key: %s", got)
	}
	must(t, sessions.Close())

	// Prefixes are plain text, not LIKE patterns: "a_" is not "ab", "a%" not "abc".
	must(t, h.Storage("ab").Set("k", []byte("v"), 0))
	must(t, h.Storage("a_").Reset())
	must(t, h.Storage("a%").Reset())
	if got := get(h.Storage("ab"), "k"); got != "v" {
		t.Errorf("Reset of prefix a_ or a%% removed abk: %s", got)
	}

	// Another process on the same database reads the same keys: sessions
	// and rate-limit counters are shared.
	must(t, h.Storage("limit:").Set("10.0.0.1", []byte("3"), time.Minute))
	other := h.Reopen(t)
	other.SetNow(func() time.Time { return now })
	if got := get(other.Storage("limit:"), "10.0.0.1"); got != "3" {
		t.Errorf("a counter written before a restart reads %s", got)
	}
}

func testHashedStorage(t *testing.T, h *Harness) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	h.SetNow(func() time.Time { return now })
	sessions := h.HashedStorage("session:")
	get := func(s fiber.Storage, key string) string { t.Helper(); return storageGet(t, s, key) }

	const id = "3f2b8c1e-5d4a-4e7b-9c61-0a8f2d7e4b19" // the shape of a Fiber session id
	must(t, sessions.Set(id, []byte("user=7"), time.Hour))
	must(t, sessions.Set("abc", []byte("user=8"), 0))
	if got := get(sessions, id); got != "user=7" {
		t.Errorf("Get(id) = %s, want user=7", got)
	}
	if got := get(sessions, "abc"); got != "user=8" {
		t.Errorf("Get(abc) = %s, want user=8", got)
	}

	// The table holds the hashes, never the keys. SHA-256("abc") is the
	// FIPS 180-2 test vector.
	var n int
	var v []byte
	must(t, h.QueryRow(`SELECT COUNT(*) FROM kv`).Scan(&n))
	if n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
	if err := h.QueryRow(`SELECT v FROM kv WHERE k = $1`, "session:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad").Scan(&v); err != nil || string(v) != "user=8" {
		t.Errorf("no row keyed by session:SHA-256(abc): %q %v", v, err)
	}
	var plain, badShape int
	must(t, h.QueryRow(`SELECT COUNT(*) FROM kv WHERE k LIKE $1 OR k LIKE $2`, "%"+id+"%", "%abc%").Scan(&plain))
	must(t, h.QueryRow(`SELECT COUNT(*) FROM kv WHERE LENGTH(k) <> $1`, len("session:")+64).Scan(&badShape))
	if plain != 0 || badShape != 0 {
		t.Errorf("%d rows hold a plain key, %d are not the prefix and 64 hex digits", plain, badShape)
	}
	// The plain store of the same prefix does not find the hashed keys by
	// their plain names.
	if got := get(h.Storage("session:"), id); got != "<absent>" {
		t.Errorf("plain Storage read the hashed key by its plain name: %s", got)
	}

	// Expiry, overwrite, delete and the empty key behave as in Storage.
	now = now.Add(2 * time.Hour)
	if got := get(sessions, id); got != "<absent>" {
		t.Errorf("expired session still readable: %s", got)
	}
	must(t, sessions.Set(id, []byte("user=9"), time.Hour))
	if got := get(sessions, id); got != "user=9" {
		t.Errorf("renewed Get(id) = %s", got)
	}
	// A session set through one process is read by another.
	other := h.Reopen(t)
	other.SetNow(func() time.Time { return now })
	if got := get(other.HashedStorage("session:"), id); got != "user=9" {
		t.Errorf("another process reads the session as %s", got)
	}
	must(t, sessions.Delete(id))
	if got := get(sessions, id); got != "<absent>" {
		t.Errorf("deleted key = %s", got)
	}
	must(t, sessions.Set("", []byte("x"), 0))
	if got := get(sessions, ""); got != "<absent>" {
		t.Errorf("Get(\"\") = %s", got)
	}

	// Reset empties this prefix only.
	csrf := h.Storage("csrf:")
	must(t, csrf.Set("t", []byte("keep"), 0))
	must(t, sessions.Reset())
	if got := get(sessions, "abc"); got != "<absent>" {
		t.Errorf("after Reset: %s", got)
	}
	if got := get(csrf, "t"); got != "keep" {
		t.Errorf("Reset of the sessions removed a CSRF token: %s", got)
	}
	must(t, sessions.Close())
}

func testSweepExpired(t *testing.T, h *Harness) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	h.SetNow(func() time.Time { return now })
	s := h.Storage("x:")
	must(t, s.Set("old", []byte("v"), time.Minute))
	must(t, s.Set("forever", []byte("v"), 0))
	now = now.Add(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Store.SweepExpired(ctx, time.Millisecond); close(done) }()
	// Wait until the sweep has run: the expired row disappears from the table.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		must(t, h.QueryRow(`SELECT COUNT(*) FROM kv WHERE k = $1`, "x:old").Scan(&n))
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
