package storetest

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

// addUser creates an account named name (email: its lower case at
// example.com) with role.
func addUser(t *testing.T, s Store, name, role string) int64 {
	t.Helper()
	return mustCreateUser(t, s, strings.ToLower(name)+"@example.com", name, role).ID
}

// addQuizAttempt stores a quiz attempt with one mark per question, in the
// order given as id, mark pairs; its score follows from the marks.
func addQuizAttempt(t *testing.T, s Store, userID int64, uid string, at time.Time, marks ...any) int64 {
	t.Helper()
	a := &supportlab.Attempt{UserID: userID, Kind: supportlab.KindQuiz, UID: uid, Version: 1, At: at,
		Answers: map[string][]int{}, Right: map[string]bool{}}
	right := 0
	for i := 0; i+1 < len(marks); i += 2 {
		id, mark := marks[i].(string), marks[i+1].(int)
		a.Asked = append(a.Asked, id)
		a.Answers[id] = []int{0}
		a.Right[id] = mark == 1
		right += mark
	}
	a.Score = int(math.Round(100 * float64(right) / float64(len(marks)/2)))
	a.Passed = a.Score >= 80
	must(t, s.CreateAttempt(context.Background(), a))
	return a.ID
}

// addSandboxAttempt stores a sandbox attempt whose learner chose the
// triage class chosen ("A", "B", "C" or "in-house") where expected was right.
func addSandboxAttempt(t *testing.T, s Store, userID int64, uid string, at time.Time, score int, expected, chosen string) {
	t.Helper()
	answer := supportlab.SandboxAnswer{Action: supportlab.ActionOpenRequest, Product: "exchange-online", Severity: chosen}
	if chosen == "in-house" {
		answer = supportlab.SandboxAnswer{Action: supportlab.ActionHandleInHouse}
	}
	must(t, s.CreateAttempt(context.Background(), &supportlab.Attempt{
		UserID: userID, Kind: supportlab.KindSandbox, UID: uid, Version: 1, Score: score, Passed: score >= 70, At: at,
		Parts: &supportlab.SandboxParts{Action: score}, Answer: &answer, Expected: expected,
	}))
}

func testJoinCodes(t *testing.T, h *Harness) {
	ctx := context.Background()
	db := h.Store
	trainer := addUser(t, db, "Trainer", "trainer")
	learner := addUser(t, db, "Learner", "learner")
	team, err := db.CreateTeam(ctx, "  Helpdesk  ", trainer)
	if err != nil {
		t.Fatal(err)
	}
	if team.Name != "Helpdesk" || team.MyRole != supportlab.TeamRoleTrainer || team.ID == 0 {
		t.Errorf("created %+v, want the trimmed name and the trainer's role", team)
	}
	// Codes are long enough not to be guessed, in upper-case letters and
	// digits without the look-alikes 0/O and 1/I.
	if len(team.Code) < 10 {
		t.Errorf("code %q shorter than 10", team.Code)
	}
	for _, r := range team.Code {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '9') || strings.ContainsRune("0O1I", r) {
			t.Errorf("code %q has %q", team.Code, r)
		}
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
			if err == nil && (got.ID != team.ID || joined != tc.wantJoined || got.MyRole != supportlab.TeamRoleMember || got.Members != 1) {
				t.Errorf("team %+v joined %v, want %d %v as a member of 1", got, joined, team.ID, tc.wantJoined)
			}
		})
	}
	t.Run("the trainer joins their own team", func(t *testing.T) {
		got, joined, err := db.JoinTeam(ctx, trainer, team.Code)
		if err != nil || joined || got.MyRole != supportlab.TeamRoleTrainer {
			t.Errorf("got %+v joined %v err %v; want no change, still the trainer", got, joined, err)
		}
	})

	t.Run("renewed code replaces the old one", func(t *testing.T) {
		other := addUser(t, db, "Other", "learner")
		code, err := db.RenewTeamCode(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		if code == team.Code {
			t.Fatal("renewed code is the old one")
		}
		_, _, err = db.JoinTeam(ctx, other, team.Code)
		wantError(t, err, supportlab.EINVALID, "teams.error.code_wrong")
		if _, joined, err := db.JoinTeam(ctx, other, code); err != nil || !joined {
			t.Errorf("new code: joined %v err %v", joined, err)
		}
		if got, _ := db.FindTeam(ctx, team.ID); got.Code != code || got.Members != 2 {
			t.Errorf("team after renew: code %q members %d", got.Code, got.Members)
		}
	})

	t.Run("remove a member, not the trainer", func(t *testing.T) {
		must(t, db.RemoveTeamMember(ctx, team.ID, learner))
		if role, _ := db.TeamRole(ctx, team.ID, learner); role != "" {
			t.Errorf("removed learner still %q", role)
		}
		wantError(t, db.RemoveTeamMember(ctx, team.ID, trainer), supportlab.ENOTFOUND, "error.not_found.member")
		wantError(t, db.RemoveTeamMember(ctx, team.ID, learner), supportlab.ENOTFOUND, "error.not_found.member")
	})

	t.Run("unknown team", func(t *testing.T) {
		_, err := db.FindTeam(ctx, 999)
		wantError(t, err, supportlab.ENOTFOUND, "error.not_found.team")
		_, err = db.RenewTeamCode(ctx, 999)
		wantError(t, err, supportlab.ENOTFOUND, "error.not_found.team")
	})
}

func testCreateTeamChecksTheName(t *testing.T, h *Harness) {
	ctx := context.Background()
	trainer := addUser(t, h.Store, "Trainer", "trainer")
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
			team, err := h.Store.CreateTeam(ctx, tc.teamName, trainer)
			if tc.wantKey == "" {
				if err != nil || team.Name != tc.teamName {
					t.Fatalf("got %+v, %v; want team %q", team, err, tc.teamName)
				}
				return
			}
			wantError(t, err, supportlab.EINVALID, tc.wantKey)
			if e := supportlab.AsError(err); tc.wantKey == "teams.error.name_too_long" && !slices.Equal(e.Args, []any{"Max", supportlab.MaxTeamNameLength}) {
				t.Errorf("args %v, want [Max %d]", e.Args, supportlab.MaxTeamNameLength)
			}
		})
	}
	teams, err := h.Store.ListTeams(ctx)
	if err != nil || len(teams) != 2 {
		t.Fatalf("%d teams stored (%v), want the 2 accepted", len(teams), err)
	}
}

// testTeamLists checks the lists of teams (by name without regard to
// ASCII case, then by id), the role each is listed with, and who trains whom.
func testTeamLists(t *testing.T, h *Harness) {
	ctx := context.Background()
	db := h.Store
	t1 := addUser(t, db, "T1", "trainer")
	t2 := addUser(t, db, "T2", "trainer")
	ada := addUser(t, db, "Ada", "learner")
	bob := addUser(t, db, "Bob", "learner")
	mk := func(name string, trainer int64) *supportlab.Team {
		t.Helper()
		team, err := db.CreateTeam(ctx, name, trainer)
		must(t, err)
		return team
	}
	zulu, alpha, beta := mk("zulu", t1), mk("Alpha", t1), mk("beta", t2)
	mk("alpha", t2) // the same name in another case: after "Alpha", by id
	for _, team := range []*supportlab.Team{zulu, beta} {
		if _, _, err := db.JoinTeam(ctx, ada, team.Code); err != nil {
			t.Fatal(err)
		}
	}
	names := func(ts []*supportlab.Team) string {
		var out []string
		for _, tm := range ts {
			out = append(out, tm.Name+":"+tm.MyRole)
		}
		return strings.Join(out, " ")
	}
	all, err := db.ListTeams(ctx)
	must(t, err)
	if got, want := names(all), "Alpha: alpha: beta: zulu:"; got != want {
		t.Errorf("ListTeams = %s, want %s", got, want)
	}
	for _, tc := range []struct {
		name string
		user int64
		want string
	}{
		{"trainer of two", t1, "Alpha:trainer zulu:trainer"},
		{"learner in two teams", ada, "beta:member zulu:member"},
		{"in no team", bob, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.ListUserTeams(ctx, tc.user)
			must(t, err)
			if names(got) != tc.want {
				t.Errorf("ListUserTeams = %q, want %q", names(got), tc.want)
			}
		})
	}
	if got, _ := db.FindTeam(ctx, zulu.ID); got.Members != 1 || got.Name != "zulu" || got.Code != zulu.Code {
		t.Errorf("FindTeam(zulu) = %+v", got)
	}
	for _, tc := range []struct {
		name            string
		trainer, member int64
		want            bool
	}{
		{"trainer of the member's team", t1, ada, true},
		{"other trainer of another of the member's teams", t2, ada, true},
		{"learner not in a team", t1, bob, false},
		{"a learner does not train", ada, ada, false},
		{"a trainer is no member of their team", t2, t1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.TrainsMember(ctx, tc.trainer, tc.member)
			if err != nil || got != tc.want {
				t.Errorf("TrainsMember = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	if role, err := db.TeamRole(ctx, alpha.ID, ada); err != nil || role != "" {
		t.Errorf("role outside a team = %q, %v", role, err)
	}
}
