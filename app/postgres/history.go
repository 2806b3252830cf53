package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

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

func scanItemVersion(sc pgx.Row) (*supportlab.ItemVersion, error) {
	v := &supportlab.ItemVersion{}
	var body string
	var source []byte
	if err := sc.Scan(&v.Kind, &v.UID, &v.Version, &v.At, &v.Hash, &body, &v.Imported, &v.AuthorID, &v.AuthorName,
		&v.Format, &v.Filename, &v.Title, &v.Lang, &source); err != nil {
		return nil, err
	}
	v.At, v.Body = v.At.UTC(), []byte(body)
	if v.Imported {
		v.Source = source
	}
	return v, nil
}

// ItemVersions implements supportlab.HistoryService.
func (db *DB) ItemVersions(ctx context.Context, kind, uid string) ([]*supportlab.ItemVersion, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+itemVersionColumns+` FROM `+itemVersionFrom+`
		WHERE v.kind = $1 AND v.uid = $2 ORDER BY v.version`, kind, uid)
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
	v, err := scanItemVersion(db.pool.QueryRow(ctx, `SELECT `+itemVersionColumns+` FROM `+itemVersionFrom+`
		WHERE v.kind = $1 AND v.uid = $2 AND v.version = $3`, kind, uid, version))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNoVersion
	}
	return v, err
}

// SetRetired implements supportlab.HistoryService. Retiring twice keeps
// the first time; bringing back an item that is not retired does nothing.
// The change is announced to the other processes (contentChanged), which
// keep the set of retired items in memory.
func (db *DB) SetRetired(ctx context.Context, kind, uid string, retired bool, by int64) error {
	var who *int64
	if by != 0 {
		who = &by
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if retired {
			_, err = tx.Exec(ctx, `INSERT INTO retired_items (kind, uid, retired_by, retired_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (kind, uid) DO NOTHING`, kind, uid, who, db.Now().UTC())
		} else {
			_, err = tx.Exec(ctx, `DELETE FROM retired_items WHERE kind = $1 AND uid = $2`, kind, uid)
		}
		if err != nil {
			return err
		}
		return contentChanged(ctx, tx)
	})
}

// RetiredItems implements supportlab.HistoryService.
func (db *DB) RetiredItems(ctx context.Context) (map[string]bool, error) {
	rows, err := db.pool.Query(ctx, `SELECT kind, uid FROM retired_items`)
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
