// Package training holds SupportLab's use cases. Every action a learner,
// trainer or admin takes is one method of Service, which takes the acting
// user and checks, on every call, the role and team membership that user has
// now: a trainer demoted to learner is refused on their next request, not
// at their next sign-in. Service owns the rules that decide outcomes (pass
// marks, badges, which version of a quiz is live) and calls scoring to
// grade. It depends only on the domain (supportlab) and the pure scoring
// rules; the web server and the command line are adapters around it, and
// app/main.go wires it to the stores.
package training

import (
	"log/slog"
	"time"

	"supportlab/app/supportlab"
)

// Config is what the use cases need; every field but Logger and Now is
// required.
type Config struct {
	Curriculum supportlab.Curriculum
	Bank       supportlab.QuizBank
	Users      supportlab.UserService
	Attempts   supportlab.AttemptService
	Progress   supportlab.ProgressService
	Imports    supportlab.ImportService
	Teams      supportlab.TeamService
	// Assignments and History may be nil while a store lacks them: the
	// features they hold then answer EUNAVAILABLE (and lists are empty).
	Assignments supportlab.AssignmentService
	History     supportlab.HistoryService
	// Shipped gives the text of the files the app was started with, for
	// the editor; nil when there is none to give.
	Shipped supportlab.ShippedFiles
	// Secret signs the set of questions a quiz page asked, so that a
	// learner cannot choose which questions of a pool they answer.
	Secret []byte
	// Now is the clock; tests set it.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service is the application: one method per use case.
type Service struct {
	cfg Config
	log *slog.Logger
	// retired holds BestKey(kind, uid) of the retired quizzes and
	// scenarios, read from the store with the imports (ReloadImports) and
	// kept up to date by Retire.
	retired retiredSet
}

// New returns the service for cfg.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{cfg: cfg, log: cfg.Logger}
}

// Access errors. Their keys are catalogue ids, like every domain error.
var (
	errSignIn       = supportlab.NewError(supportlab.EUNAUTHORIZED, "error.text.Unauthorized")
	errTrainersOnly = supportlab.NewError(supportlab.EFORBIDDEN, "error.text.trainers_only")
	errAdminsOnly   = supportlab.NewError(supportlab.EFORBIDDEN, "error.text.admins_only")
)

// requireUser refuses anonymous visitors.
func requireUser(actor *supportlab.User) error {
	if actor == nil {
		return errSignIn
	}
	return nil
}

// requireTrainer refuses anyone whose account is not a trainer's or an
// admin's.
func requireTrainer(actor *supportlab.User) error {
	if err := requireUser(actor); err != nil {
		return err
	}
	if !actor.CanTrain() {
		return errTrainersOnly
	}
	return nil
}

// requireAdmin refuses anyone but admins.
func requireAdmin(actor *supportlab.User) error {
	if err := requireUser(actor); err != nil {
		return err
	}
	if !actor.IsAdmin() {
		return errAdminsOnly
	}
	return nil
}

// Quiz returns the live quiz uid, or ENOTFOUND: a retired quiz is not
// found, for learners it no longer exists.
func (s *Service) Quiz(uid string) (*supportlab.Quiz, error) {
	if s.retired.has(supportlab.KindQuiz, uid) {
		return nil, supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.quiz", "UID", uid)
	}
	return s.cfg.Bank.Quiz(uid)
}

// Scenario returns the live scenario uid, or ENOTFOUND (retired ones too).
func (s *Service) Scenario(uid string) (*supportlab.Scenario, error) {
	if s.retired.has(supportlab.KindSandbox, uid) {
		return nil, supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.scenario", "UID", uid)
	}
	return s.cfg.Bank.Scenario(uid)
}

// Quizzes lists the live quizzes of lang ("" for all), retired ones left out.
func (s *Service) Quizzes(lang string) []*supportlab.Quiz {
	return without(s.cfg.Bank.Quizzes(lang), func(q *supportlab.Quiz) bool { return s.retired.has(supportlab.KindQuiz, q.UID) })
}

// Scenarios lists the live scenarios of lang ("" for all), by title,
// retired ones left out.
func (s *Service) Scenarios(lang string) []*supportlab.Scenario {
	return without(s.cfg.Bank.Scenarios(lang), func(sc *supportlab.Scenario) bool { return s.retired.has(supportlab.KindSandbox, sc.UID) })
}

// ItemTitle names a quiz or scenario, retired or not, for the pages that
// list attempts made at it; live is false when learners cannot open it.
func (s *Service) ItemTitle(kind, uid string) (title string, live bool) {
	switch kind {
	case supportlab.KindQuiz:
		if q, err := s.cfg.Bank.Quiz(uid); err == nil {
			return q.Title, !s.retired.has(kind, uid)
		}
	case supportlab.KindSandbox:
		if sc, err := s.cfg.Bank.Scenario(uid); err == nil {
			return sc.Title, !s.retired.has(kind, uid)
		}
	}
	return uid, false
}

// without returns list without the elements drop reports.
func without[T any](list []T, drop func(T) bool) []T {
	out := list[:0:0]
	for _, x := range list {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}

// Modules lists the lesson modules of lang in order.
func (s *Service) Modules(lang string) []*supportlab.Module { return s.cfg.Curriculum.Modules(lang) }

// Module returns one lesson module, or ENOTFOUND.
func (s *Service) Module(lang, slug string) (*supportlab.Module, error) {
	return s.cfg.Curriculum.Module(lang, slug)
}
