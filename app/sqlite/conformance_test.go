package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"supportlab/app/hashedkeys"
	"supportlab/app/storetest"
)

// Both storages plug into Fiber's session, CSRF and limiter middleware.
var (
	_ fiber.Storage = (*Storage)(nil)
	_ fiber.Storage = (*hashedkeys.Storage)(nil)
)

// Tests hash at the lowest cost: the cost is not what they check.
func init() { BcryptCost = bcrypt.MinCost }

// TestConformance runs the suite both stores share (app/storetest) on a
// fresh SQLite file per case.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *storetest.Harness {
		return harnessAt(t, filepath.Join(t.TempDir(), "conformance.db"))
	})
}

// harnessAt opens the database at path for the conformance suite.
func harnessAt(t *testing.T, path string) *storetest.Harness {
	t.Helper()
	db := openDBAt(t, path)
	return &storetest.Harness{
		Store:         db,
		Storage:       func(prefix string) fiber.Storage { return db.Storage(prefix) },
		HashedStorage: func(prefix string) fiber.Storage { return db.HashedStorage(prefix) },
		SetNow:        func(now func() time.Time) { db.Now = now },
		QueryRow:      func(query string, args ...any) storetest.Row { return db.read.QueryRow(query, args...) },
		Reopen:        func(t *testing.T) *storetest.Harness { return harnessAt(t, path) },
	}
}
