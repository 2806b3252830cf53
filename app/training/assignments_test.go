package training_test

import (
	"context"
	"testing"
	"time"

	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// TestModuleAssignment: a module is done once every unit is read and its
// knowledge check is passed after the assignment, in either language.
func TestModuleAssignment(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.user("admin@example.com", supportlab.RoleAdmin)
	trainer := f.user("trainer@example.com", supportlab.RoleTrainer)
	lea := f.user("lea@example.com", supportlab.RoleLearner)
	team, err := f.svc.CreateTeam(ctx, trainer, "Team")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.JoinTeam(ctx, lea, team.Code); err != nil {
		t.Fatal(err)
	}
	const module = "get-help-from-microsoft"
	if _, err := f.svc.Assign(ctx, trainer, team.ID, training.AssignmentRequest{Kind: supportlab.KindModule, UID: module, Due: "2099-01-01"}); err != nil {
		t.Fatal(err)
	}
	state := func() string {
		t.Helper()
		list, err := f.svc.MyAssignments(ctx, lea)
		if err != nil || len(list) != 1 {
			t.Fatalf("assignments %+v %v", list, err)
		}
		return list[0].State
	}
	m, err := f.svc.Module("fr", module)
	if err != nil {
		t.Fatal(err)
	}
	check := ""
	for _, u := range m.Units {
		if u.Quiz != "" {
			check = u.Quiz
		}
	}
	steps := []struct {
		name string
		do   func()
		want string
	}{
		{"nothing done", func() {}, training.AssignmentPending},
		{"the knowledge check passed, units unread", func() {
			if _, err := f.svc.SubmitQuiz(ctx, lea, check, training.QuizSubmission{Answers: f.rightAnswers(check)}); err != nil {
				t.Fatal(err)
			}
		}, training.AssignmentPending},
		{"every unit read, in French", func() {
			for _, u := range m.Units {
				if _, _, err := f.svc.OpenUnit(ctx, lea, "fr", module, u.Slug); err != nil {
					t.Fatal(err)
				}
			}
		}, training.AssignmentDone},
	}
	for _, st := range steps {
		st.do()
		if got := state(); got != st.want {
			t.Fatalf("%s: state %s, want %s", st.name, got, st.want)
		}
	}
}

// TestAssignRefuses: what a trainer cannot assign, and who cannot assign.
func TestAssignRefuses(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.user("admin@example.com", supportlab.RoleAdmin)
	trainer := f.user("trainer@example.com", supportlab.RoleTrainer)
	other := f.user("other@example.com", supportlab.RoleTrainer)
	lea := f.user("lea@example.com", supportlab.RoleLearner)
	team, err := f.svc.CreateTeam(ctx, trainer, "Team")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.JoinTeam(ctx, lea, team.Code); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		actor *supportlab.User
		req   training.AssignmentRequest
		code  string
		field string
	}{
		{"unknown kind", trainer, training.AssignmentRequest{Kind: "exam", UID: quizUID}, supportlab.EINVALID, "kind"},
		{"no uid", trainer, training.AssignmentRequest{Kind: "quiz"}, supportlab.EINVALID, "uid"},
		{"unknown quiz", trainer, training.AssignmentRequest{Kind: "quiz", UID: "nope"}, supportlab.EINVALID, "uid"},
		{"a scenario uid as a quiz", trainer, training.AssignmentRequest{Kind: "quiz", UID: "tenant-wide-mail-outage"}, supportlab.EINVALID, "uid"},
		{"unknown module", trainer, training.AssignmentRequest{Kind: "module", UID: "nope"}, supportlab.EINVALID, "uid"},
		{"not a date", trainer, training.AssignmentRequest{Kind: "quiz", UID: quizUID, Due: "31/01/2030"}, supportlab.EINVALID, "due"},
		{"no such day", trainer, training.AssignmentRequest{Kind: "quiz", UID: quizUID, Due: "2030-02-30"}, supportlab.EINVALID, "due"},
		{"a member", lea, training.AssignmentRequest{Kind: "quiz", UID: quizUID}, supportlab.EFORBIDDEN, ""},
		{"another trainer", other, training.AssignmentRequest{Kind: "quiz", UID: quizUID}, supportlab.ENOTFOUND, ""},
		{"nobody", nil, training.AssignmentRequest{Kind: "quiz", UID: quizUID}, supportlab.EUNAUTHORIZED, ""},
		{"an admin", admin, training.AssignmentRequest{Kind: "quiz", UID: quizUID, Due: time.Now().Format(time.DateOnly)}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Assign(ctx, tt.actor, team.ID, tt.req)
			if supportlab.ErrorCode(err) != tt.code {
				t.Fatalf("err %v, want code %q", err, tt.code)
			}
			if tt.field != "" && supportlab.AsError(err).Field(tt.field) == nil {
				t.Errorf("no problem for field %s: %+v", tt.field, err)
			}
		})
	}
}
