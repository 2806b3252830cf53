package storetest

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

// statsFixture is a small team whose statistics were computed by hand.
// Everybody joins on 1 March 2025, before every attempt.
//
// Five learners took quiz "q" (questions a, b, c) for the first time with
// these marks (rest = the attempt's total minus the question's mark):
//
//	learner  a b c  total
//	L1       1 1 0  2
//	L2       1 1 0  2
//	L3       1 0 1  2
//	L4       0 0 1  1
//	L5       0 0 0  0
//
// L4 then retook the quiz and got everything right: item analysis must
// ignore that second attempt, best scores must not.
func statsFixture(t *testing.T, h *Harness) (int64, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	db := h.Store
	joined := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	h.SetNow(func() time.Time { return joined })
	ids := map[string]int64{}
	ids["trainer"] = addUser(t, db, "Trainer", "trainer")
	team, err := db.CreateTeam(ctx, "Team", ids["trainer"])
	if err != nil {
		t.Fatal(err)
	}
	day1 := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	day2 := day1.Add(24 * time.Hour)
	marks := map[string][3]int{
		"L1": {1, 1, 0}, "L2": {1, 1, 0}, "L3": {1, 0, 1}, "L4": {0, 0, 1}, "L5": {0, 0, 0},
	}
	for _, name := range []string{"L1", "L2", "L3", "L4", "L5"} {
		ids[name] = addUser(t, db, name, "learner")
		if _, _, err := db.JoinTeam(ctx, ids[name], team.Code); err != nil {
			t.Fatal(err)
		}
		m := marks[name]
		addQuizAttempt(t, db, ids[name], "q", day1, "a", m[0], "b", m[1], "c", m[2])
	}
	addQuizAttempt(t, db, ids["L4"], "q", day2, "a", 1, "b", 1, "c", 1)

	// Sandbox attempts: expected → chosen.
	sandbox := []struct {
		who, expected, chosen string
		score                 int
	}{
		{"L1", "A", "A", 100}, {"L2", "A", "A", 100}, {"L3", "A", "B", 70},
		{"L1", "B", "A", 60}, {"L4", "C", "C", 100}, {"L5", "in-house", "A", 0},
		{"L5", "in-house", "in-house", 100}, {"L2", "in-house", "in-house", 100},
	}
	for _, s := range sandbox {
		addSandboxAttempt(t, db, ids[s.who], "s-"+s.expected, day2, s.score, s.expected, s.chosen)
	}

	// Outsiders: the trainer's own tries and a non-member's never count.
	ids["outsider"] = addUser(t, db, "Outsider", "learner")
	addQuizAttempt(t, db, ids["outsider"], "q", day1, "a", 0, "b", 1, "c", 1)
	addQuizAttempt(t, db, ids["trainer"], "q", day1, "a", 0, "b", 1, "c", 1)
	addSandboxAttempt(t, db, ids["outsider"], "s-A", day1, 0, "A", "C")
	return team.ID, ids
}

func testItemAnalysis(t *testing.T, h *Harness) {
	teamID, _ := statsFixture(t, h)
	st, err := h.Store.TeamStats(context.Background(), teamID, supportlab.StatsQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	// Hand computation, r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)):
	//  a: x=1,1,1,0,0 y=1,1,1,1,0: (5·3−3·4)/√(6·4)   = 3/√24   = +0.6124
	//  b: x=1,1,0,0,0 y=1,1,2,1,0: (5·2−2·5)/√(6·10)  = 0
	//  c: x=0,0,1,1,0 y=2,2,1,0,0: (5·1−2·5)/√(6·20)  = −5/√120 = −0.4564
	want := []struct {
		id             string
		n              int
		facility, disc float64
	}{
		{"a", 5, 60, 3 / math.Sqrt(24)},
		{"b", 5, 40, 0},
		{"c", 5, 40, -5 / math.Sqrt(120)},
	}
	if len(st.Questions) != len(want) {
		t.Fatalf("%d questions: %+v", len(st.Questions), st.Questions)
	}
	for i, w := range want {
		q := st.Questions[i]
		t.Run(w.id, func(t *testing.T) {
			if q.QuizUID != "q" || q.Version != 1 || q.QuestionID != w.id || q.N != w.n {
				t.Fatalf("got %s v%d/%s n=%d", q.QuizUID, q.Version, q.QuestionID, q.N)
			}
			f, ok := q.Facility()
			if !ok || math.Abs(f-w.facility) > 1e-9 {
				t.Errorf("facility %v, want %v", f, w.facility)
			}
			d, ok := q.Discrimination()
			if !ok || math.Abs(d-w.disc) > 1e-9 {
				t.Errorf("discrimination %v, want %v", d, w.disc)
			}
		})
	}
}

func testConfusionMatrix(t *testing.T, h *Harness) {
	teamID, _ := statsFixture(t, h)
	st, err := h.Store.TeamStats(context.Background(), teamID, supportlab.StatsQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := [4][4]int{
		// chosen: A  B  C  in-house
		{2, 1, 0, 0}, // expected A
		{1, 0, 0, 0}, // expected B
		{0, 0, 1, 0}, // expected C
		{1, 0, 0, 2}, // expected in-house
	}
	if st.Confusion.Counts != want {
		t.Errorf("confusion\n got %v\nwant %v", st.Confusion.Counts, want)
	}
	if st.Confusion.Total() != 8 {
		t.Errorf("total %d", st.Confusion.Total())
	}
}

func testTeamStatsMatrixAndTrend(t *testing.T, h *Harness) {
	teamID, ids := statsFixture(t, h)
	ctx := context.Background()
	st, err := h.Store.TeamStats(ctx, teamID, supportlab.StatsQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if st.MemberCount != 5 || st.Attempts != 14 {
		t.Errorf("members %d attempts %d, want 5 and 14", st.MemberCount, st.Attempts)
	}
	var items []string
	for _, it := range st.Items {
		items = append(items, it.Kind+"/"+it.UID)
	}
	if got := strings.Join(items, " "); got != "quiz/q sandbox/s-A sandbox/s-B sandbox/s-C sandbox/s-in-house" {
		t.Errorf("items %s", got)
	}
	// Best on q: L1 67, L2 67, L3 67, L4 100 (retake), L5 0 → mean 60.2
	if q := st.Items[0]; q.Learners != 5 || q.Passed != 1 || math.Abs(q.MeanBest-60.2) > 1e-9 {
		t.Errorf("quiz column %+v", q)
	}
	if len(st.Members) != 5 || st.Members[3].UserID != ids["L4"] {
		t.Fatalf("members %+v", st.Members)
	}
	l4 := st.Members[3].Scores["quiz/q"]
	if l4.Best != 100 || l4.Attempts != 2 || !l4.Passed || !l4.Last.Equal(time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("L4 on q: %+v", l4)
	}
	if s := st.Members[4].Scores["sandbox/s-in-house"]; s.Best != 100 || s.Attempts != 2 || !s.Passed {
		t.Errorf("L5 on s-in-house: %+v", s)
	}
	// Day 1: five first attempts 67+67+67+33+0 = 234; day 2: the retake
	// (100) and eight sandbox attempts (630).
	if len(st.Days) != 2 || st.Days[0].Attempts != 5 || st.Days[0].SumScore != 234 ||
		st.Days[1].Attempts != 9 || st.Days[1].SumScore != 730 {
		t.Errorf("days %+v", st.Days)
	}
	if !st.Days[0].Day.Equal(time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("day %v", st.Days[0].Day)
	}

	page, err := h.Store.TeamStats(ctx, teamID, supportlab.StatsQuery{Offset: 2, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Members) != 2 || page.Members[0].Name != "L3" || page.Members[1].Name != "L4" || page.MemberCount != 5 {
		t.Errorf("page 2: %+v", page.Members)
	}

	// A member without attempts has a row without scores.
	late := addUser(t, h.Store, "L6", "learner")
	team, err := h.Store.FindTeam(ctx, teamID)
	must(t, err)
	_, _, err = h.Store.JoinTeam(ctx, late, team.Code)
	must(t, err)
	st, err = h.Store.TeamStats(ctx, teamID, supportlab.StatsQuery{Offset: 5, Limit: 10})
	must(t, err)
	if len(st.Members) != 1 || st.Members[0].UserID != late || len(st.Members[0].Scores) != 0 || st.MemberCount != 6 {
		t.Errorf("member without attempts: %+v", st.Members)
	}
}

func testTeamStatsSummaryOnly(t *testing.T, h *Harness) {
	teamID, _ := statsFixture(t, h)
	st, err := h.Store.TeamStats(context.Background(), teamID, supportlab.StatsQuery{Limit: 100, SummaryOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.MemberCount != 5 || st.Attempts != 14 || len(st.Days) != 2 {
		t.Errorf("summary: members %d attempts %d days %d", st.MemberCount, st.Attempts, len(st.Days))
	}
	if len(st.Items) != 0 || len(st.Members) != 0 || len(st.Questions) != 0 || st.Confusion.Total() != 0 {
		t.Errorf("a summary holds more than the summary: %+v", st)
	}
}

func testTeamScores(t *testing.T, h *Harness) {
	teamID, _ := statsFixture(t, h)
	rows, err := h.Store.TeamScores(context.Background(), teamID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Learner+" "+r.Kind+"/"+r.UID)
	}
	want := "L1 quiz/q,L1 sandbox/s-A,L1 sandbox/s-B,L2 quiz/q,L2 sandbox/s-A,L2 sandbox/s-in-house,L3 quiz/q,L3 sandbox/s-A,L4 quiz/q,L4 sandbox/s-C,L5 quiz/q,L5 sandbox/s-in-house"
	if strings.Join(got, ",") != want {
		t.Errorf("rows\n got %s\nwant %s", strings.Join(got, ","), want)
	}
	l4 := rows[8]
	if l4.Best != 100 || l4.Attempts != 2 || !l4.Passed || l4.Email != "l4@example.com" || !l4.Last.Equal(time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("L4 row %+v", l4)
	}
	l5 := rows[11]
	if l5.Best != 100 || l5.Attempts != 2 {
		t.Errorf("L5 in-house row %+v", l5)
	}
	if empty, err := h.Store.TeamScores(context.Background(), 999); err != nil || empty == nil || len(empty) != 0 {
		t.Errorf("scores of no team: %v %v (want an empty, non-nil list)", empty, err)
	}
}

// testTeamStatsFollowMembership checks that a team's figures, kept up to
// date at every write, follow what changes them: an attempt stored out of
// time order (a copy may do that) becomes the first attempt of item
// analysis, a learner who leaves takes every figure with them, and one who
// joins again counts only from the new joining time.
func testTeamStatsFollowMembership(t *testing.T, h *Harness) {
	ctx := context.Background()
	db := h.Store
	t0 := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
	h.SetNow(func() time.Time { return t0 })
	trainer := addUser(t, db, "Trainer", "trainer")
	team, err := db.CreateTeam(ctx, "Team", trainer)
	must(t, err)
	other, err := db.CreateTeam(ctx, "Other", trainer)
	must(t, err)
	learner := addUser(t, db, "Lea", "learner")
	for _, code := range []string{team.Code, other.Code} {
		if _, _, err := db.JoinTeam(ctx, learner, code); err != nil {
			t.Fatal(err)
		}
	}
	day := 24 * time.Hour
	addQuizAttempt(t, db, learner, "q", t0.Add(day), "a", 0, "b", 1)
	addQuizAttempt(t, db, learner, "q", t0.Add(2*day), "a", 1, "b", 1)
	addSandboxAttempt(t, db, learner, "s", t0.Add(day), 70, "A", "B")

	stats := func(teamID int64) *supportlab.TeamStats {
		t.Helper()
		st, err := db.TeamStats(ctx, teamID, supportlab.StatsQuery{Limit: 10})
		must(t, err)
		return st
	}
	// marks gives item analysis's right answers per question (sum of x)
	// and first attempts (n), as "a=1/1 b=0/1".
	marks := func(st *supportlab.TeamStats) string {
		var parts []string
		for _, q := range st.Questions {
			parts = append(parts, q.QuestionID+"="+strconv.Itoa(int(q.SumX))+"/"+strconv.Itoa(q.N))
		}
		return strings.Join(parts, " ")
	}
	st := stats(team.ID)
	if got := marks(st); got != "a=0/1 b=1/1" {
		t.Errorf("item analysis %q, want the first attempt's marks", got)
	}
	if st.Attempts != 3 || len(st.Days) != 2 || st.Confusion.Counts[0][1] != 1 {
		t.Errorf("attempts %d over %d days, confusion A→B %d", st.Attempts, len(st.Days), st.Confusion.Counts[0][1])
	}

	// An earlier attempt stored last is the first attempt now.
	addQuizAttempt(t, db, learner, "q", t0.Add(day/2), "a", 1, "b", 0)
	st = stats(team.ID)
	if got := marks(st); got != "a=1/1 b=0/1" {
		t.Errorf("after an earlier attempt: item analysis %q, want a=1/1 b=0/1", got)
	}
	if len(st.Items) != 2 || st.Items[0].Learners != 1 || st.Members[0].Scores[supportlab.BestKey(supportlab.KindQuiz, "q")].Attempts != 3 {
		t.Errorf("items %+v, member %+v", st.Items, st.Members)
	}

	// Leaving takes every figure away from this team, not from the other.
	must(t, db.RemoveTeamMember(ctx, team.ID, learner))
	st = stats(team.ID)
	if st.MemberCount != 0 || st.Attempts != 0 || len(st.Days) != 0 || len(st.Items) != 0 ||
		len(st.Questions) != 0 || st.Confusion.Counts[0][1] != 0 || len(st.Members) != 0 {
		t.Errorf("after leaving: %+v", st)
	}
	if scores, err := db.TeamScores(ctx, team.ID); err != nil || len(scores) != 0 {
		t.Errorf("scores after leaving: %v %+v", err, scores)
	}
	if st := stats(other.ID); st.Attempts != 4 || marks(st) != "a=1/1 b=0/1" {
		t.Errorf("the other team lost figures: %d attempts, %q", st.Attempts, marks(st))
	}

	// Joining again counts from the new joining time only.
	h.SetNow(func() time.Time { return t0.Add(3 * day) })
	if _, _, err := db.JoinTeam(ctx, learner, team.Code); err != nil {
		t.Fatal(err)
	}
	if st := stats(team.ID); st.Attempts != 0 || len(st.Items) != 0 || len(st.Questions) != 0 {
		t.Errorf("after joining again, old attempts count: %+v", st)
	}
	addQuizAttempt(t, db, learner, "q", t0.Add(4*day), "a", 0, "b", 0)
	st = stats(team.ID)
	if got := marks(st); got != "a=0/1 b=0/1" || st.Attempts != 1 || st.Items[0].MeanBest != 0 {
		t.Errorf("after joining again: item analysis %q, %d attempts, items %+v", got, st.Attempts, st.Items)
	}
	scores, err := db.TeamScores(ctx, team.ID)
	if err != nil || len(scores) != 1 || scores[0].Attempts != 1 || scores[0].Learner != "Lea" {
		t.Errorf("scores after joining again: %v %+v", err, scores)
	}
}
