package postgres

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"supportlab/app/storetest"
	"supportlab/app/supportlab"
)

func TestIsURL(t *testing.T) {
	for _, tc := range []struct {
		dsn  string
		want bool
	}{
		{"postgres://u:p@db:5432/supportlab?sslmode=disable", true},
		{"postgresql://u@db/supportlab", true},
		{"data/supportlab.db", false},
		{"/var/lib/supportlab/postgres.db", false},
		{"file:postgres://x", false},
		{"", false},
	} {
		t.Run(tc.dsn, func(t *testing.T) {
			if got := IsURL(tc.dsn); got != tc.want {
				t.Errorf("IsURL(%q) = %v, want %v", tc.dsn, got, tc.want)
			}
		})
	}
}

// TestOpenErrorHidesPassword checks that a server that cannot be reached
// is an error, and that the error does not quote the URL's password: it
// ends up in logs.
func TestOpenErrorHidesPassword(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://app:s3cret-word@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("Open of a closed port succeeded")
	}
	if strings.Contains(err.Error(), "s3cret-word") {
		t.Errorf("the error quotes the password: %v", err)
	}
	if _, err := Open(ctx, "postgres://app:s3cret-word@[bad"); err == nil || strings.Contains(err.Error(), "s3cret-word") {
		t.Errorf("malformed URL: %v", err)
	}
}

// TestMigrationsConcurrentStarts opens one empty database from several
// processes' worth of pools at the same moment: the advisory lock lets one
// migrate, the others wait and find every migration applied, once.
func TestMigrationsConcurrentStarts(t *testing.T) {
	url := storetest.PostgresURL(t)
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	const starts = 5
	dbs := make([]*DB, starts)
	errs := make([]error, starts)
	var wg sync.WaitGroup
	for i := range starts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = Open(context.Background(), url)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		t.Cleanup(func() { dbs[i].Close() })
	}
	got, err := dbs[0].Migrations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, names) {
		t.Errorf("schema_migrations = %v, want each of %v once", got, names)
	}
	// Data survives a later start.
	if _, err := dbs[1].EnsureVersion(context.Background(), supportlab.KindQuiz, "q", "h1", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	again := openAt(t, url)
	if v, err := again.EnsureVersion(context.Background(), supportlab.KindQuiz, "q", "h1", []byte("{}")); err != nil || v != 1 {
		t.Errorf("after a restart: version %d, %v; want 1", v, err)
	}
}

// TestWatchImports checks that an import saved, then an item retired,
// through one process reach another one's reload at once, by NOTIFY: the
// check interval is far longer than the wait.
func TestWatchImports(t *testing.T) {
	url := storetest.PostgresURL(t)
	a, b := openAt(t, url), openAt(t, url)
	reloads := make(chan struct{}, 10)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.WatchImports(ctx, time.Minute, func(context.Context) error {
			reloads <- struct{}{}
			return nil
		}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() { cancel(); <-done }()
	// Once listening, the watch reloads once, for whatever changed before.
	select {
	case <-reloads:
	case <-time.After(10 * time.Second):
		t.Fatal("no reload once the watch listens")
	}

	// Import until one is seen (the first may precede the LISTEN).
	deadline := time.After(10 * time.Second)
	for i := 0; ; i++ {
		imp := &supportlab.Import{Kind: supportlab.KindQuiz, UID: "watched", Format: "yaml", Filename: "w.yml", Source: []byte("uid: watched\n")}
		if err := a.SaveImport(context.Background(), imp, "h", []byte("{}")); err != nil {
			t.Fatal(err)
		}
		select {
		case <-reloads:
		case <-time.After(500 * time.Millisecond):
			continue
		case <-deadline:
			t.Fatalf("no reload within 10 s of %d imports", i+1)
		}
		break
	}
	// Forget the reloads of the imports above, some of which may still come.
	time.Sleep(200 * time.Millisecond)
	for len(reloads) > 0 {
		<-reloads
	}
	for _, retired := range []bool{true, false} {
		if err := a.SetRetired(context.Background(), supportlab.KindQuiz, "watched", retired, 0); err != nil {
			t.Fatal(err)
		}
		select {
		case <-reloads:
		case <-time.After(5 * time.Second):
			t.Fatalf("no reload within 5 s of SetRetired(%v)", retired)
		}
	}
}

// TestWatchImportsPolls checks the fallback: an import the watch was not
// told about (its notification lost) is found by the periodic check.
func TestWatchImportsPolls(t *testing.T) {
	url := storetest.PostgresURL(t)
	a, b := openAt(t, url), openAt(t, url)
	reloads := make(chan struct{}, 10)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.WatchImports(ctx, 50*time.Millisecond, func(context.Context) error {
			reloads <- struct{}{}
			return nil
		}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() { cancel(); <-done }()
	select { // the reload once listening
	case <-reloads:
	case <-time.After(10 * time.Second):
		t.Fatal("no reload once the watch listens")
	}
	// A change whose NOTIFY was lost: the generation moved, nobody was told.
	if _, err := a.pool.Exec(context.Background(), `SELECT nextval('content_generation')`); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reloads:
	case <-time.After(5 * time.Second):
		t.Fatal("the periodic check never found the import")
	}
}
