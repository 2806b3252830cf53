package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// progressView is the progress partial's data: one module's progress, and
// whether to show the best knowledge-check score.
type progressView struct {
	P        Page
	M        training.ModuleProgress
	ShowBest bool
}

// ProgressOf is what a page hands the progress partial.
func (p Page) ProgressOf(m training.ModuleProgress, showBest bool) progressView {
	return progressView{P: p, M: m, ShowBest: showBest}
}

// resumeView is the "continue where you left off" card of the home page.
type resumeView struct {
	Module *supportlab.Module
	Unit   *supportlab.Unit
	Read   int // units opened so far
}

type homePage struct {
	Page
	Modules []training.ModuleProgress
	// Assignments are what a signed-in learner's teams gave them.
	Assignments []myAssignmentView
	// Resume is where a signed-in learner left off, nil when nowhere.
	Resume *resumeView
}

// home lists the modules, with a signed-in learner's progress and
// assignments: a page of its own for each learner, never a shared one.
func (s *Server) home(c *fiber.Ctx) error {
	p := s.page(c, "")
	p.Title, p.Nav = p.T("home.title"), "learn"
	mods, err := s.svc.Progress(c.UserContext(), p.User, p.Lang)
	if err != nil {
		return err
	}
	assignments, err := s.myAssignments(c, p)
	if err != nil {
		return err
	}
	page := homePage{Page: p, Modules: mods, Assignments: assignments}
	if p.User != nil {
		if mp, u, ok := training.Resume(mods); ok {
			page.Resume = &resumeView{Module: mp.Module, Unit: u, Read: mp.ReadCount}
		}
	}
	return c.Render("home", page)
}

type modulePage struct {
	Page
	Progress training.ModuleProgress
}

func (s *Server) module(c *fiber.Ctx) error {
	p := s.page(c, "")
	mp, err := s.svc.ModuleProgress(c.UserContext(), p.User, p.Lang, c.Params("module"))
	if err != nil {
		return err
	}
	p.Title, p.Nav = mp.Module.Title, "learn"
	return c.Render("module", modulePage{Page: p, Progress: mp})
}

type unitPage struct {
	Page
	Module     *supportlab.Module
	Unit       *supportlab.Unit
	Index      int
	Prev, Next *supportlab.Unit
	Quiz       *quizForm
}

func (s *Server) unit(c *fiber.Ctx) error {
	p := s.page(c, "")
	m, i, err := s.svc.OpenUnit(c.UserContext(), p.User, p.Lang, c.Params("module"), c.Params("unit"))
	if err != nil {
		return err
	}
	u := m.Units[i]
	data := unitPage{Page: p, Module: m, Unit: u, Index: i + 1}
	data.Title, data.Nav = u.Title, "learn"
	if i > 0 {
		data.Prev = m.Units[i-1]
	}
	if i+1 < len(m.Units) {
		data.Next = m.Units[i+1]
	}
	key := ""
	if u.Quiz != "" {
		// A quiz missing from a trainer's own quiz folder leaves the unit
		// without its check rather than without its page (see
		// library.Library.Warnings).
		if q, err := s.svc.Quiz(u.Quiz); err == nil {
			data.Quiz = newQuizForm(q, s.svc.NewDraw(q), nil)
			key = q.UID + "\x00" + strconv.Itoa(q.Version)
		}
	}
	return s.renderShared(c, sharedPage{view: "unit", key: key, page: &data.Page, data: &data, quiz: data.Quiz})
}

// QuestionText is a question's text as the quiz form shows it. A
// multiple-answer question gets "Select all that apply" under its text from
// the form itself, so the same sentence at the end of the text is left out:
// the learner reads it once.
func (p Page) QuestionText(q *supportlab.Question) template.HTML {
	if !q.Multiple() {
		return q.ContentHTML
	}
	hint := p.T("quiz.select_all")
	text := strings.TrimSpace(string(q.ContentHTML))
	for _, h := range []string{hint, html.EscapeString(hint)} {
		if rest, ok := strings.CutSuffix(text, h); ok && strings.TrimSpace(rest) != "" {
			return template.HTML(strings.TrimRight(rest, " \t\n\u00a0"))
		}
	}
	return q.ContentHTML
}
