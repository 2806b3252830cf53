package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

func testCreateAttemptQuiz(t *testing.T, h *Harness) {
	ctx := context.Background()
	u := mustCreateUser(t, h.Store, "ada@example.com", "Ada", "")
	at := time.Date(2025, 3, 4, 5, 6, 7, 8_000_000, time.UTC)
	a := &supportlab.Attempt{
		UserID: u.ID, Kind: supportlab.KindQuiz, UID: "support-check-en", Version: 2,
		Score: 50, Passed: false, At: at,
		Asked:   []string{"q2", "q1"},
		Answers: map[string][]int{"q1": {0, 2}, "q2": {1}},
		Right:   map[string]bool{"q1": true, "q2": false},
	}
	must(t, h.Store.CreateAttempt(ctx, a))
	if a.ID == 0 {
		t.Fatal("CreateAttempt did not set the id")
	}
	var atMillis int64
	var marks int
	if err := h.QueryRow(`SELECT at, (SELECT SUM(mark) * 10 + COUNT(*) FROM attempt_marks WHERE attempt_id = attempts.id) FROM attempts WHERE id = $1`, a.ID).Scan(&atMillis, &marks); err != nil {
		t.Fatal(err)
	}
	if atMillis != at.UnixMilli() || marks != 12 {
		t.Fatalf("at %d (want %d), marks code %d (want one right of two)", atMillis, at.UnixMilli(), marks)
	}
	list, err := h.Store.ListAttempts(ctx, u.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("%v %v", list, err)
	}
	got := list[0]
	if got.ID != a.ID || got.UserID != u.ID || got.Kind != supportlab.KindQuiz || got.UID != a.UID || got.Version != 2 || got.Score != 50 || got.Passed || !got.At.Equal(at) ||
		!reflect.DeepEqual(got.Asked, a.Asked) || !reflect.DeepEqual(got.Answers, a.Answers) || !reflect.DeepEqual(got.Right, a.Right) {
		t.Fatalf("read back %+v, stored %+v", got, a)
	}
	// Without a time, the store's clock gives one, to the millisecond.
	now := time.Date(2026, 5, 6, 7, 8, 9, 123_456_789, time.UTC)
	h.SetNow(func() time.Time { return now })
	b := &supportlab.Attempt{UserID: u.ID, Kind: supportlab.KindQuiz, UID: "x", Version: 1, Score: 100, Passed: true}
	must(t, h.Store.CreateAttempt(ctx, b))
	found, err := h.Store.FindAttempt(ctx, b.ID)
	if err != nil || !found.At.Equal(now.Truncate(time.Millisecond)) || !found.Passed || len(found.Asked) != 0 {
		t.Fatalf("attempt without a time: %+v %v, want at %v", found, err, now)
	}
}

func testCreateAttemptSandbox(t *testing.T, h *Harness) {
	ctx := context.Background()
	u := mustCreateUser(t, h.Store, "ada@example.com", "Ada", "")
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
			must(t, h.Store.CreateAttempt(ctx, a))
			var expected, chosen string
			must(t, h.QueryRow(`SELECT expected, chosen FROM attempts WHERE id = $1`, a.ID).Scan(&expected, &chosen))
			if expected != tc.expected || chosen != tc.chosen {
				t.Fatalf("expected/chosen %q/%q, want %q/%q", expected, chosen, tc.expected, tc.chosen)
			}
			list, err := h.Store.ListAttempts(ctx, u.ID)
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

func testCreateAttemptRejects(t *testing.T, h *Harness) {
	ctx := context.Background()
	u := mustCreateUser(t, h.Store, "ada@example.com", "Ada", "")
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
			wantError(t, h.Store.CreateAttempt(ctx, &tc.a), supportlab.EINVALID, tc.key)
		})
	}
	if err := h.Store.CreateAttempt(ctx, &supportlab.Attempt{UserID: 999, Kind: supportlab.KindQuiz, UID: "x", Version: 1}); err == nil {
		t.Fatal("an attempt of an unknown user was stored")
	}
	if list, err := h.Store.ListAttempts(ctx, u.ID); err != nil || len(list) != 0 || list == nil {
		t.Fatalf("after rejected attempts: %v %v (want an empty, non-nil list)", list, err)
	}
}

func testListAttemptsNewestFirstAndPerUser(t *testing.T, h *Harness) {
	ctx := context.Background()
	ada := mustCreateUser(t, h.Store, "ada@example.com", "Ada", "")
	bob := mustCreateUser(t, h.Store, "bob@example.com", "Bob", "")
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(u *supportlab.User, uid string, score int, at time.Time) {
		t.Helper()
		must(t, h.Store.CreateAttempt(ctx, &supportlab.Attempt{UserID: u.ID, Kind: supportlab.KindQuiz, UID: uid, Version: 1, Score: score, At: at}))
	}
	add(ada, "q-a", 40, base)
	add(ada, "q-b", 90, base.Add(time.Hour))
	add(ada, "q-a", 80, base.Add(2*time.Hour))
	add(ada, "q-a", 60, base.Add(2*time.Hour)) // same instant: stored last, listed first
	add(bob, "q-a", 100, base.Add(3*time.Hour))

	list, err := h.Store.ListAttempts(ctx, ada.ID)
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
	best, err := h.Store.BestScores(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"quiz/q-a": 80, "quiz/q-b": 90}; !reflect.DeepEqual(best, want) {
		t.Fatalf("best %v, want %v", best, want)
	}
	if best, err := h.Store.BestScores(ctx, 999); err != nil || len(best) != 0 {
		t.Fatalf("best of nobody %v %v", best, err)
	}
}

func testFindAttempt(t *testing.T, h *Harness) {
	ctx := context.Background()
	u := mustCreateUser(t, h.Store, "ada@example.com", "Ada", "")
	a := &supportlab.Attempt{UserID: u.ID, Kind: supportlab.KindQuiz, UID: "q", Version: 3, Score: 100, Passed: true,
		Asked: []string{"a"}, Answers: map[string][]int{"a": {1}}, Right: map[string]bool{"a": true}}
	must(t, h.Store.CreateAttempt(ctx, a))
	got, err := h.Store.FindAttempt(ctx, a.ID)
	if err != nil || got.ID != a.ID || got.UserID != u.ID || got.Version != 3 || !reflect.DeepEqual(got.Answers, a.Answers) {
		t.Fatalf("FindAttempt = %+v, %v", got, err)
	}
	_, err = h.Store.FindAttempt(ctx, a.ID+1000)
	wantError(t, err, supportlab.ENOTFOUND, "error.not_found.attempt")
}

func testUnitsRead(t *testing.T, h *Harness) {
	ctx := context.Background()
	ada := mustCreateUser(t, h.Store, "ada@example.com", "Ada", "")
	bob := mustCreateUser(t, h.Store, "bob@example.com", "Bob", "")
	for _, r := range []struct {
		user         int64
		module, unit string
	}{
		{ada.ID, "m1", "01-intro"},
		{ada.ID, "m1", "01-intro"}, // opened twice: still one unit
		{ada.ID, "m1", "02-more"},
		{ada.ID, "m2", "01-start"},
		{bob.ID, "m1", "03-end"},
	} {
		must(t, h.Store.MarkUnitRead(ctx, r.user, r.module, r.unit))
	}
	for _, tc := range []struct {
		name string
		user int64
		want map[string]map[string]bool
	}{
		{"ada", ada.ID, map[string]map[string]bool{"m1": {"01-intro": true, "02-more": true}, "m2": {"01-start": true}}},
		{"bob", bob.ID, map[string]map[string]bool{"m1": {"03-end": true}}},
		{"nobody", 999, map[string]map[string]bool{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := h.Store.UnitsRead(ctx, tc.user)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// testImports saves uploads and reads the newest of each uid back: every
// import is a new version, after the versions of the shipped files.
func testImports(t *testing.T, h *Harness) {
	ctx := context.Background()
	trainer := mustCreateUser(t, h.Store, "t@example.com", "Trainer", supportlab.RoleTrainer)
	if latest, err := h.Store.LatestImports(ctx); err != nil || len(latest) != 0 {
		t.Fatalf("imports of an empty database: %v %v", latest, err)
	}
	// The shipped file of "check" is version 1.
	if v, err := h.Store.EnsureVersion(ctx, supportlab.KindQuiz, "check", "h1", []byte("{}")); err != nil || v != 1 {
		t.Fatalf("EnsureVersion = %d, %v", v, err)
	}
	now := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	h.SetNow(func() time.Time { return now })
	steps := []struct {
		name        string
		imp         supportlab.Import
		hash        string
		wantVersion int
	}{
		{"edit of a shipped quiz", supportlab.Import{Kind: supportlab.KindQuiz, UID: "check", Format: "yaml", Filename: "check.yml", Source: []byte("uid: check\n"), AuthorID: trainer.ID}, "h2", 2},
		{"same content again", supportlab.Import{Kind: supportlab.KindQuiz, UID: "check", Format: "yaml", Filename: "check.yml", Source: []byte("uid: check\n"), AuthorID: trainer.ID}, "h2", 3},
		{"content of the shipped file", supportlab.Import{Kind: supportlab.KindQuiz, UID: "check", Format: "yaml", Filename: "check.yml", Source: []byte("uid: check # v1\n")}, "h1", 4},
		{"new GIFT quiz", supportlab.Import{Kind: supportlab.KindQuiz, UID: "gift-one", Format: "gift", Filename: "one.gift", Title: "One", Lang: "fr", Source: []byte("::q1:: x {T}")}, "g1", 1},
		{"scenario with a quiz's uid", supportlab.Import{Kind: supportlab.KindSandbox, UID: "check", Format: "yaml", Filename: "s.yml", Source: []byte("uid: check\n")}, "s1", 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			imp := st.imp
			must(t, h.Store.SaveImport(ctx, &imp, st.hash, []byte(`{"h":"`+st.hash+`"}`)))
			if imp.ID == 0 || imp.Version != st.wantVersion || !imp.At.Equal(now) {
				t.Fatalf("saved %+v, want version %d at %v", imp, st.wantVersion, now)
			}
		})
	}
	// Loading the shipped file again keeps its number: an import never
	// stands for a file loaded at start-up.
	if v, err := h.Store.EnsureVersion(ctx, supportlab.KindQuiz, "check", "h1", []byte("{}")); err != nil || v != 1 {
		t.Errorf("shipped version after imports = %d, %v; want 1", v, err)
	}
	latest, err := h.Store.LatestImports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, imp := range latest {
		got = append(got, imp.Kind+"/"+imp.UID)
	}
	if want := []string{"quiz/check", "quiz/gift-one", "sandbox/check"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("latest imports %v, want %v (oldest first)", got, want)
	}
	check, gift := latest[0], latest[1]
	if check.Version != 4 || string(check.Source) != "uid: check # v1\n" || check.AuthorID != 0 || check.Format != "yaml" || check.Filename != "check.yml" || !check.At.Equal(now) {
		t.Errorf("newest import of check: %+v", check)
	}
	if gift.Version != 1 || gift.Title != "One" || gift.Lang != "fr" || gift.Format != "gift" {
		t.Errorf("GIFT import: %+v", gift)
	}
}
