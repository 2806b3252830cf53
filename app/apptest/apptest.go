// Package apptest holds the helpers SupportLab's tests share, so that every
// package tests against the same real parts: a SQLite file under the test's
// temporary folder (never :memory:), the embedded content library, and a
// log buffer that the server may write from many goroutines. Only tests
// import it.
package apptest

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"

	"supportlab/app/library"
	"supportlab/app/sqlite"
)

// MustOpenDB opens a fresh database file in a temporary folder; it is
// closed when the test ends.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return MustOpenDBAt(tb, filepath.Join(tb.TempDir(), "test.db"))
}

// MustOpenDBAt opens the database file at path, for tests that open the
// same file twice (a restart).
func MustOpenDBAt(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustLoadLibrary loads the embedded content (lessons, quizzes, scenarios,
// catalogues) and gives its quizzes and scenarios their versions in db.
func MustLoadLibrary(tb testing.TB, db *sqlite.DB) *library.Library {
	tb.Helper()
	lib, err := library.Load(library.Sources{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := lib.RegisterVersions(context.Background(), db); err != nil {
		tb.Fatal(err)
	}
	return lib
}

// LockedBuffer is an output (a log, a process's stdout) that several
// goroutines write while the test reads it.
type LockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *LockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
