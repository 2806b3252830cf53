package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// Export hands every table of the database to fn, for `supportlab
// migrate-db`, which copies a SQLite database into PostgreSQL. Tables come
// in an order where each comes after the tables its foreign keys name
// (users before attempts), so that a copy can insert them one by one with
// its constraints on; schema_migrations, SQLite's own tables and the
// derived team statistics (stats_*, which the target computes again) are
// left out. fn reads the table's rows with next, which returns nil at the end;
// each value is as SQLite holds it (int64, float64, string, []byte or
// nil). Everything is read in one read transaction: a consistent snapshot
// even while a server writes to the database.
func (db *DB) Export(ctx context.Context, fn func(table string, columns []string, next func() ([]any, error)) error) error {
	tx, err := db.read.BeginTx(ctx, nil) // the read pool is query-only
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tables, err := exportOrder(ctx, tx)
	if err != nil {
		return err
	}
	for _, table := range tables {
		if err := exportTable(ctx, tx, table, fn); err != nil {
			return fmt.Errorf("sqlite: export %s: %w", table, err)
		}
	}
	return nil
}

// exportOrder lists the app's tables, each after the tables it references
// (by name within the same depth), then its views: a view (attempt_marks,
// 010_marks_from_detail.sql) is what PostgreSQL keeps as a table, and it
// reads tables that must be copied before it.
func exportOrder(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, type = 'view' FROM sqlite_master WHERE type IN ('table', 'view')
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE 'stats\_%' ESCAPE '\'
		AND name <> 'schema_migrations' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var names, views []string
	for rows.Next() {
		var name string
		var view bool
		if err := rows.Scan(&name, &view); err != nil {
			rows.Close()
			return nil, err
		}
		if view {
			views = append(views, name)
		} else {
			names = append(names, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	parents := map[string][]string{}
	for _, name := range names {
		refs, err := tx.QueryContext(ctx, `SELECT "table" FROM pragma_foreign_key_list(?)`, name)
		if err != nil {
			return nil, err
		}
		for refs.Next() {
			var parent string
			if err := refs.Scan(&parent); err != nil {
				refs.Close()
				return nil, err
			}
			if parent != name {
				parents[name] = append(parents[name], parent)
			}
		}
		refs.Close()
		if err := refs.Err(); err != nil {
			return nil, err
		}
	}
	// depth is the length of the longest chain of references above a table.
	depth := map[string]int{}
	var depthOf func(name string, seen map[string]bool) int
	depthOf = func(name string, seen map[string]bool) int {
		if d, ok := depth[name]; ok {
			return d
		}
		if seen[name] {
			return 0 // a cycle: never in this schema
		}
		seen[name] = true
		d := 0
		for _, p := range parents[name] {
			d = max(d, depthOf(p, seen)+1)
		}
		depth[name] = d
		return d
	}
	for _, name := range names {
		depthOf(name, map[string]bool{})
	}
	sort.SliceStable(names, func(i, j int) bool { return depth[names[i]] < depth[names[j]] })
	return append(names, views...), nil
}

// exportTable hands one table's (or view's) rows to fn, in rowid order
// where there is one.
func exportTable(ctx context.Context, tx *sql.Tx, table string, fn func(string, []string, func() ([]any, error)) error) error {
	// table comes from sqlite_master, never from a user: quoting it is enough.
	rows, err := tx.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return err
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return err
	}
	next := func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		values := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		return values, nil
	}
	if err := fn(table, columns, next); err != nil {
		return err
	}
	return rows.Err()
}
