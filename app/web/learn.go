package web

import (
	"github.com/gofiber/fiber/v2"

	"supportlab/app/lessons"
	"supportlab/app/supportlab"
)

// moduleProgress is a module with the signed-in learner's progress in it.
type moduleProgress struct {
	Module    *lessons.Module
	Read      map[string]bool // unit slugs opened
	ReadCount int
	QuizBest  int  // best score on the module's knowledge check, -1 if none
	Badge     bool // every unit read and the knowledge check passed
}

// progressFor computes the signed-in user's progress in the given modules;
// anonymous visitors get every module unread.
func (s *Server) progressFor(c *fiber.Ctx, mods []*lessons.Module) ([]moduleProgress, error) {
	best, err := s.bestScores(c)
	if err != nil {
		return nil, err
	}
	return s.progressFrom(c, mods, best)
}

// progressFrom is progressFor with the user's best scores (by
// supportlab.BestKey) already at hand.
func (s *Server) progressFrom(c *fiber.Ctx, mods []*lessons.Module, best map[string]int) ([]moduleProgress, error) {
	u := currentUser(c)
	var read map[string]map[string]bool
	if u != nil && s.cfg.Progress != nil {
		var err error
		if read, err = s.cfg.Progress.UnitsRead(c.UserContext(), u.ID); err != nil {
			return nil, err
		}
	}
	out := make([]moduleProgress, len(mods))
	for i, m := range mods {
		mp := moduleProgress{Module: m, Read: read[m.Slug], QuizBest: -1}
		if mp.Read == nil {
			mp.Read = map[string]bool{}
		}
		quizPassed := true
		for _, un := range m.Units {
			if mp.Read[un.Slug] {
				mp.ReadCount++
			}
			if un.Quiz != "" {
				quizPassed = false
				if b, ok := best[supportlab.BestKey(supportlab.KindQuiz, un.Quiz)]; ok {
					mp.QuizBest = b
					if q, err := s.cfg.Bank.Quiz(un.Quiz); err == nil && b >= q.PassPercent {
						quizPassed = true
					}
				}
			}
		}
		mp.Badge = u != nil && mp.ReadCount == len(m.Units) && quizPassed
		out[i] = mp
	}
	return out, nil
}

type homePage struct {
	Page
	Modules []moduleProgress
}

func (s *Server) home(c *fiber.Ctx) error {
	p := s.page(c, "")
	p.Title = p.T("home.title")
	p.Nav = "learn"
	mods, err := s.progressFor(c, s.cfg.Lessons.Modules(p.Lang))
	if err != nil {
		return err
	}
	return c.Render("home", homePage{Page: p, Modules: mods})
}

type modulePage struct {
	Page
	Progress moduleProgress
}

func (s *Server) module(c *fiber.Ctx) error {
	p := s.page(c, "")
	m, err := s.cfg.Lessons.Module(p.Lang, c.Params("module"))
	if err != nil {
		return err
	}
	mp, err := s.progressFor(c, []*lessons.Module{m})
	if err != nil {
		return err
	}
	p.Title, p.Nav = m.Title, "learn"
	return c.Render("module", modulePage{Page: p, Progress: mp[0]})
}

type unitPage struct {
	Page
	Module     *lessons.Module
	Unit       *lessons.Unit
	Index      int
	Prev, Next *lessons.Unit
	Quiz       *quizForm
}

func (s *Server) unit(c *fiber.Ctx) error {
	p := s.page(c, "")
	m, err := s.cfg.Lessons.Module(p.Lang, c.Params("module"))
	if err != nil {
		return err
	}
	u, i := m.Unit(c.Params("unit"))
	if u == nil {
		return supportlab.Errorf(supportlab.ENOTFOUND, "This module has no such unit.")
	}
	if user := currentUser(c); user != nil && s.cfg.Progress != nil {
		if err := s.cfg.Progress.MarkUnitRead(c.UserContext(), user.ID, m.Slug, u.Slug); err != nil {
			return err
		}
	}
	data := unitPage{Page: p, Module: m, Unit: u, Index: i + 1}
	data.Title, data.Nav = u.Title, "learn"
	if i > 0 {
		data.Prev = m.Units[i-1]
	}
	if i+1 < len(m.Units) {
		data.Next = m.Units[i+1]
	}
	if u.Quiz != "" {
		// A quiz missing from a trainer's own quiz folder leaves the unit
		// without its check rather than without its page (see
		// library.Library.Warnings).
		if q, err := s.cfg.Bank.Quiz(u.Quiz); err == nil {
			data.Quiz = s.newQuizForm(q, nil, nil)
		}
	}
	return c.Render("unit", data)
}
