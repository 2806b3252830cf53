package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

// The services below came after the first stores: a store that does not
// provide one yet skips its cases with the reason, rather than failing to
// build the suite for every store.

func assignmentsOf(t *testing.T, h *Harness) supportlab.AssignmentService {
	t.Helper()
	as, ok := h.Store.(supportlab.AssignmentService)
	if !ok {
		t.Skipf("%T does not implement supportlab.AssignmentService yet", h.Store)
	}
	return as
}

func historyOf(t *testing.T, h *Harness) supportlab.HistoryService {
	t.Helper()
	hs, ok := h.Store.(supportlab.HistoryService)
	if !ok {
		t.Skipf("%T does not implement supportlab.HistoryService yet", h.Store)
	}
	return hs
}

// testJoinDateRule: a team's figures (scores, matrix, items, trend, item
// analysis, confusion) count only the attempts a learner made at or after
// joining; the learner's own record keeps them all.
func testJoinDateRule(t *testing.T, h *Harness) {
	ctx := context.Background()
	db := h.Store
	clock := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	h.SetNow(func() time.Time { return clock })
	trainer := addUser(t, db, "Trainer", "trainer")
	team, err := db.CreateTeam(ctx, "Team", trainer)
	must(t, err)
	learner := addUser(t, db, "Lea", "learner")

	before := clock.Add(-time.Hour)
	addQuizAttempt(t, db, learner, "q", before, "a", 1, "b", 1)
	addSandboxAttempt(t, db, learner, "s", before, 100, "A", "A")
	joined := clock.Add(500*time.Millisecond + 250*time.Microsecond) // below the millisecond
	h.SetNow(func() time.Time { return joined })
	_, _, err = db.JoinTeam(ctx, learner, team.Code)
	must(t, err)
	same := joined.Truncate(time.Millisecond) // the same millisecond counts
	addQuizAttempt(t, db, learner, "q", same, "a", 0, "b", 1)
	addQuizAttempt(t, db, learner, "q", same.Add(-time.Millisecond), "a", 1, "b", 1) // the one before does not
	addQuizAttempt(t, db, learner, "q2", joined.Add(time.Hour), "a", 1)

	rows, err := db.TeamScores(ctx, team.ID)
	must(t, err)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s/%s best %d n %d", r.Kind, r.UID, r.Best, r.Attempts))
	}
	if want := "quiz/q best 50 n 1,quiz/q2 best 100 n 1"; strings.Join(got, ",") != want {
		t.Errorf("scores %q, want %q", strings.Join(got, ","), want)
	}
	st, err := db.TeamStats(ctx, team.ID, supportlab.StatsQuery{Limit: 10})
	must(t, err)
	if st.Attempts != 2 || len(st.Items) != 2 || st.Confusion.Total() != 0 {
		t.Errorf("stats: %d attempts, items %+v, confusion %d", st.Attempts, st.Items, st.Confusion.Total())
	}
	if len(st.Members) != 1 || st.Members[0].Scores["quiz/q"].Best != 50 || st.Members[0].Scores["quiz/q"].Attempts != 1 {
		t.Errorf("matrix row %+v", st.Members)
	}
	for _, q := range st.Questions {
		if q.QuizUID == "q" && q.QuestionID == "a" && (q.N != 1 || q.SumX != 0) {
			t.Errorf("item analysis counts the attempt before joining: %+v", q)
		}
	}
	own, err := db.ListAttempts(ctx, learner)
	must(t, err)
	if len(own) != 5 {
		t.Errorf("the learner's own record has %d attempts, want all 5", len(own))
	}
}

// testItemAnalysisPerVersion: each learner's first attempt at a quiz counts
// for the version it answered.
func testItemAnalysisPerVersion(t *testing.T, h *Harness) {
	ctx := context.Background()
	db := h.Store
	joined := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	h.SetNow(func() time.Time { return joined })
	trainer := addUser(t, db, "Trainer", "trainer")
	team, err := db.CreateTeam(ctx, "Team", trainer)
	must(t, err)
	at := joined.Add(time.Hour)
	for i, version := range []int{1, 1, 2} {
		l := addUser(t, db, fmt.Sprintf("L%d", i), "learner")
		_, _, err := db.JoinTeam(ctx, l, team.Code)
		must(t, err)
		a := &supportlab.Attempt{UserID: l, Kind: supportlab.KindQuiz, UID: "q", Version: version, At: at, Score: 100, Passed: true,
			Asked: []string{"a"}, Answers: map[string][]int{"a": {0}}, Right: map[string]bool{"a": true}}
		must(t, db.CreateAttempt(ctx, a))
		// A later attempt at the newer version is not a first attempt.
		if version == 1 && i == 0 {
			later := *a
			later.ID, later.Version, later.At = 0, 2, at.Add(time.Hour)
			must(t, db.CreateAttempt(ctx, &later))
		}
	}
	st, err := db.TeamStats(ctx, team.ID, supportlab.StatsQuery{Limit: 10})
	must(t, err)
	var got []string
	for _, q := range st.Questions {
		got = append(got, fmt.Sprintf("%s v%d %s n=%d", q.QuizUID, q.Version, q.QuestionID, q.N))
	}
	if want := "q v1 a n=2,q v2 a n=1"; strings.Join(got, ",") != want {
		t.Errorf("questions %q, want %q", strings.Join(got, ","), want)
	}
}

func testAssignments(t *testing.T, h *Harness) {
	as := assignmentsOf(t, h)
	ctx := context.Background()
	db := h.Store
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	h.SetNow(func() time.Time { return now })
	trainer := addUser(t, db, "Trainer", "trainer")
	team, err := db.CreateTeam(ctx, "Beta", trainer)
	must(t, err)
	other, err := db.CreateTeam(ctx, "Alpha", trainer)
	must(t, err)
	lea := addUser(t, db, "Lea", "learner")
	for _, tm := range []*supportlab.Team{team, other} {
		_, _, err := db.JoinTeam(ctx, lea, tm.Code)
		must(t, err)
	}

	quiz := &supportlab.Assignment{TeamID: team.ID, Kind: supportlab.KindQuiz, UID: "q", Due: "2025-06-10", CreatedBy: trainer}
	must(t, as.SaveAssignment(ctx, quiz))
	if quiz.ID == 0 || !quiz.CreatedAt.Equal(now) {
		t.Fatalf("saved %+v", quiz)
	}
	h.SetNow(func() time.Time { return now.Add(time.Hour) })
	module := &supportlab.Assignment{TeamID: team.ID, Kind: supportlab.KindModule, UID: "get-help"}
	must(t, as.SaveAssignment(ctx, module))
	must(t, as.SaveAssignment(ctx, &supportlab.Assignment{TeamID: other.ID, Kind: supportlab.KindSandbox, UID: "s"}))

	t.Run("assigning again changes the due date only", func(t *testing.T) {
		h.SetNow(func() time.Time { return now.Add(2 * time.Hour) })
		again := &supportlab.Assignment{TeamID: team.ID, Kind: supportlab.KindQuiz, UID: "q", Due: ""}
		must(t, as.SaveAssignment(ctx, again))
		if again.ID != quiz.ID || !again.CreatedAt.Equal(now) || again.CreatedBy != trainer {
			t.Errorf("again %+v, want id %d created %v by %d", again, quiz.ID, now, trainer)
		}
		list, err := as.TeamAssignments(ctx, team.ID)
		must(t, err)
		if len(list) != 2 || list[0].UID != "q" || list[0].Due != "" || list[1].Kind != supportlab.KindModule {
			t.Errorf("team list %+v", list)
		}
		again.Due = "2025-06-10"
		must(t, as.SaveAssignment(ctx, again))
	})

	t.Run("a member sees every team's, by team name", func(t *testing.T) {
		list, err := as.MemberAssignments(ctx, lea)
		must(t, err)
		var got []string
		for _, a := range list {
			got = append(got, a.TeamName+":"+a.Kind+"/"+a.UID+"@"+a.Due)
			if !a.JoinedAt.Equal(now) {
				t.Errorf("joined %v, want %v", a.JoinedAt, now)
			}
		}
		if want := "Alpha:sandbox/s@,Beta:quiz/q@2025-06-10,Beta:module/get-help@"; strings.Join(got, ",") != want {
			t.Errorf("got %s, want %s", strings.Join(got, ","), want)
		}
		if list, err := as.MemberAssignments(ctx, trainer); err != nil || len(list) != 0 {
			t.Errorf("a trainer is no member: %+v %v", list, err)
		}
	})

	t.Run("first passes since the query and the joining", func(t *testing.T) {
		late := addUser(t, db, "Late", "learner")
		h.SetNow(func() time.Time { return now.Add(3 * time.Hour) })
		_, _, err := db.JoinTeam(ctx, late, team.Code)
		must(t, err)
		addQuizAttempt(t, db, lea, "q", now.Add(-time.Minute), "a", 1)          // before the assignment
		addQuizAttempt(t, db, lea, "q", now.Add(30*time.Minute), "a", 0)        // failed
		addQuizAttempt(t, db, lea, "q", now.Add(40*time.Minute), "a", 1)        // the first pass
		addQuizAttempt(t, db, lea, "q", now.Add(50*time.Minute), "a", 1)        // a later pass
		addQuizAttempt(t, db, late, "q", now.Add(2*time.Hour), "a", 1)          // before joining
		addQuizAttempt(t, db, late, "q", now.Add(5*time.Hour), "a", 1)          // after joining
		addQuizAttempt(t, db, trainer, "q", now.Add(5*time.Hour), "a", 1)       // not a member
		addSandboxAttempt(t, db, lea, "q", now.Add(5*time.Hour), 100, "A", "A") // another kind
		queries := []supportlab.PassQuery{
			{Kind: supportlab.KindQuiz, UID: "q", Since: now},
			{Kind: supportlab.KindQuiz, UID: "none", Since: now},
			{Kind: supportlab.KindSandbox, UID: "q", Since: now.Add(6 * time.Hour)},
		}
		passes, err := as.FirstPasses(ctx, team.ID, []int64{lea, late, trainer, 999}, queries)
		must(t, err)
		var got []string
		for _, p := range passes {
			got = append(got, fmt.Sprintf("%d:%d@%s", p.UserID, p.Query, p.At.Format("15:04")))
		}
		want := fmt.Sprintf("%d:0@09:40,%d:0@14:00", lea, late)
		if strings.Join(got, ",") != want {
			t.Errorf("passes %s, want %s", strings.Join(got, ","), want)
		}
		if none, err := as.FirstPasses(ctx, team.ID, nil, queries); err != nil || none == nil || len(none) != 0 {
			t.Errorf("no users: %v %v", none, err)
		}
	})

	t.Run("delete", func(t *testing.T) {
		wantError(t, as.DeleteAssignment(ctx, other.ID, quiz.ID), supportlab.ENOTFOUND, "error.not_found.assignment")
		must(t, as.DeleteAssignment(ctx, team.ID, quiz.ID))
		wantError(t, as.DeleteAssignment(ctx, team.ID, quiz.ID), supportlab.ENOTFOUND, "error.not_found.assignment")
		list, err := as.TeamAssignments(ctx, team.ID)
		must(t, err)
		if len(list) != 1 || list[0].ID != module.ID {
			t.Errorf("after delete %+v", list)
		}
	})
}

func testItemHistory(t *testing.T, h *Harness) {
	hs := historyOf(t, h)
	ctx := context.Background()
	db := h.Store
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	h.SetNow(func() time.Time { return now })
	author := mustCreateUser(t, db, "ann@example.com", "Ann Author", "trainer")

	v1, err := db.EnsureVersion(ctx, supportlab.KindQuiz, "q", "h1", []byte(`{"UID":"q"}`))
	must(t, err)
	h.SetNow(func() time.Time { return now.Add(time.Hour) })
	imp := &supportlab.Import{Kind: supportlab.KindQuiz, UID: "q", Format: "gift", Filename: "q.gift",
		Title: "Q", Lang: "fr", Source: []byte("::a:: Q {=y ~n}"), AuthorID: author.ID}
	must(t, db.SaveImport(ctx, imp, "h2", []byte(`{"UID":"q","v":2}`)))

	list, err := hs.ItemVersions(ctx, supportlab.KindQuiz, "q")
	must(t, err)
	if len(list) != 2 || list[0].Version != v1 || list[1].Version != imp.Version {
		t.Fatalf("versions %+v", list)
	}
	shipped, edited := list[0], list[1]
	if shipped.Imported || shipped.Source != nil || shipped.AuthorID != 0 || string(shipped.Body) != `{"UID":"q"}` || shipped.Hash != "h1" || !shipped.At.Equal(now) {
		t.Errorf("shipped version %+v", shipped)
	}
	if !edited.Imported || string(edited.Source) != "::a:: Q {=y ~n}" || edited.AuthorID != author.ID || edited.AuthorName != "Ann Author" ||
		edited.Format != "gift" || edited.Filename != "q.gift" || edited.Title != "Q" || edited.Lang != "fr" || !edited.At.Equal(now.Add(time.Hour)) {
		t.Errorf("imported version %+v", edited)
	}
	one, err := hs.FindItemVersion(ctx, supportlab.KindQuiz, "q", 2)
	must(t, err)
	if string(one.Source) != string(edited.Source) || string(one.Body) != `{"UID":"q","v":2}` {
		t.Errorf("find %+v", one)
	}
	_, err = hs.FindItemVersion(ctx, supportlab.KindQuiz, "q", 3)
	wantError(t, err, supportlab.ENOTFOUND, "error.not_found.version")
	_, err = hs.FindItemVersion(ctx, supportlab.KindSandbox, "q", 1)
	wantError(t, err, supportlab.ENOTFOUND, "error.not_found.version")
	if none, err := hs.ItemVersions(ctx, supportlab.KindQuiz, "nothing"); err != nil || none == nil || len(none) != 0 {
		t.Errorf("versions of nothing: %v %v", none, err)
	}

	steps := []struct {
		name    string
		kind    string
		retired bool
		want    string
	}{
		{"retire a quiz", supportlab.KindQuiz, true, "quiz/q"},
		{"retire it again", supportlab.KindQuiz, true, "quiz/q"},
		{"retire the scenario of the same uid", supportlab.KindSandbox, true, "quiz/q,sandbox/q"},
		{"bring the quiz back", supportlab.KindQuiz, false, "sandbox/q"},
		{"bring it back again", supportlab.KindQuiz, false, "sandbox/q"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			must(t, hs.SetRetired(ctx, st.kind, "q", st.retired, author.ID))
			set, err := hs.RetiredItems(ctx)
			must(t, err)
			var got []string
			for k := range set {
				got = append(got, k)
			}
			slices.Sort(got)
			if strings.Join(got, ",") != st.want {
				t.Errorf("retired %v, want %s", got, st.want)
			}
		})
	}
}
