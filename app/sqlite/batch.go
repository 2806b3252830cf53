package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"sync"

	"supportlab/app/supportlab"
)

// Group commit. At synchronous=FULL every commit waits for the disk, so one
// transaction per attempt caps submissions at the disk's fsyncs per second.
// Instead, one writer goroutine takes the attempts waiting in a bounded
// queue and writes every one of them in a single transaction: while a
// commit waits for the disk, the next attempts gather, and all of them pay
// for one fsync together. Each CreateAttempt still returns only once its
// own attempt is committed.

const (
	// attemptQueue bounds the attempts waiting to be written: beyond it a
	// submission is refused as "try again" rather than queued without end.
	attemptQueue = 4096
	// attemptBatch bounds one transaction, so that a long queue does not
	// make one commit too large to keep the others waiting briefly.
	attemptBatch = 512
)

// gatherYields is how many times in a row the writer lets the other
// goroutines run without finding a new attempt before it commits what it
// has: submissions being decoded and graded at that moment join this
// transaction instead of waiting for the next one (from 11.6 attempts per
// transaction on average to more, with 32 learners at once), and when
// nothing else is running a yield costs next to nothing.
const gatherYields = 2

// errBusy is a full queue: the caller should try again in a moment.
var errBusy = supportlab.NewError(supportlab.EUNAVAILABLE, "error.text.Service Unavailable")

// errClosed is a write after Close.
var errClosed = errors.New("sqlite: database closed")

// attemptWriter is the writer goroutine and its queue.
type attemptWriter struct {
	db    *DB
	queue chan *pendingAttempt
	done  chan struct{}

	mu     sync.RWMutex // guards closed against sends on a closed queue
	closed bool
}

// pendingAttempt is an attempt waiting for its transaction.
type pendingAttempt struct {
	row *attemptRow
	err chan error
}

func (db *DB) startAttemptWriter(queue int) {
	w := &attemptWriter{db: db, queue: make(chan *pendingAttempt, queue), done: make(chan struct{})}
	db.attempts = w
	go w.run()
}

// write queues row and waits until it is committed (or failed). A full
// queue is refused at once with EUNAVAILABLE: nothing was written, and the
// learner may send again.
func (w *attemptWriter) write(ctx context.Context, row *attemptRow) error {
	p := &pendingAttempt{row: row, err: make(chan error, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return errClosed
	}
	select {
	case w.queue <- p:
		w.mu.RUnlock()
	default:
		w.mu.RUnlock()
		return errBusy
	}
	// Once queued, the attempt is written even if the request goes away:
	// wait for the outcome, which comes after at most one commit.
	return <-p.err
}

// run writes batches until the queue is closed and drained.
func (w *attemptWriter) run() {
	defer close(w.done)
	batch := make([]*pendingAttempt, 0, attemptBatch)
	for first := range w.queue {
		batch = append(batch[:0], first)
		idle := 0
	gather:
		for len(batch) < attemptBatch {
			select {
			case p, ok := <-w.queue:
				if !ok {
					break gather
				}
				batch = append(batch, p)
				idle = 0
				continue
			default:
			}
			if idle == gatherYields {
				break
			}
			idle++
			runtime.Gosched()
		}
		w.commit(batch)
	}
}

// commit writes a batch in one transaction. If the transaction fails, each
// attempt is tried again alone, so that one bad attempt cannot fail the
// others that shared its batch.
func (w *attemptWriter) commit(batch []*pendingAttempt) {
	ctx := context.Background()
	ids := make([]int64, len(batch))
	err := w.db.inTx(ctx, func(tx *sql.Tx) error {
		for i, p := range batch {
			id, err := w.db.insertAttemptTx(ctx, tx, p.row)
			if err != nil {
				return err
			}
			ids[i] = id
		}
		return nil
	})
	if err == nil {
		for i, p := range batch {
			p.row.a.ID = ids[i]
			p.err <- nil
		}
		return
	}
	if len(batch) == 1 {
		batch[0].err <- err
		return
	}
	for _, p := range batch {
		w.commit([]*pendingAttempt{p})
	}
}

// close stops taking attempts, writes those already queued and waits for
// the writer to finish.
func (w *attemptWriter) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	<-w.done
}
