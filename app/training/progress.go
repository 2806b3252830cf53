package training

import (
	"context"
	"sort"

	"supportlab/app/supportlab"
)

// ModuleProgress is a module with a learner's progress in it.
type ModuleProgress struct {
	Module    *supportlab.Module
	Read      map[string]bool // unit slugs opened
	ReadCount int
	QuizBest  int  // best score on the module's knowledge check, -1 if none
	Badge     bool // every unit read and the knowledge check passed
}

// BestScores returns the actor's best score per supportlab.BestKey; nil for
// an anonymous visitor.
func (s *Service) BestScores(ctx context.Context, actor *supportlab.User) (map[string]int, error) {
	if actor == nil {
		return nil, nil
	}
	return s.cfg.Attempts.BestScores(ctx, actor.ID)
}

// Progress returns the actor's progress in every module of lang; an
// anonymous visitor gets every module unread.
func (s *Service) Progress(ctx context.Context, actor *supportlab.User, lang string) ([]ModuleProgress, error) {
	best, err := s.BestScores(ctx, actor)
	if err != nil {
		return nil, err
	}
	return s.progress(ctx, actor, s.cfg.Curriculum.Modules(lang), best)
}

// ModuleProgress returns the actor's progress in one module.
func (s *Service) ModuleProgress(ctx context.Context, actor *supportlab.User, lang, slug string) (ModuleProgress, error) {
	m, err := s.cfg.Curriculum.Module(lang, slug)
	if err != nil {
		return ModuleProgress{}, err
	}
	best, err := s.BestScores(ctx, actor)
	if err != nil {
		return ModuleProgress{}, err
	}
	mp, err := s.progress(ctx, actor, []*supportlab.Module{m}, best)
	if err != nil {
		return ModuleProgress{}, err
	}
	return mp[0], nil
}

// progress applies the badge rule: a module's badge is earned when every
// unit was opened and the module's knowledge check, if it has one, was
// passed (best score at its pass mark) by a signed-in learner.
func (s *Service) progress(ctx context.Context, actor *supportlab.User, mods []*supportlab.Module, best map[string]int) ([]ModuleProgress, error) {
	var read map[string]map[string]bool
	if actor != nil {
		var err error
		if read, err = s.cfg.Progress.UnitsRead(ctx, actor.ID); err != nil {
			return nil, err
		}
	}
	out := make([]ModuleProgress, len(mods))
	for i, m := range mods {
		mp := ModuleProgress{Module: m, Read: read[m.Slug], QuizBest: -1}
		if mp.Read == nil {
			mp.Read = map[string]bool{}
		}
		quizPassed := true
		for _, un := range m.Units {
			if mp.Read[un.Slug] {
				mp.ReadCount++
			}
			if un.Quiz == "" {
				continue
			}
			quizPassed = false
			if b, ok := best[supportlab.BestKey(supportlab.KindQuiz, un.Quiz)]; ok {
				mp.QuizBest = b
				if q, err := s.cfg.Bank.Quiz(un.Quiz); err == nil && q.Passes(b) {
					quizPassed = true
				}
			}
		}
		mp.Badge = actor != nil && mp.ReadCount == len(m.Units) && quizPassed
		out[i] = mp
	}
	return out, nil
}

// OpenUnit returns a unit of a module, and records that a signed-in
// learner opened it.
func (s *Service) OpenUnit(ctx context.Context, actor *supportlab.User, lang, module, unit string) (*supportlab.Module, int, error) {
	m, err := s.cfg.Curriculum.Module(lang, module)
	if err != nil {
		return nil, 0, err
	}
	u, i := m.Unit(unit)
	if u == nil {
		return nil, 0, supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.unit")
	}
	if actor != nil {
		if err := s.cfg.Progress.MarkUnitRead(ctx, actor.ID, m.Slug, u.Slug); err != nil {
			return nil, 0, err
		}
	}
	return m, i, nil
}

// ItemRecord is a learner's record on one quiz or scenario.
type ItemRecord struct {
	Kind     string
	UID      string
	Best     int
	Attempts int
	Passed   bool // at least one attempt passed
}

// Record is everything /me shows: progress and badges, the record per
// item (quizzes, then scenarios) and every attempt, newest first.
type Record struct {
	Modules  []ModuleProgress
	Badges   []ModuleProgress
	Quizzes  []ItemRecord
	Sandbox  []ItemRecord
	Attempts []*supportlab.Attempt
}

// MyRecord returns the actor's own record, with modules of lang.
func (s *Service) MyRecord(ctx context.Context, actor *supportlab.User, lang string) (*Record, error) {
	attempts, err := s.MyAttempts(ctx, actor)
	if err != nil {
		return nil, err
	}
	best, err := s.BestScores(ctx, actor)
	if err != nil {
		return nil, err
	}
	rec := &Record{Attempts: attempts}
	items := map[string]*ItemRecord{}
	var order []string
	for _, a := range attempts {
		key := supportlab.BestKey(a.Kind, a.UID)
		it := items[key]
		if it == nil {
			it = &ItemRecord{Kind: a.Kind, UID: a.UID, Best: best[key]}
			items[key] = it
			order = append(order, key)
		}
		it.Attempts++
		it.Passed = it.Passed || a.Passed
	}
	sort.Strings(order)
	for _, key := range order {
		if it := items[key]; it.Kind == supportlab.KindQuiz {
			rec.Quizzes = append(rec.Quizzes, *it)
		} else {
			rec.Sandbox = append(rec.Sandbox, *it)
		}
	}
	if rec.Modules, err = s.progress(ctx, actor, s.cfg.Curriculum.Modules(lang), best); err != nil {
		return nil, err
	}
	for _, m := range rec.Modules {
		if m.Badge {
			rec.Badges = append(rec.Badges, m)
		}
	}
	return rec, nil
}

// MyAttempts returns the actor's attempts, newest first.
func (s *Service) MyAttempts(ctx context.Context, actor *supportlab.User) ([]*supportlab.Attempt, error) {
	if err := requireUser(actor); err != nil {
		return nil, err
	}
	return s.cfg.Attempts.ListAttempts(ctx, actor.ID)
}

// NextUnit is where a learner picks a module up again: the first unit not
// yet opened, or, with every unit opened but the badge not earned, the unit
// holding the knowledge check. It is nil when the module is finished.
func (mp ModuleProgress) NextUnit() *supportlab.Unit {
	if mp.Badge {
		return nil
	}
	for _, u := range mp.Module.Units {
		if !mp.Read[u.Slug] {
			return u
		}
	}
	for _, u := range mp.Module.Units {
		if u.Quiz != "" {
			return u
		}
	}
	return nil
}

// Resume is the module a signed-in learner is in the middle of: the first,
// in order, that they have started and not finished. ok is false when
// there is none (nothing started yet, or everything finished).
func Resume(mods []ModuleProgress) (mp ModuleProgress, next *supportlab.Unit, ok bool) {
	for _, m := range mods {
		if m.ReadCount > 0 {
			if u := m.NextUnit(); u != nil {
				return m, u, true
			}
		}
	}
	return ModuleProgress{}, nil, false
}
