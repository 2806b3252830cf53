package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"supportlab/app/supportlab"
)

// errNoVersion is what a version that does not exist gives.
var errNoVersion = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.version")

// itemVersionColumns read a version with its import, if it was one, and
// the name of the account that saved it.
const itemVersionColumns = `v.kind, v.uid, v.version, v.created_at, v.hash, v.body,
	i.id IS NOT NULL, COALESCE(i.author_id, 0), COALESCE(u.name, ''), COALESCE(i.format, ''),
	COALESCE(i.filename, ''), COALESCE(i.title, ''), COALESCE(i.lang, ''), i.source`

// itemVersionFrom joins a version to the newest import that made it (an
// import makes exactly one version; the MAX keeps the join at one row even
// if a copied database held more).
const itemVersionFrom = `item_versions v
	LEFT JOIN authored_items i ON i.id = (SELECT MAX(id) FROM authored_items b WHERE b.kind = v.kind AND b.uid = v.uid AND b.version = v.version)
	LEFT JOIN users u ON u.id = i.author_id`

func scanItemVersion(sc rowScanner) (*supportlab.ItemVersion, error) {
	v := &supportlab.ItemVersion{}
	var at, body string
	var source []byte
	if err := sc.Scan(&v.Kind, &v.UID, &v.Version, &at, &v.Hash, &body, &v.Imported, &v.AuthorID, &v.AuthorName,
		&v.Format, &v.Filename, &v.Title, &v.Lang, &source); err != nil {
		return nil, err
	}
	v.At, v.Body = parseTime(at), []byte(body)
	if v.Imported {
		v.Source = source
	}
	return v, nil
}

// ItemVersions implements supportlab.HistoryService.
func (db *DB) ItemVersions(ctx context.Context, kind, uid string) ([]*supportlab.ItemVersion, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+itemVersionColumns+` FROM `+itemVersionFrom+`
		WHERE v.kind = ? AND v.uid = ? ORDER BY v.version`, kind, uid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*supportlab.ItemVersion{}
	for rows.Next() {
		v, err := scanItemVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindItemVersion implements supportlab.HistoryService.
func (db *DB) FindItemVersion(ctx context.Context, kind, uid string, version int) (*supportlab.ItemVersion, error) {
	v, err := scanItemVersion(db.read.QueryRowContext(ctx, `SELECT `+itemVersionColumns+` FROM `+itemVersionFrom+`
		WHERE v.kind = ? AND v.uid = ? AND v.version = ?`, kind, uid, version))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoVersion
	}
	return v, err
}

// SetRetired implements supportlab.HistoryService. Retiring twice keeps
// the first time; bringing back an item that is not retired does nothing.
func (db *DB) SetRetired(ctx context.Context, kind, uid string, retired bool, by int64) error {
	if !retired {
		_, err := db.write.ExecContext(ctx, `DELETE FROM retired_items WHERE kind = ? AND uid = ?`, kind, uid)
		return err
	}
	var who any
	if by != 0 {
		who = by
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO retired_items (kind, uid, retired_by, retired_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, uid) DO NOTHING`, kind, uid, who, formatTime(db.Now()))
	return err
}

// RetiredItems implements supportlab.HistoryService.
func (db *DB) RetiredItems(ctx context.Context) (map[string]bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT kind, uid FROM retired_items`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var kind, uid string
		if err := rows.Scan(&kind, &uid); err != nil {
			return nil, err
		}
		out[supportlab.BestKey(kind, uid)] = true
	}
	return out, rows.Err()
}

var _ supportlab.HistoryService = (*DB)(nil)
