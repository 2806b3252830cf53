package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"supportlab/app/supportlab"
)

var _ supportlab.ImportService = (*DB)(nil)

// SaveImport implements supportlab.ImportService: in one transaction it
// creates the next version of the uid and records the upload. Every import
// makes a new version, even of unchanged content (SPEC: "importing a uid
// that exists makes a new version of it"); the version's hash is marked
// with its number, so that it never stands for a file loaded at start-up.
func (db *DB) SaveImport(ctx context.Context, imp *supportlab.Import, hash string, body []byte) error {
	var author any
	if imp.AuthorID != 0 {
		author = imp.AuthorID
	}
	at := db.Now().UTC()
	var id int64
	var version int
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if version, err = nextVersionTx(ctx, tx, imp.Kind, imp.UID); err != nil {
			return err
		}
		if err := insertVersionTx(ctx, tx, imp.Kind, imp.UID, version, fmt.Sprintf("%s@import%d", hash, version), body, formatTime(at)); err != nil {
			return fmt.Errorf("sqlite: save import version: %w", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO authored_items (kind, uid, version, format, filename, title, lang, source, author_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			imp.Kind, imp.UID, version, imp.Format, imp.Filename, imp.Title, imp.Lang, imp.Source, author, formatTime(at))
		if err != nil {
			return fmt.Errorf("sqlite: save import: %w", err)
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return err
	}
	imp.ID, imp.Version, imp.At = id, version, at
	return nil
}

// LatestImports implements supportlab.ImportService.
func (db *DB) LatestImports(ctx context.Context) ([]*supportlab.Import, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind, uid, version, format, filename, title, lang, source, COALESCE(author_id, 0), created_at
		FROM authored_items a
		WHERE id = (SELECT MAX(id) FROM authored_items b WHERE b.kind = a.kind AND b.uid = a.uid)
		ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*supportlab.Import
	for rows.Next() {
		imp := &supportlab.Import{}
		var at string
		if err := rows.Scan(&imp.ID, &imp.Kind, &imp.UID, &imp.Version, &imp.Format, &imp.Filename, &imp.Title, &imp.Lang, &imp.Source, &imp.AuthorID, &at); err != nil {
			return nil, err
		}
		imp.At = parseTime(at)
		out = append(out, imp)
	}
	return out, rows.Err()
}

// ensureVersionTx returns the version of (kind, uid) whose content has
// hash, inserting the next version number when there is none.
func ensureVersionTx(ctx context.Context, tx *sql.Tx, kind, uid, hash string, body []byte, now string) (int, error) {
	var version int
	err := tx.QueryRowContext(ctx, `SELECT version FROM item_versions WHERE kind = ? AND uid = ? AND hash = ?`, kind, uid, hash).Scan(&version)
	if err == nil {
		return version, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if version, err = nextVersionTx(ctx, tx, kind, uid); err != nil {
		return 0, err
	}
	return version, insertVersionTx(ctx, tx, kind, uid, version, hash, body, now)
}

// nextVersionTx is the number the next version of (kind, uid) takes.
func nextVersionTx(ctx context.Context, tx *sql.Tx, kind, uid string) (int, error) {
	var version int
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM item_versions WHERE kind = ? AND uid = ?`, kind, uid).Scan(&version)
	return version, err
}

// insertVersionTx records a version's hash and content.
func insertVersionTx(ctx context.Context, tx *sql.Tx, kind, uid string, version int, hash string, body []byte, now string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO item_versions (kind, uid, version, hash, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		kind, uid, version, hash, string(body), now)
	return err
}
