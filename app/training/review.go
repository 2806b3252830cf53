package training

import (
	"context"
	"slices"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
)

// errNoAttempt is what an attempt the actor may not see looks like: the
// same "not found" as a missing one, so that ids reveal nothing.
var errNoAttempt = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.attempt")

// Review is one stored attempt, ready to be shown again: a quiz attempt
// with every asked question and the choices made (Quiz and Result), or a
// sandbox attempt with its scored request (Sandbox). Quiz or Scenario is
// nil when the item is no longer live; the score is the one stored.
type Review struct {
	Attempt  *supportlab.Attempt
	Learner  *supportlab.User
	Quiz     *supportlab.Quiz
	Result   *scoring.QuizResult
	Scenario *supportlab.Scenario
	Sandbox  *SandboxOutcome
	// Changed: the item was edited since the attempt; the review shows the
	// questions as they are now, marked as the attempt was marked.
	Changed bool
}

// ReviewAttempt returns attempt id for its learner, an admin, or a trainer
// (by account role, now) of a team the learner belongs to; anyone else gets
// ENOTFOUND.
func (s *Service) ReviewAttempt(ctx context.Context, actor *supportlab.User, id int64) (*Review, error) {
	if err := requireUser(actor); err != nil {
		return nil, err
	}
	a, err := s.cfg.Attempts.FindAttempt(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := s.maySeeAttemptsOf(ctx, actor, a.UserID); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNoAttempt
	}
	learner := actor
	if a.UserID != actor.ID {
		if learner, err = s.cfg.Users.FindUserByID(ctx, a.UserID); err != nil {
			return nil, err
		}
	}
	r := &Review{Attempt: a, Learner: learner}
	switch a.Kind {
	case supportlab.KindQuiz:
		if q, err := s.cfg.Bank.Quiz(a.UID); err == nil {
			r.Quiz, r.Changed = q, q.Version != a.Version
			r.Result = storedResult(q, a)
		}
	case supportlab.KindSandbox:
		if sc, err := s.cfg.Bank.Scenario(a.UID); err == nil && a.Parts != nil && a.Answer != nil {
			r.Scenario, r.Changed = sc, sc.Version != a.Version
			r.Sandbox = outcome(sc, *a.Answer, *a.Parts)
			r.Sandbox.Score, r.Sandbox.Passed, r.Sandbox.AttemptID = a.Score, a.Passed, a.ID
		}
	}
	return r, nil
}

// maySeeAttemptsOf reports whether actor may see learnerID's attempts.
func (s *Service) maySeeAttemptsOf(ctx context.Context, actor *supportlab.User, learnerID int64) (bool, error) {
	switch {
	case actor.ID == learnerID || actor.IsAdmin():
		return true, nil
	case actor.CanTrain():
		return s.cfg.Teams.TrainsMember(ctx, actor.ID, learnerID)
	}
	return false, nil
}

// storedResult rebuilds a quiz result from a stored attempt: the marks are
// the stored ones (the quiz may have changed since), shown against the
// questions as they are now; a question deleted since is left out.
func storedResult(q *supportlab.Quiz, a *supportlab.Attempt) *scoring.QuizResult {
	res := &scoring.QuizResult{Quiz: q, Score: a.Score, Passed: a.Passed}
	for _, id := range a.Asked {
		question := q.Question(id)
		if question == nil {
			continue
		}
		chosen := slices.Clone(a.Answers[id])
		slices.Sort(chosen)
		right := a.Right[id]
		if right {
			res.Right++
		}
		res.Questions = append(res.Questions, scoring.QuestionResult{Question: question, Chosen: chosen, Right: right})
	}
	return res
}
