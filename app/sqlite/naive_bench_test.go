package sqlite

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkNaiveCommit is the reference for submission throughput: one
// INSERT per transaction on its own connection, WAL, synchronous=FULL, the
// plainest durable loop SQLite allows on this disk. .ci/bench/submit.sh
// compares the app's acknowledged submissions with it, in the same run:
//
//	go test -run XXX -bench NaiveCommit ./app/sqlite
func BenchmarkNaiveCommit(b *testing.B) {
	// SUPPORTLAB_BENCH_DIR puts the file on the same disk as the app it is
	// compared with.
	dir := os.Getenv("SUPPORTLAB_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	conn, err := sql.Open("sqlite3", dsn(filepath.Join(dir, "naive.db"), "_txlock", "immediate"))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if _, err := conn.Exec(`CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, user_id INTEGER, score INTEGER, detail TEXT)`); err != nil {
		b.Fatal(err)
	}
	detail := `{"asked":["a","b","c"],"answers":{"a":[0]},"right":{"a":true}}`
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tx, err := conn.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO t (user_id, score, detail) VALUES (?, ?, ?)`, i%32, i%101, detail); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
