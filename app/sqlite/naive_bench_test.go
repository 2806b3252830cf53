package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"supportlab/app/supportlab"
)

// benchDir is where the naive loops put their file: SUPPORTLAB_BENCH_DIR
// puts it on the same disk as the app it is compared with.
func benchDir(b *testing.B) string {
	if dir := os.Getenv("SUPPORTLAB_BENCH_DIR"); dir != "" {
		return dir
	}
	return b.TempDir()
}

// BenchmarkNaiveCommit is the reference for submission throughput: a naive
// loop that commits one attempt per transaction, the same attempt a
// learner's 12-question quiz submission stores (its row, its marks and
// what the store's triggers do with them), with the store's own insert, on
// the store's schema, WAL and synchronous=FULL, without group commit.
// .ci/bench/submit.sh compares the app's acknowledged submissions with it,
// in the same run:
//
//	go test -run XXX -bench NaiveCommit ./app/sqlite
func BenchmarkNaiveCommit(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(benchDir(b), fmt.Sprintf("naive-attempts-%d.db", os.Getpid()))
	db, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(path)
	defer db.Close()
	u, err := db.CreateUser(ctx, supportlab.NewUser{Email: "naive@example.com", Name: "Naive", Password: "a long enough password", Role: supportlab.RoleLearner})
	if err != nil {
		b.Fatal(err)
	}
	a := &supportlab.Attempt{UserID: u.ID, Kind: supportlab.KindQuiz, UID: "support-check-en", Version: 1, Score: 58,
		Answers: map[string][]int{}, Right: map[string]bool{}}
	for i := range 12 {
		id := fmt.Sprintf("check-question-%02d", i+1)
		a.Asked = append(a.Asked, id)
		a.Answers[id] = []int{i % 4}
		a.Right[id] = i%5 < 3
	}
	b.ResetTimer()
	for b.Loop() {
		a.At = db.Now().UTC()
		row, err := newAttemptRow(a)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.inTx(ctx, func(tx *sql.Tx) error {
			_, err := db.insertAttemptTx(ctx, tx, row)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

// BenchmarkNaiveRowCommit is the plainest durable loop SQLite allows on
// this disk: one small row per transaction into a table without index. It
// is the floor of what a commit costs here, printed beside the reference.
func BenchmarkNaiveRowCommit(b *testing.B) {
	dir := benchDir(b)
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
