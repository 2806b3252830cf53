package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"supportlab/app/hashedkeys"
	"supportlab/app/storetest"
)

// Tests hash at the lowest cost: the cost is not what they check.
func init() { BcryptCost = bcrypt.MinCost }

// Both storages plug into Fiber's session, CSRF and limiter middleware.
var (
	_ fiber.Storage = (*Storage)(nil)
	_ fiber.Storage = (*hashedkeys.Storage)(nil)
)

// TestConformance runs the suite both stores share (app/storetest), each
// case in a fresh schema of the database SUPPORTLAB_TEST_POSTGRES names.
func TestConformance(t *testing.T) {
	storetest.PostgresURL(t) // skips (or fails under CI) before any case runs
	storetest.Run(t, func(t *testing.T) *storetest.Harness {
		return harnessAt(t, storetest.PostgresURL(t))
	})
}

// openAt opens the database at url, closed when the test ends.
func openAt(t testing.TB, url string) *DB {
	t.Helper()
	db, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// harnessAt opens the database at url for the conformance suite.
func harnessAt(t *testing.T, url string) *storetest.Harness {
	t.Helper()
	db := openAt(t, url)
	return &storetest.Harness{
		Store:         db,
		Storage:       func(prefix string) fiber.Storage { return db.Storage(prefix) },
		HashedStorage: func(prefix string) fiber.Storage { return db.HashedStorage(prefix) },
		SetNow:        func(now func() time.Time) { db.Now = now },
		QueryRow: func(query string, args ...any) storetest.Row {
			return db.pool.QueryRow(context.Background(), query, args...)
		},
		Reopen: func(t *testing.T) *storetest.Harness { return harnessAt(t, url) },
	}
}
