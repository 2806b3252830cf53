package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"supportlab/app/storetest"
)

// BenchmarkScale measures the dashboard and the scores export of a team of
// 10,000 learners with 500,000 attempts on SQLite (issue 13's figures;
// app/postgres has the same benchmark). Run:
//
//	go test -run XXX -bench Scale -benchtime 20x ./app/sqlite
func BenchmarkScale(b *testing.B) {
	db := openDBAt(b, filepath.Join(b.TempDir(), "scale.db"))
	seedScale(b, db, storetest.TenThousand)
	storetest.BenchmarkTeam(b, db)
}

// BenchmarkSubmissions measures quiz submissions by 32 writers at once,
// next to PostgreSQL's: here they share the one writer connection, whose
// transactions the attempt writer groups (batch.go).
func BenchmarkSubmissions(b *testing.B) {
	db := openDBAt(b, filepath.Join(b.TempDir(), "submissions.db"))
	seedScale(b, db, storetest.Scale{Learners: 64})
	b.Run("writers-32", func(b *testing.B) { storetest.BenchmarkSubmissions(b, db, 32) })
}

// seedScale inserts s's rows in one transaction on the writer, then
// analyses the tables for the planner.
func seedScale(b *testing.B, db *DB, s storetest.Scale) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		return s.Export(ctx, func(table string, columns []string, next func() ([]any, error)) error {
			if table == "attempt_marks" {
				return nil // a view of the attempts' detail in SQLite
			}
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+strings.Join(columns, ", ")+`) VALUES (?`+strings.Repeat(", ?", len(columns)-1)+`)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for {
				row, err := next()
				if err != nil || row == nil {
					return err
				}
				if _, err := stmt.ExecContext(ctx, row...); err != nil {
					return err
				}
			}
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d learners and %d attempts in %s", s.Learners, s.Attempts, time.Since(start).Round(time.Millisecond))
}
