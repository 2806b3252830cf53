package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Exporter hands every table of a source database to fn, parents before
// children, as (*sqlite.DB).Export does; next returns a row's values (as
// SQLite holds them) or nil at the end.
type Exporter func(ctx context.Context, fn func(table string, columns []string, next func() ([]any, error)) error) error

// TableCount is how many rows of a table a copy wrote.
type TableCount struct {
	Table string
	Rows  int64
}

// Load copies an exported database (a SQLite one, moving to PostgreSQL)
// into this one, which must be empty: every table in one transaction, so
// that a copy that fails half-way leaves nothing behind, with COPY for
// speed. Values are converted to the PostgreSQL column's type (SQLite's
// 0/1 to booleans, its RFC 3339 text to timestamps); identity sequences
// then continue after the highest id copied, so that new rows never reuse
// an old id. Sessions and the signing secret come along: learners stay
// signed in across the move.
// statsTriggerTables are the tables whose triggers keep the team statistics.
var statsTriggerTables = []string{"attempts", "team_members", "stats_member_items"}

func (db *DB) Load(ctx context.Context, export Exporter) ([]TableCount, error) {
	var counts []TableCount
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		// Nobody else writes while the copy runs: a server started on the
		// new database meanwhile would wait, not interleave.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return err
		}
		// The team statistics are derived (006_team_stats.sql): their
		// triggers stay off during the copy, row by row they would cost
		// minutes at scale, and stats_rebuild computes them once after.
		for _, table := range statsTriggerTables {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` DISABLE TRIGGER USER`); err != nil {
				return err
			}
		}
		err := export(ctx, func(table string, columns []string, next func() ([]any, error)) error {
			n, err := loadTable(ctx, tx, table, columns, next)
			if err != nil {
				return fmt.Errorf("postgres: copy %s: %w", table, err)
			}
			counts = append(counts, TableCount{Table: table, Rows: n})
			return nil
		})
		if err != nil {
			return err
		}
		// What PostgreSQL keeps and SQLite does not: each quiz attempt's
		// number of right answers (004_right_count.sql).
		_, err = tx.Exec(ctx, `UPDATE attempts a SET right_count = COALESCE(
				(SELECT SUM(mark)::integer FROM attempt_marks m WHERE m.attempt_id = a.id), 0)
			WHERE a.kind = 'quiz' AND a.right_count IS NULL`)
		if err != nil {
			return err
		}
		for _, table := range statsTriggerTables {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` ENABLE TRIGGER USER`); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `SELECT stats_rebuild()`)
		return err
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// loadTable copies one table into its empty twin and moves its identity
// sequence past the copied ids.
func loadTable(ctx context.Context, tx pgx.Tx, table string, columns []string, next func() ([]any, error)) (int64, error) {
	types, identity, err := columnTypes(ctx, tx, table)
	if err != nil {
		return 0, err
	}
	if len(types) == 0 {
		return 0, fmt.Errorf("no table %s in PostgreSQL: this version of SupportLab does not know it", table)
	}
	kinds := make([]string, len(columns))
	for i, c := range columns {
		if kinds[i] = types[c]; kinds[i] == "" {
			return 0, fmt.Errorf("no column %s.%s in PostgreSQL", table, c)
		}
	}
	var full bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgx.Identifier{table}.Sanitize()+`)`).Scan(&full); err != nil {
		return 0, err
	}
	if full {
		return 0, fmt.Errorf("table %s is not empty: copy into a new, empty database", table)
	}
	src := &convertingSource{next: next, kinds: kinds}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, src)
	if err != nil {
		return 0, err
	}
	if identity != "" {
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), (SELECT MAX(`+pgx.Identifier{identity}.Sanitize()+`) FROM `+pgx.Identifier{table}.Sanitize()+`))
			WHERE EXISTS (SELECT 1 FROM `+pgx.Identifier{table}.Sanitize()+`)`, table, identity); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// columnTypes returns the data type of each column of table in the
// current schema, and the name of its identity column ("" if none).
func columnTypes(ctx context.Context, tx pgx.Tx, table string) (map[string]string, string, error) {
	rows, err := tx.Query(ctx, `SELECT column_name, data_type, is_identity FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	types, identity := map[string]string{}, ""
	for rows.Next() {
		var name, kind, isIdentity string
		if err := rows.Scan(&name, &kind, &isIdentity); err != nil {
			return nil, "", err
		}
		types[name] = kind
		if isIdentity == "YES" {
			identity = name
		}
	}
	return types, identity, rows.Err()
}

// convertingSource is a pgx.CopyFromSource over exported rows, converting
// each value to its column's PostgreSQL type.
type convertingSource struct {
	next   func() ([]any, error)
	kinds  []string
	values []any
	err    error
}

// Next implements pgx.CopyFromSource.
func (s *convertingSource) Next() bool {
	row, err := s.next()
	if err != nil {
		s.err = err
		return false
	}
	if row == nil {
		return false
	}
	s.values = make([]any, len(row))
	for i, v := range row {
		if s.values[i], err = convert(v, s.kinds[i]); err != nil {
			s.err = err
			return false
		}
	}
	return true
}

// Values implements pgx.CopyFromSource.
func (s *convertingSource) Values() ([]any, error) { return s.values, nil }

// Err implements pgx.CopyFromSource.
func (s *convertingSource) Err() error { return s.err }

// convert turns a value as SQLite holds it into one for a PostgreSQL
// column of type kind (information_schema's data_type).
func convert(v any, kind string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok && kind != "bytea" {
		v = string(b)
	}
	switch kind {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case string:
			return x == "1" || strings.EqualFold(x, "true"), nil
		}
	case "timestamp with time zone":
		if s, ok := v.(string); ok {
			for _, layout := range []string{time.RFC3339Nano, time.DateTime, time.DateOnly} {
				if t, err := time.Parse(layout, s); err == nil {
					return t, nil
				}
			}
			return nil, fmt.Errorf("%q is not a time", s)
		}
	case "date":
		if s, ok := v.(string); ok {
			return time.Parse(time.DateOnly, s[:min(len(s), len(time.DateOnly))])
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s), nil
		}
	case "text":
		if _, ok := v.(string); !ok {
			return fmt.Sprint(v), nil
		}
	}
	return v, nil
}
