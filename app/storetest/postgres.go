package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the variable that holds the URL of a PostgreSQL
// database the tests may use (.ci/run starts one and sets it).
const PostgresEnv = "SUPPORTLAB_TEST_POSTGRES"

// PostgresURL returns the URL of a fresh, empty schema in the test
// database (as search_path), dropped when the test ends, so that tests
// running at the same time never see each other's rows. Without
// SUPPORTLAB_TEST_POSTGRES the test is skipped, except under CI=true,
// where a missing PostgreSQL fails it: CI must run both stores.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set: with CI=true the PostgreSQL tests must run (.ci/run starts a server)", PostgresEnv)
		}
		tb.Skipf("%s is not set: no PostgreSQL to test against", PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	buf := make([]byte, 8)
	_, _ = rand.Read(buf)
	schema := "test_" + hex.EncodeToString(buf)
	ctx := context.Background()
	conn, err := connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to %s: %v", PostgresEnv, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		conn, err := connect(ctx, base)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// connectMu keeps the tests from opening many administrative connections
// at once.
var connectMu sync.Mutex

func connect(ctx context.Context, url string) (*pgx.Conn, error) {
	connectMu.Lock()
	defer connectMu.Unlock()
	return pgx.Connect(ctx, url)
}
