package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"supportlab/app/supportlab"
)

var _ supportlab.ImportService = (*DB)(nil)

// ImportsChannel is the channel of the NOTIFY sent when an import is
// saved or an item retired, so that the other app processes publish the
// change at once (see WatchImports).
const ImportsChannel = "supportlab_imports"

// SaveImport implements supportlab.ImportService: in one transaction it
// creates the next version of the uid and records the upload, like package
// sqlite. A transaction advisory lock on the (kind, uid) makes two
// processes importing the same uid at once take turns for the number. The
// commit also notifies ImportsChannel.
func (db *DB) SaveImport(ctx context.Context, imp *supportlab.Import, hash string, body []byte) error {
	var author *int64
	if imp.AuthorID != 0 {
		author = &imp.AuthorID
	}
	at := db.Now().UTC()
	var id int64
	var version int
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if version, err = nextVersionTx(ctx, tx, imp.Kind, imp.UID); err != nil {
			return err
		}
		if err := insertVersionTx(ctx, tx, imp.Kind, imp.UID, version, fmt.Sprintf("%s@import%d", hash, version), body, at); err != nil {
			return fmt.Errorf("postgres: save import version: %w", err)
		}
		err = tx.QueryRow(ctx, `INSERT INTO authored_items (kind, uid, version, format, filename, title, lang, source, author_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			imp.Kind, imp.UID, version, imp.Format, imp.Filename, imp.Title, imp.Lang, imp.Source, author, at).Scan(&id)
		if err != nil {
			return fmt.Errorf("postgres: save import: %w", err)
		}
		return contentChanged(ctx, tx)
	})
	if err != nil {
		return err
	}
	imp.ID, imp.Version, imp.At = id, version, at
	return nil
}

// LatestImports implements supportlab.ImportService.
func (db *DB) LatestImports(ctx context.Context) ([]*supportlab.Import, error) {
	// The newest row of each (kind, uid), listed oldest first as in sqlite.
	rows, err := db.pool.Query(ctx, `SELECT * FROM (
			SELECT DISTINCT ON (kind, uid) id, kind, uid, version, format, filename, title, lang, source, COALESCE(author_id, 0), created_at
			FROM authored_items ORDER BY kind, uid, id DESC
		) latest ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*supportlab.Import
	for rows.Next() {
		imp := &supportlab.Import{}
		if err := rows.Scan(&imp.ID, &imp.Kind, &imp.UID, &imp.Version, &imp.Format, &imp.Filename, &imp.Title, &imp.Lang, &imp.Source, &imp.AuthorID, &imp.At); err != nil {
			return nil, err
		}
		imp.At = imp.At.UTC()
		out = append(out, imp)
	}
	return out, rows.Err()
}

// contentChanged records, in tx, that what is live changed: it takes the
// next content generation and notifies ImportsChannel, which PostgreSQL
// delivers to the listening processes when (and only if) tx commits.
func contentChanged(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, nextval('content_generation')::text)`, ImportsChannel)
	return err
}

// ContentGeneration is the number of the latest change to what is live
// (imports, retirements): a cheap question a process asks every few
// seconds to learn whether another one changed something it was not told
// about.
func (db *DB) ContentGeneration(ctx context.Context) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM content_generation`).Scan(&n)
	return n, err
}

// versionLock takes the transaction advisory lock of (kind, uid), under
// which a version number is read and the next one inserted: without it two
// processes could both read n and both insert n+1.
func versionLock(ctx context.Context, tx pgx.Tx, kind, uid string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "version:"+kind+"/"+uid)
	return err
}

// ensureVersionTx returns the version of (kind, uid) whose content has
// hash, inserting the next version number when there is none.
func ensureVersionTx(ctx context.Context, tx pgx.Tx, kind, uid, hash string, body []byte, now time.Time) (int, error) {
	if err := versionLock(ctx, tx, kind, uid); err != nil {
		return 0, err
	}
	var version int
	err := tx.QueryRow(ctx, `SELECT version FROM item_versions WHERE kind = $1 AND uid = $2 AND hash = $3`, kind, uid, hash).Scan(&version)
	if err == nil {
		return version, nil
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return 0, err
	}
	if version, err = maxVersionTx(ctx, tx, kind, uid); err != nil {
		return 0, err
	}
	return version, insertVersionTx(ctx, tx, kind, uid, version, hash, body, now)
}

// nextVersionTx locks (kind, uid) and returns the number its next version
// takes.
func nextVersionTx(ctx context.Context, tx pgx.Tx, kind, uid string) (int, error) {
	if err := versionLock(ctx, tx, kind, uid); err != nil {
		return 0, err
	}
	return maxVersionTx(ctx, tx, kind, uid)
}

// maxVersionTx is the highest version of (kind, uid) plus one.
func maxVersionTx(ctx context.Context, tx pgx.Tx, kind, uid string) (int, error) {
	var version int
	err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM item_versions WHERE kind = $1 AND uid = $2`, kind, uid).Scan(&version)
	return version, err
}

// insertVersionTx records a version's hash and content.
func insertVersionTx(ctx context.Context, tx pgx.Tx, kind, uid string, version int, hash string, body []byte, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO item_versions (kind, uid, version, hash, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		kind, uid, version, hash, string(body), now)
	return err
}
