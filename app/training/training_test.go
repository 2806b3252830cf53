package training_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"supportlab/app/apptest"
	"supportlab/app/sqlite"
	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// fixture is the real application service on the embedded content and a
// real SQLite file.
type fixture struct {
	t   *testing.T
	db  *sqlite.DB
	svc *training.Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	sqlite.BcryptCost = 4
	return newFixtureOn(t, apptest.MustOpenDB(t))
}

func newFixtureOn(t *testing.T, db *sqlite.DB) *fixture {
	t.Helper()
	lib := apptest.MustLoadLibrary(t, db)
	svc := training.New(training.Config{
		Curriculum: lib.Lessons, Bank: lib.Bank,
		Users: db, Attempts: db, Progress: db, Imports: db, Teams: db,
		Assignments: db, History: db, Shipped: lib,
		Secret: []byte("a test secret of enough bytes"),
	})
	if err := svc.ReloadImports(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, db: db, svc: svc}
}

// user creates an account with a role; the first one is an admin.
func (f *fixture) user(email, role string) *supportlab.User {
	f.t.Helper()
	u, err := f.svc.CreateAccount(context.Background(), supportlab.NewUser{Email: email, Name: email, Password: "a long enough password", Role: role})
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// reload reads u's account again, as the web adapter does on every request.
func (f *fixture) reload(u *supportlab.User) *supportlab.User {
	f.t.Helper()
	u, err := f.svc.SessionUser(context.Background(), u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

func errKey(err error) string {
	if de := supportlab.AsError(err); de != nil {
		return de.Key
	}
	return fmt.Sprint(err)
}

const quizUID = "support-check-en"

// rightAnswers answers every question of the quiz with its right choices,
// read from the file's isCorrect flags.
func (f *fixture) rightAnswers(uid string) map[string][]string {
	q, err := f.svc.Quiz(uid)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string][]string{}
	for _, qq := range q.Questions {
		for i, c := range qq.Choices {
			if c.IsCorrect {
				out[qq.ID] = append(out[qq.ID], fmt.Sprint(i))
			}
		}
	}
	return out
}

func TestSubmitQuizRefusesWhatThePageCannotSend(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ada := f.user("ada@example.com", supportlab.RoleLearner)
	tests := []struct {
		name    string
		answers map[string][]string
		key     string
	}{
		{"no answer at all", map[string][]string{}, "quiz.error.no_answer"},
		{"unknown question", map[string][]string{"no-such-question": {"0"}}, "quiz.error.unknown_question"},
		{"not a number", map[string][]string{"lucerne-admin-role": {"x"}}, "quiz.error.not_a_choice"},
		{"choice out of range", map[string][]string{"lucerne-admin-role": {"99"}}, "quiz.error.not_a_choice"},
		{"negative choice", map[string][]string{"lucerne-admin-role": {"-1"}}, "quiz.error.not_a_choice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := f.svc.SubmitQuiz(ctx, ada, quizUID, training.QuizSubmission{Answers: tt.answers})
			if supportlab.ErrorCode(err) != supportlab.EINVALID || errKey(err) != tt.key {
				t.Fatalf("err %v, want EINVALID %s", err, tt.key)
			}
			if out == nil || len(out.Draw.Asked) != 12 {
				t.Fatalf("the refused form must come back with its draw: %+v", out)
			}
		})
	}
	if list, _ := f.db.ListAttempts(ctx, ada.ID); len(list) != 0 {
		t.Fatalf("%d attempts stored by refused submissions, want 0", len(list))
	}
}

func TestSubmitQuizStoresOnlySignedInAttempts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	out, err := f.svc.SubmitQuiz(ctx, nil, quizUID, training.QuizSubmission{Answers: f.rightAnswers(quizUID)})
	if err != nil || out.Result.Score != 100 || !out.Result.Passed || out.AttemptID != 0 {
		t.Fatalf("anonymous: %+v, %v; want 100, passed, nothing stored", out, err)
	}
	ada := f.user("ada@example.com", supportlab.RoleLearner)
	out, err = f.svc.SubmitQuiz(ctx, ada, quizUID, training.QuizSubmission{Answers: map[string][]string{"lucerne-admin-role": {"0"}}})
	if err != nil || out.AttemptID == 0 {
		t.Fatalf("signed in: %+v, %v", out, err)
	}
	// 12 questions, at most one right: round(100 × 1 / 12) = 8, else 0.
	if s := out.Result.Score; s != 0 && s != 8 {
		t.Fatalf("score %d, want 0 or 8", s)
	}
}

// A draw quiz asks the questions the page signed; another set is refused.
func TestDrawIsSigned(t *testing.T) {
	f := newFixture(t)
	q, err := f.svc.Quiz("severity-drill-en")
	if err != nil {
		t.Fatalf("the embedded draw quiz: %v", err)
	}
	d := f.svc.NewDraw(q)
	if len(d.Asked) != q.AskCount() {
		t.Fatalf("draw of %d questions, want %d", len(d.Asked), q.AskCount())
	}
	answers := map[string][]string{d.Asked[0]: {"0"}}
	if _, err := f.svc.SubmitQuiz(context.Background(), nil, q.UID, training.QuizSubmission{Asked: d.List(), Sig: d.Sig, Answers: answers}); err != nil {
		t.Fatalf("signed draw refused: %v", err)
	}
	var other []string
	for _, qq := range q.Questions {
		if !strings.Contains(","+d.List()+",", ","+qq.ID+",") && len(other) < len(d.Asked) {
			other = append(other, qq.ID)
		}
	}
	if len(other) == len(d.Asked) {
		_, err := f.svc.SubmitQuiz(context.Background(), nil, q.UID, training.QuizSubmission{Asked: strings.Join(other, ","), Sig: d.Sig, Answers: map[string][]string{other[0]: {"0"}}})
		if errKey(err) != "quiz.error.draw_changed" {
			t.Fatalf("a set the page did not sign: %v, want quiz.error.draw_changed", err)
		}
	}
}

// Team access follows the account role the trainer has now: a trainer
// demoted to learner keeps a member's view of the team, nothing more.
func TestDemotedTrainerLosesTheirTeams(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.user("admin@example.com", supportlab.RoleAdmin)
	trainer := f.user("trainer@example.com", supportlab.RoleTrainer)
	team, err := f.svc.CreateTeam(ctx, trainer, "Helpdesk")
	if err != nil {
		t.Fatal(err)
	}
	learner := f.user("learner@example.com", supportlab.RoleLearner)
	if _, _, err := f.svc.JoinTeam(ctx, learner, team.Code); err != nil {
		t.Fatal(err)
	}
	if d, err := f.svc.TeamDashboard(ctx, trainer, team.ID, training.DashboardQuery{Limit: 10}); err != nil || !d.Trainer || d.Team.Code == "" {
		t.Fatalf("trainer's dashboard: %+v, %v", d, err)
	}

	if err := f.db.SetUserRole(ctx, trainer.ID, supportlab.RoleLearner); err != nil {
		t.Fatal(err)
	}
	demoted := f.reload(trainer)
	d, err := f.svc.TeamDashboard(ctx, demoted, team.ID, training.DashboardQuery{Limit: 10})
	if err != nil || d.Trainer || d.Team.Code != "" || len(d.Stats.Members) != 0 {
		t.Fatalf("demoted trainer's dashboard: trainer=%v code=%q members=%d, %v; want the summary only", d.Trainer, d.Team.Code, len(d.Stats.Members), err)
	}
	for name, call := range map[string]func() error{
		"scores":      func() error { _, _, err := f.svc.TeamScores(ctx, demoted, team.ID); return err },
		"renew code":  func() error { return f.svc.RenewTeamCode(ctx, demoted, team.ID) },
		"remove":      func() error { return f.svc.RemoveTeamMember(ctx, demoted, team.ID, learner.ID) },
		"create team": func() error { _, err := f.svc.CreateTeam(ctx, demoted, "Another"); return err },
	} {
		if code := supportlab.ErrorCode(call()); code != supportlab.EFORBIDDEN {
			t.Errorf("%s after demotion: %q, want forbidden", name, code)
		}
	}
	teams, err := f.svc.Teams(ctx, demoted)
	if err != nil || len(teams) != 1 || teams[0].Code != "" {
		t.Fatalf("demoted trainer's team list must hide the code: %+v, %v", teams, err)
	}
}

// An attempt's review is for its learner, the trainers of the learner's
// teams (while they are trainers) and admins; everyone else finds nothing.
func TestReviewAttemptAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.user("admin@example.com", supportlab.RoleAdmin)
	trainer := f.user("trainer@example.com", supportlab.RoleTrainer)
	otherTrainer := f.user("other@example.com", supportlab.RoleTrainer)
	learner := f.user("learner@example.com", supportlab.RoleLearner)
	stranger := f.user("stranger@example.com", supportlab.RoleLearner)
	team, _ := f.svc.CreateTeam(ctx, trainer, "Helpdesk")
	if _, _, err := f.svc.JoinTeam(ctx, learner, team.Code); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.JoinTeam(ctx, stranger, team.Code); err != nil {
		t.Fatal(err)
	}
	out, err := f.svc.SubmitQuiz(ctx, learner, quizUID, training.QuizSubmission{Answers: f.rightAnswers(quizUID)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		actor *supportlab.User
		code  string
	}{
		{"its learner", learner, ""},
		{"an admin", admin, ""},
		{"the team's trainer", trainer, ""},
		{"another trainer", otherTrainer, supportlab.ENOTFOUND},
		{"a fellow member", stranger, supportlab.ENOTFOUND},
		{"anonymous", nil, supportlab.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := f.svc.ReviewAttempt(ctx, tt.actor, out.AttemptID)
			if supportlab.ErrorCode(err) != tt.code {
				t.Fatalf("err %v, want code %q", err, tt.code)
			}
			if err == nil && (r.Result == nil || r.Result.Score != 100 || len(r.Result.Questions) != 12 || r.Learner.ID != learner.ID) {
				t.Fatalf("review %+v", r)
			}
		})
	}
	if _, err := f.svc.ReviewAttempt(ctx, admin, out.AttemptID+1000); supportlab.ErrorCode(err) != supportlab.ENOTFOUND {
		t.Fatalf("missing attempt: %v", err)
	}
	if err := f.db.SetUserRole(ctx, trainer.ID, supportlab.RoleLearner); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ReviewAttempt(ctx, f.reload(trainer), out.AttemptID); supportlab.ErrorCode(err) != supportlab.ENOTFOUND {
		t.Fatalf("a demoted trainer still reviews the team's attempts: %v", err)
	}
}

func TestBadgeNeedsEveryUnitAndAPassedCheck(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ada := f.user("ada@example.com", supportlab.RoleLearner)
	mods := f.svc.Modules("en")
	if len(mods) == 0 {
		t.Fatal("no module")
	}
	m := mods[0]
	for _, u := range m.Units {
		if _, _, err := f.svc.OpenUnit(ctx, ada, "en", m.Slug, u.Slug); err != nil {
			t.Fatal(err)
		}
	}
	mp, err := f.svc.ModuleProgress(ctx, ada, "en", m.Slug)
	if err != nil || mp.ReadCount != len(m.Units) || mp.Badge {
		t.Fatalf("every unit read, check not passed: %+v, %v; want no badge", mp, err)
	}
	if _, err := f.svc.SubmitQuiz(ctx, ada, quizUID, training.QuizSubmission{Answers: f.rightAnswers(quizUID)}); err != nil {
		t.Fatal(err)
	}
	rec, err := f.svc.MyRecord(ctx, ada, "en")
	if err != nil || len(rec.Badges) != 1 || rec.Badges[0].QuizBest != 100 {
		t.Fatalf("badges %+v, %v; want one with best 100", rec, err)
	}
}

const importedQuiz = `uid: imported-check
title: Imported v%d
lang: en
questions:
- id: who
  content: Who files service requests?
  choices:
  - content: An admin
    isCorrect: true
    explanation: Only admins can.
  - content: Any user
    explanation: Users go through their admin.
`

// An import is live at once, stays live after a restart, and of imports of
// one uid sent at the same moment, the newest version ends up live.
func TestImportsArePublishedNewestFirstAndSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	sqlite.BcryptCost = 4
	f := newFixtureOn(t, apptest.MustOpenDBAt(t, path))
	ctx := context.Background()
	trainer := f.user("trainer@example.com", supportlab.RoleTrainer)
	learner := f.user("learner@example.com", supportlab.RoleLearner)
	req := func(n int) training.ImportRequest {
		return training.ImportRequest{Filename: "q.yml", Source: []byte(fmt.Sprintf(importedQuiz, n)), Meta: supportlab.ImportMeta{Lang: "en"}}
	}
	if _, err := f.svc.Import(ctx, learner, req(0)); supportlab.ErrorCode(err) != supportlab.EFORBIDDEN {
		t.Fatalf("a learner's import: %v, want forbidden", err)
	}
	var wg sync.WaitGroup
	for n := 1; n <= 8; n++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.Import(ctx, trainer, req(n)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	q, err := f.svc.Quiz("imported-check")
	if err != nil || q.Version != 8 {
		t.Fatalf("live version %v (%v), want the newest, 8", q, err)
	}
	title := q.Title

	// A restart: a new service on the same database file.
	f.db.Close()
	g := newFixtureOn(t, apptest.MustOpenDBAt(t, path))
	q, err = g.svc.Quiz("imported-check")
	if err != nil || q.Version != 8 || q.Title != title {
		t.Fatalf("after a restart: %+v, %v; want version 8 titled %q", q, err, title)
	}
}
