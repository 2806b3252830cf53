package postgres

import (
	"context"
	"testing"
	"time"

	"supportlab/app/storetest"
)

// BenchmarkScale measures the dashboard and the scores export of a team of
// 10,000 learners with 500,000 attempts on PostgreSQL (issue 13's figures;
// app/sqlite has the same benchmark). Run, with SUPPORTLAB_TEST_POSTGRES set:
//
//	go test -run XXX -bench Scale -benchtime 20x ./app/postgres ./app/sqlite
func BenchmarkScale(b *testing.B) {
	db := openAt(b, storetest.PostgresURL(b))
	seedScale(b, db, storetest.TenThousand)
	storetest.BenchmarkTeam(b, db)
}

// BenchmarkSubmissions measures quiz submissions by 32 writers at once,
// each on a connection of the pool, against an empty database of 64
// learners.
func BenchmarkSubmissions(b *testing.B) {
	db := openAt(b, storetest.PostgresURL(b))
	seedScale(b, db, storetest.Scale{Learners: 64})
	b.Run("writers-32", func(b *testing.B) { storetest.BenchmarkSubmissions(b, db, 32) })
}

// seedScale copies s into db with COPY (the path migrate-db takes), then
// vacuums and analyses, as autovacuum would soon after a bulk load, so
// that the planner knows the tables and index-only scans skip the heap.
func seedScale(b *testing.B, db *DB, s storetest.Scale) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	if _, err := db.Load(ctx, s.Export); err != nil {
		b.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d learners and %d attempts in %s", s.Learners, s.Attempts, time.Since(start).Round(time.Millisecond))
}
