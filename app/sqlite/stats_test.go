package sqlite

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

func openTestDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// addUser inserts an account directly: these tests are about teams, not
// about passwords.
func addUser(t *testing.T, db *DB, name, role string) int64 {
	t.Helper()
	res, err := db.write.Exec(`INSERT INTO users (email, name, password_hash, role, created_at) VALUES (?, ?, 'x', ?, ?)`,
		strings.ToLower(name)+"@example.com", name, role, formatTime(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

// addQuizAttempt stores a quiz attempt with one mark per question, in the
// order given as id, mark pairs.
func addQuizAttempt(t *testing.T, db *DB, userID int64, uid string, at time.Time, marks ...any) int64 {
	t.Helper()
	right := 0
	for i := 1; i < len(marks); i += 2 {
		right += marks[i].(int)
	}
	score := int(math.Round(100 * float64(right) / float64(len(marks)/2)))
	res, err := db.write.Exec(`INSERT INTO attempts (user_id, kind, uid, version, score, passed, at, detail) VALUES (?, 'quiz', ?, 1, ?, ?, ?, '{}')`,
		userID, uid, score, score >= 80, at.UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	for i := 0; i+1 < len(marks); i += 2 {
		if _, err := db.write.Exec(`INSERT INTO attempt_marks (attempt_id, question_id, mark) VALUES (?, ?, ?)`, id, marks[i], marks[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func addSandboxAttempt(t *testing.T, db *DB, userID int64, uid string, at time.Time, score int, expected, chosen string) {
	t.Helper()
	if _, err := db.write.Exec(`INSERT INTO attempts (user_id, kind, uid, version, score, passed, at, detail, expected, chosen) VALUES (?, 'sandbox', ?, 1, ?, ?, ?, '{}', ?, ?)`,
		userID, uid, score, score >= 70, at.UnixMilli(), expected, chosen); err != nil {
		t.Fatal(err)
	}
}

func TestJoinCodes(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	trainer := addUser(t, db, "Trainer", "trainer")
	learner := addUser(t, db, "Learner", "learner")
	team, err := db.CreateTeam(ctx, "  Helpdesk  ", trainer)
	if err != nil {
		t.Fatal(err)
	}
	if team.Name != "Helpdesk" {
		t.Errorf("name %q, want trimmed", team.Name)
	}
	if len(team.Code) < 10 {
		t.Errorf("code %q shorter than 10", team.Code)
	}
	for _, r := range team.Code {
		if !strings.ContainsRune(JoinCodeAlphabet, r) || strings.ContainsRune("0O1I", r) {
			t.Errorf("code %q has %q", team.Code, r)
		}
	}
	if len(JoinCodeAlphabet) < 30 {
		t.Errorf("alphabet of %d symbols", len(JoinCodeAlphabet))
	}
	if role, _ := db.TeamRole(ctx, team.ID, trainer); role != supportlab.TeamRoleTrainer {
		t.Errorf("creator's role %q", role)
	}

	cases := []struct {
		name       string
		code       func() string
		wantErr    string
		wantKey    string
		wantJoined bool
	}{
		{"wrong code", func() string { return "ABCDEFGHJKLM" }, supportlab.EINVALID, "teams.error.code_wrong", false},
		{"code too long to be one", func() string { return strings.Repeat("A", 65) }, supportlab.EINVALID, "teams.error.code_wrong", false},
		{"empty code", func() string { return "  " }, supportlab.EINVALID, "teams.error.code_required", false},
		{"only dashes", func() string { return "- -" }, supportlab.EINVALID, "teams.error.code_required", false},
		{"right code typed loosely", func() string {
			return strings.ToLower(team.Code[:4]) + "-" + team.Code[4:8] + " " + team.Code[8:]
		}, "", "", true},
		{"already a member", func() string { return team.Code }, "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, joined, err := db.JoinTeam(ctx, learner, tc.code())
			if code := supportlab.ErrorCode(err); code != tc.wantErr {
				t.Fatalf("error %v, want code %q", err, tc.wantErr)
			}
			if e := supportlab.AsError(err); e != nil && e.Key != tc.wantKey {
				t.Fatalf("error %v, want key %q", err, tc.wantKey)
			}
			if err == nil && (got.ID != team.ID || joined != tc.wantJoined) {
				t.Errorf("team %d joined %v, want %d %v", got.ID, joined, team.ID, tc.wantJoined)
			}
		})
	}

	t.Run("renewed code replaces the old one", func(t *testing.T) {
		other := addUser(t, db, "Other", "learner")
		code, err := db.RenewTeamCode(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		if code == team.Code {
			t.Fatal("renewed code is the old one")
		}
		if _, _, err := db.JoinTeam(ctx, other, team.Code); supportlab.ErrorCode(err) != supportlab.EINVALID || supportlab.AsError(err).Key != "teams.error.code_wrong" {
			t.Errorf("old code: %v, want invalid teams.error.code_wrong", err)
		}
		if _, joined, err := db.JoinTeam(ctx, other, code); err != nil || !joined {
			t.Errorf("new code: joined %v err %v", joined, err)
		}
		if got, _ := db.FindTeam(ctx, team.ID); got.Code != code || got.Members != 2 {
			t.Errorf("team after renew: code %q members %d", got.Code, got.Members)
		}
	})

	t.Run("remove a member, not the trainer", func(t *testing.T) {
		if err := db.RemoveTeamMember(ctx, team.ID, learner); err != nil {
			t.Fatal(err)
		}
		if role, _ := db.TeamRole(ctx, team.ID, learner); role != "" {
			t.Errorf("removed learner still %q", role)
		}
		if err := db.RemoveTeamMember(ctx, team.ID, trainer); supportlab.ErrorCode(err) != supportlab.ENOTFOUND || supportlab.AsError(err).Key != "error.not_found.member" {
			t.Errorf("removing the trainer: %v, want not found error.not_found.member", err)
		}
	})

	t.Run("unknown team", func(t *testing.T) {
		if _, err := db.FindTeam(ctx, 999); supportlab.ErrorCode(err) != supportlab.ENOTFOUND || supportlab.AsError(err).Key != "error.not_found.team" {
			t.Errorf("find: %v, want not found error.not_found.team", err)
		}
		if _, err := db.RenewTeamCode(ctx, 999); supportlab.ErrorCode(err) != supportlab.ENOTFOUND || supportlab.AsError(err).Key != "error.not_found.team" {
			t.Errorf("renew: %v, want not found error.not_found.team", err)
		}
	})
}

func TestCreateTeamChecksTheName(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	trainer := addUser(t, db, "Trainer", "trainer")
	for _, tc := range []struct {
		name     string
		teamName string
		wantKey  string // of the EINVALID error; "" when the name is accepted
	}{
		{"empty", "", "teams.error.name_required"},
		{"only spaces", "   ", "teams.error.name_required"},
		{"one character too long", strings.Repeat("x", supportlab.MaxTeamNameLength+1), "teams.error.name_too_long"},
		{"longest, counted in characters", strings.Repeat("é", supportlab.MaxTeamNameLength), ""},
		{"NUL", "Help\x00desk", "teams.error.name_control"},
		{"control character", "Help\x1b[2Jdesk", "teams.error.name_control"},
		{"line break inside", "Help\ndesk", "teams.error.name_control"},
		{"right-to-left override", "Helpdesk \u202etxt.exe", "teams.error.name_control"},
		{"not UTF-8", "Help\xffdesk", "teams.error.name_control"},
		{"accents and apostrophe", "Équipe d'assistance", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			team, err := db.CreateTeam(ctx, tc.teamName, trainer)
			if tc.wantKey == "" {
				if err != nil || team.Name != tc.teamName {
					t.Fatalf("got %+v, %v; want team %q", team, err, tc.teamName)
				}
				return
			}
			e := supportlab.AsError(err)
			if e == nil || e.Code != supportlab.EINVALID || e.Key != tc.wantKey {
				t.Fatalf("got %v, want invalid %s", err, tc.wantKey)
			}
			if tc.wantKey == "teams.error.name_too_long" && !slices.Equal(e.Args, []any{"Max", supportlab.MaxTeamNameLength}) {
				t.Errorf("args %v, want [Max %d]", e.Args, supportlab.MaxTeamNameLength)
			}
		})
	}
	teams, err := db.ListTeams(ctx)
	if err != nil || len(teams) != 2 {
		t.Fatalf("%d teams stored (%v), want the 2 accepted", len(teams), err)
	}
}

func TestJoinCodesAreRandom(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c, err := newJoinCode()
		if err != nil {
			t.Fatal(err)
		}
		if seen[c] {
			t.Fatalf("code %s drawn twice", c)
		}
		seen[c] = true
	}
}

// statsFixture is a small team whose statistics were computed by hand.
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
func statsFixture(t *testing.T) (*DB, int64, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	db := openTestDB(t)
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
	return db, team.ID, ids
}

func TestItemAnalysis(t *testing.T) {
	db, teamID, _ := statsFixture(t)
	st, err := db.TeamStats(context.Background(), teamID, supportlab.StatsQuery{Limit: 100})
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
		{"a", 5, 60, 100 * 3 / math.Sqrt(24)},
		{"b", 5, 40, 0},
		{"c", 5, 40, -100 * 5 / math.Sqrt(120)},
	}
	if len(st.Questions) != len(want) {
		t.Fatalf("%d questions: %+v", len(st.Questions), st.Questions)
	}
	for i, w := range want {
		q := st.Questions[i]
		t.Run(w.id, func(t *testing.T) {
			if q.QuizUID != "q" || q.QuestionID != w.id || q.N != w.n {
				t.Fatalf("got %s/%s n=%d", q.QuizUID, q.QuestionID, q.N)
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
	if d, _ := st.Questions[2].Discrimination(); d >= 0 {
		t.Errorf("question c should discriminate negatively, got %v", d)
	}
}

func TestDiscriminationUndefined(t *testing.T) {
	cases := []struct {
		name string
		q    supportlab.QuestionStat
	}{
		{"no attempt", supportlab.QuestionStat{}},
		{"one attempt", supportlab.QuestionStat{N: 1, SumX: 1, SumX2: 1}},
		{"everybody right", supportlab.QuestionStat{N: 3, SumX: 3, SumX2: 3, SumY: 2, SumY2: 2, SumXY: 2}},
		{"rest constant", supportlab.QuestionStat{N: 2, SumX: 1, SumX2: 1, SumY: 2, SumY2: 2, SumXY: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if d, ok := tc.q.Discrimination(); ok {
				t.Errorf("got %v, want undefined", d)
			}
		})
	}
}

func TestConfusionMatrix(t *testing.T) {
	db, teamID, _ := statsFixture(t)
	st, err := db.TeamStats(context.Background(), teamID, supportlab.StatsQuery{Limit: 100})
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

func TestTeamStatsMatrixAndTrend(t *testing.T) {
	db, teamID, ids := statsFixture(t)
	ctx := context.Background()
	st, err := db.TeamStats(ctx, teamID, supportlab.StatsQuery{Limit: 100})
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
	if l4.Best != 100 || l4.Attempts != 2 || !l4.Passed {
		t.Errorf("L4 on q: %+v", l4)
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

	page, err := db.TeamStats(ctx, teamID, supportlab.StatsQuery{Offset: 2, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Members) != 2 || page.Members[0].Name != "L3" || page.Members[1].Name != "L4" || page.MemberCount != 5 {
		t.Errorf("page 2: %+v", page.Members)
	}
}

func TestTeamScores(t *testing.T) {
	db, teamID, _ := statsFixture(t)
	rows, err := db.TeamScores(context.Background(), teamID)
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
	if l4.Best != 100 || l4.Attempts != 2 || l4.Email != "l4@example.com" || !l4.Last.Equal(time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("L4 row %+v", l4)
	}
	l5 := rows[11]
	if l5.Best != 100 || l5.Attempts != 2 {
		t.Errorf("L5 in-house row %+v", l5)
	}
}
