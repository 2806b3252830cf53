package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

func TestCreateAttemptQuiz(t *testing.T) {
	db, path := openUsersTestDB(t)
	ctx := context.Background()
	u := mustCreateUser(t, db, "ada@example.com", "Ada", "")
	at := time.Date(2025, 3, 4, 5, 6, 7, 8_000_000, time.UTC)
	a := &supportlab.Attempt{
		UserID: u.ID, Kind: supportlab.KindQuiz, UID: "support-check-en", Version: 2,
		Score: 50, Passed: false, At: at,
		Asked:   []string{"q2", "q1"},
		Answers: map[string][]int{"q1": {0, 2}, "q2": {1}},
		Right:   map[string]bool{"q1": true, "q2": false},
	}
	if err := db.CreateAttempt(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 {
		t.Fatal("CreateAttempt did not set the id")
	}
	var atMillis int64
	var marks int
	if err := rawQuery(t, path, `SELECT at, (SELECT SUM(mark) * 10 + COUNT(*) FROM attempt_marks WHERE attempt_id = attempts.id) FROM attempts WHERE id = ?`, a.ID).Scan(&atMillis, &marks); err != nil {
		t.Fatal(err)
	}
	if atMillis != at.UnixMilli() || marks != 12 {
		t.Fatalf("at %d (want %d), marks code %d (want one right of two)", atMillis, at.UnixMilli(), marks)
	}
	list, err := db.ListAttempts(ctx, u.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("%v %v", list, err)
	}
	got := list[0]
	if got.ID != a.ID || got.Version != 2 || got.Score != 50 || got.Passed || !got.At.Equal(at) ||
		!reflect.DeepEqual(got.Asked, a.Asked) || !reflect.DeepEqual(got.Answers, a.Answers) || !reflect.DeepEqual(got.Right, a.Right) {
		t.Fatalf("read back %+v, stored %+v", got, a)
	}
}

func TestCreateAttemptSandbox(t *testing.T) {
	db, path := openUsersTestDB(t)
	ctx := context.Background()
	u := mustCreateUser(t, db, "ada@example.com", "Ada", "")
	for _, tc := range []struct {
		name             string
		answer           supportlab.SandboxAnswer
		expected, chosen string
	}{
		{"request", supportlab.SandboxAnswer{Action: supportlab.ActionOpenRequest, Product: "exchange-online", Severity: "B", Title: "Mail down", Description: "Nobody can send mail since 9:00."}, "A", "B"},
		{"in house", supportlab.SandboxAnswer{Action: supportlab.ActionHandleInHouse, Severity: "A"}, "in-house", "in-house"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answer := tc.answer
			a := &supportlab.Attempt{
				UserID: u.ID, Kind: supportlab.KindSandbox, UID: "mail-" + tc.name, Version: 1, Score: 60,
				Parts:    &supportlab.SandboxParts{Action: 20, Severity: 10, Product: 20, Description: 10},
				Answer:   &answer,
				Expected: tc.expected,
			}
			if err := db.CreateAttempt(ctx, a); err != nil {
				t.Fatal(err)
			}
			var expected, chosen string
			if err := rawQuery(t, path, `SELECT expected, chosen FROM attempts WHERE id = ?`, a.ID).Scan(&expected, &chosen); err != nil {
				t.Fatal(err)
			}
			if expected != tc.expected || chosen != tc.chosen {
				t.Fatalf("expected/chosen %q/%q, want %q/%q", expected, chosen, tc.expected, tc.chosen)
			}
			list, err := db.ListAttempts(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := list[0]
			if got.ID != a.ID || !reflect.DeepEqual(got.Answer, a.Answer) || !reflect.DeepEqual(got.Parts, a.Parts) || got.Expected != tc.expected {
				t.Fatalf("read back %+v %+v, stored %+v %+v", got.Answer, got.Parts, a.Answer, a.Parts)
			}
		})
	}
}

func TestCreateAttemptRejects(t *testing.T) {
	db, _ := openUsersTestDB(t)
	ctx := context.Background()
	u := mustCreateUser(t, db, "ada@example.com", "Ada", "")
	for _, tc := range []struct {
		name string
		a    supportlab.Attempt
		key  string
	}{
		{"unknown kind", supportlab.Attempt{UserID: u.ID, Kind: "exam", UID: "x", Version: 1}, "error.attempt.kind"},
		{"sandbox without answer", supportlab.Attempt{UserID: u.ID, Kind: supportlab.KindSandbox, UID: "x", Version: 1}, "error.attempt.sandbox_incomplete"},
		{"score over 100", supportlab.Attempt{UserID: u.ID, Kind: supportlab.KindQuiz, UID: "x", Version: 1, Score: 101}, "error.attempt.score"},
		{"negative score", supportlab.Attempt{UserID: u.ID, Kind: supportlab.KindQuiz, UID: "x", Version: 1, Score: -1}, "error.attempt.score"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.CreateAttempt(ctx, &tc.a)
			if e := supportlab.AsError(err); e == nil || e.Code != supportlab.EINVALID || e.Key != tc.key {
				t.Fatalf("got %v, want invalid %s", err, tc.key)
			}
		})
	}
	if err := db.CreateAttempt(ctx, &supportlab.Attempt{UserID: 999, Kind: supportlab.KindQuiz, UID: "x", Version: 1}); err == nil {
		t.Fatal("an attempt of an unknown user was stored")
	}
	if list, err := db.ListAttempts(ctx, u.ID); err != nil || len(list) != 0 || list == nil {
		t.Fatalf("after rejected attempts: %v %v (want an empty, non-nil list)", list, err)
	}
}

func TestListAttemptsNewestFirstAndPerUser(t *testing.T) {
	db, _ := openUsersTestDB(t)
	ctx := context.Background()
	ada := mustCreateUser(t, db, "ada@example.com", "Ada", "")
	bob := mustCreateUser(t, db, "bob@example.com", "Bob", "")
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(u *supportlab.User, uid string, score int, at time.Time) {
		t.Helper()
		if err := db.CreateAttempt(ctx, &supportlab.Attempt{UserID: u.ID, Kind: supportlab.KindQuiz, UID: uid, Version: 1, Score: score, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	add(ada, "q-a", 40, base)
	add(ada, "q-b", 90, base.Add(time.Hour))
	add(ada, "q-a", 80, base.Add(2*time.Hour))
	add(ada, "q-a", 60, base.Add(2*time.Hour)) // same instant: stored last, listed first
	add(bob, "q-a", 100, base.Add(3*time.Hour))

	list, err := db.ListAttempts(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	var scores []int
	for _, a := range list {
		if a.UserID != ada.ID {
			t.Fatalf("Ada's list holds an attempt of user %d", a.UserID)
		}
		scores = append(scores, a.Score)
	}
	if want := []int{60, 80, 90, 40}; !reflect.DeepEqual(scores, want) {
		t.Fatalf("scores newest first %v, want %v", scores, want)
	}
	best, err := db.BestScores(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"quiz/q-a": 80, "quiz/q-b": 90}; !reflect.DeepEqual(best, want) {
		t.Fatalf("best %v, want %v", best, want)
	}
}
