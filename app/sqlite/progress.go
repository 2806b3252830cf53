package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"supportlab/app/supportlab"
)

// MarkUnitRead implements supportlab.ProgressService. Opening a unit again
// keeps the time of the first reading.
func (db *DB) MarkUnitRead(ctx context.Context, userID int64, module, unit string) error {
	// A unit is opened many times and recorded once: look before taking
	// the one write connection.
	var one int
	if err := db.stmtUnitRead.QueryRowContext(ctx, userID, module, unit).Scan(&one); err == nil {
		return nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO unit_reads (user_id, module, unit, read_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, module, unit) DO NOTHING`, userID, module, unit, formatTime(db.Now()))
	return err
}

// UnitsRead implements supportlab.ProgressService.
func (db *DB) UnitsRead(ctx context.Context, userID int64) (map[string]map[string]bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT module, unit FROM unit_reads WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	read := map[string]map[string]bool{}
	for rows.Next() {
		var module, unit string
		if err := rows.Scan(&module, &unit); err != nil {
			return nil, err
		}
		if read[module] == nil {
			read[module] = map[string]bool{}
		}
		read[module][unit] = true
	}
	return read, rows.Err()
}

var _ supportlab.ProgressService = (*DB)(nil)
