package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

func quizAttempt(userID int64, n int) *supportlab.Attempt {
	return &supportlab.Attempt{
		UserID: userID, Kind: supportlab.KindQuiz, UID: "q", Version: 1, Score: n % 101,
		Asked: []string{"a"}, Answers: map[string][]int{"a": {0}}, Right: map[string]bool{"a": n%2 == 0},
	}
}

func newUser(t *testing.T, db *DB) int64 {
	t.Helper()
	u, err := db.CreateUser(context.Background(), supportlab.NewUser{Email: "ada@example.com", Name: "Ada", Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// Attempts sent at once share transactions, and every one is stored with
// its own id and marks before CreateAttempt returns.
func TestConcurrentAttemptsAreAllStored(t *testing.T) {
	BcryptCost = 4
	db := openDBAt(t, filepath.Join(t.TempDir(), "batch.db"))
	uid := newUser(t, db)
	const n = 300
	var wg sync.WaitGroup
	ids := make([]int64, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := quizAttempt(uid, i)
			if err := db.CreateAttempt(context.Background(), a); err != nil {
				t.Error(err)
				return
			}
			ids[i] = a.ID
			// Acknowledged means readable by anyone from now on.
			if _, err := db.FindAttempt(context.Background(), a.ID); err != nil {
				t.Errorf("attempt %d acknowledged but not found: %v", a.ID, err)
			}
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for _, id := range ids {
		if id == 0 || seen[id] {
			t.Fatalf("ids %v: each attempt needs its own", ids)
		}
		seen[id] = true
	}
	var attempts, marks int
	if err := db.read.QueryRow(`SELECT (SELECT COUNT(*) FROM attempts), (SELECT COUNT(*) FROM attempt_marks)`).Scan(&attempts, &marks); err != nil {
		t.Fatal(err)
	}
	if attempts != n || marks != n {
		t.Fatalf("%d attempts and %d marks stored, want %d each", attempts, marks, n)
	}
}

// One attempt that cannot be stored does not fail the others of its batch.
func TestBadAttemptFailsAlone(t *testing.T) {
	BcryptCost = 4
	db := openDBAt(t, filepath.Join(t.TempDir(), "batch.db"))
	uid := newUser(t, db)
	// Hold the write connection so that the attempts below queue up and go
	// in one batch; one of them names a user that does not exist.
	tx, err := db.write.BeginTx(context.Background(), &sql.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i, user := range []int64{uid, uid + 1000, uid} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.CreateAttempt(context.Background(), quizAttempt(user, i))
		}()
	}
	time.Sleep(100 * time.Millisecond)
	tx.Rollback()
	wg.Wait()
	if errs[0] != nil || errs[2] != nil || errs[1] == nil {
		t.Fatalf("errors %v, want only the second (unknown user) to fail", errs)
	}
}

// A full queue refuses at once with "unavailable", storing nothing, and
// Close writes what was queued before it returns.
func TestFullQueueRefusesAndCloseDrains(t *testing.T) {
	BcryptCost = 4
	db := openDBAt(t, filepath.Join(t.TempDir(), "batch.db"))
	uid := newUser(t, db)
	db.attempts.close()
	db.startAttemptWriter(2)
	tx, err := db.write.BeginTx(context.Background(), &sql.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The writer takes one attempt and waits for the connection; two more
	// fill the queue; the next is refused.
	results := make(chan error, 3)
	for i := range 3 {
		go func() { results <- db.CreateAttempt(context.Background(), quizAttempt(uid, i)) }()
		time.Sleep(50 * time.Millisecond)
	}
	if err := db.CreateAttempt(context.Background(), quizAttempt(uid, 9)); supportlab.ErrorCode(err) != supportlab.EUNAVAILABLE {
		t.Fatalf("a full queue: %v, want unavailable", err)
	}
	tx.Rollback()
	db.attempts.close()
	for range 3 {
		if err := <-results; err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.read.QueryRow(`SELECT COUNT(*) FROM attempts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d attempts stored, want the 3 queued ones", n)
	}
	if err := db.CreateAttempt(context.Background(), quizAttempt(uid, 10)); err == nil {
		t.Fatal("an attempt after close was accepted")
	}
}
