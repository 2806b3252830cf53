package postgres

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// WatchImports keeps this process's live quizzes and scenarios in step
// with the imports and retirements other processes save: it calls reload
// (the use case that publishes the newest import of every uid and rereads
// the retired items, which is safe to repeat) as soon as a NOTIFY on
// ImportsChannel arrives, and, should a notification be missed (the
// listening connection dropped and was opened again), whenever the
// content generation has changed since the last look, at least every
// interval. It returns when ctx ends.
func (db *DB) WatchImports(ctx context.Context, interval time.Duration, reload func(context.Context) error, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	// No generation seen yet: the first look, once listening, reloads,
	// so that a change made between the caller's own load and the LISTEN
	// (whose notification nobody heard) is not missed.
	last := int64(-1)
	// check publishes what is new since the last look.
	check := func() {
		id, err := db.ContentGeneration(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("import watch: reading the content generation", "err", err)
			}
			return
		}
		if id == last {
			return
		}
		if err := reload(ctx); err != nil {
			if ctx.Err() == nil {
				log.Warn("import watch: publishing imports", "err", err)
			}
			return
		}
		last = id
	}
	for ctx.Err() == nil {
		conn, err := db.listen(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("import watch: LISTEN failed; checking every interval meanwhile", "err", err)
			}
			sleep(ctx, interval)
			check()
			continue
		}
		// Anything imported while no connection listened.
		check()
		for ctx.Err() == nil {
			wctx, cancel := context.WithTimeout(ctx, interval)
			_, err := conn.WaitForNotification(wctx)
			cancel()
			if err != nil && !pgconn.Timeout(err) && ctx.Err() == nil {
				log.Warn("import watch: the listening connection failed; opening another", "err", err)
				break
			}
			check()
		}
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn.Close(closeCtx)
		cancel()
	}
}

// listen opens a connection of its own (not one of the pool, which it
// would hold forever) and subscribes it to ImportsChannel.
func (db *DB) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+ImportsChannel); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}

// sleep waits for d or for the end of ctx.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
