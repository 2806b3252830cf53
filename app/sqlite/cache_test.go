package sqlite

import (
	"context"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

// TestCachedReadsFollowWrites checks that the sessions and accounts kept in
// memory (cache.go) never outlive a change: what a request reads after a
// write is the write, even when the entry was read, and so cached, before.
func TestCachedReadsFollowWrites(t *testing.T) {
	ctx := context.Background()
	db := openDBAt(t, filepath.Join(t.TempDir(), "cache.db"))
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	// An admin besides, so that the one below may be demoted and disabled.
	_, err := db.CreateUser(ctx, supportlab.NewUser{Email: "admin@example.com", Name: "Admin", Password: "a long enough password", Role: supportlab.RoleAdmin})
	must(t, err)
	u, err := db.CreateUser(ctx, supportlab.NewUser{Email: "lea@example.com", Name: "Lea", Password: "a long enough password", Role: supportlab.RoleTrainer})
	must(t, err)
	find := func() *supportlab.User {
		t.Helper()
		got, err := db.FindUserByID(ctx, u.ID)
		must(t, err)
		return got
	}

	t.Run("account", func(t *testing.T) {
		if got := find(); got.Role != supportlab.RoleTrainer { // read, and cached
			t.Fatalf("role %s", got.Role)
		}
		find().Name = "changed by a caller" // a caller's copy, not the cache's
		must(t, db.SetUserRole(ctx, u.ID, supportlab.RoleLearner))
		if got := find(); got.Role != supportlab.RoleLearner || got.Name != "Lea" {
			t.Errorf("after demotion: %+v", got)
		}
		must(t, db.SetUserDisabled(ctx, u.ID, true))
		if got := find(); !got.Disabled {
			t.Errorf("after disabling: %+v", got)
		}
		if _, err := db.FindUserByID(ctx, 999); supportlab.ErrorCode(err) != supportlab.ENOTFOUND {
			t.Errorf("unknown account: %v", err)
		}
	})

	t.Run("session", func(t *testing.T) {
		s := db.HashedStorage("session:")
		get := func() string {
			t.Helper()
			v, err := s.Get("id")
			must(t, err)
			if v == nil {
				return "<absent>"
			}
			return string(v)
		}
		must(t, s.Set("id", []byte("7"), time.Hour))
		if got := get(); got != "7" { // read, and cached
			t.Fatalf("got %s", got)
		}
		must(t, s.Set("id", []byte("8"), time.Hour))
		if got := get(); got != "8" {
			t.Errorf("after Set: %s", got)
		}
		now = now.Add(2 * time.Hour)
		if got := get(); got != "<absent>" {
			t.Errorf("expired, still read as %s", got)
		}
		must(t, s.Set("id", []byte("9"), time.Hour))
		_ = get()
		must(t, s.Delete("id"))
		if got := get(); got != "<absent>" {
			t.Errorf("after Delete: %s", got)
		}
		must(t, s.Set("id", []byte("10"), 0))
		_ = get()
		must(t, s.Reset())
		if got := get(); got != "<absent>" {
			t.Errorf("after Reset: %s", got)
		}
	})

	t.Run("reads racing writes", func(t *testing.T) {
		s := db.Storage("race:")
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
						_, _ = s.Get("k")
						_, _ = db.FindUserByID(ctx, u.ID)
					}
				}
			}()
		}
		for i := range 200 {
			must(t, s.Set("k", []byte(strconv.Itoa(i)), 0))
			must(t, db.SetUserDisabled(ctx, u.ID, i%2 == 0))
		}
		close(stop)
		wg.Wait()
		if v, err := s.Get("k"); err != nil || string(v) != "199" {
			t.Errorf("last write 199, read %q %v", v, err)
		}
		if got := find(); got.Disabled {
			t.Errorf("last write enabled the account, read %+v", got)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
