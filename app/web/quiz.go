package web

import (
	"html/template"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// quizForm is a knowledge check ready to be shown: the questions drawn for
// this attempt, with choices in display order. Values in the form are always
// choice indexes in the file's order, whatever order the page shows.
type quizForm struct {
	Quiz      *supportlab.Quiz
	Questions []questionView
	Asked     string // comma-separated question ids of this attempt
	Sig       string // signs Asked so that a learner cannot pick the questions
	Errors    []string
}

type questionView struct {
	Q        *supportlab.Question
	Number   int
	Multiple bool
	Choices  []choiceView
}

type choiceView struct {
	Index   int // in file order: the form value
	HTML    template.HTML
	Checked bool
}

// newQuizForm lays out draw d of q, with the choices shuffled when the quiz
// asks for it and the learner's choices (when re-showing a refused
// submission) checked.
func newQuizForm(q *supportlab.Quiz, d training.Draw, chosen map[string][]int) *quizForm {
	f := &quizForm{Quiz: q, Asked: d.List(), Sig: d.Sig}
	for i, id := range d.Asked {
		question := q.Question(id)
		qv := questionView{Q: question, Number: i + 1, Multiple: question.Multiple()}
		order := make([]int, len(question.Choices))
		for j := range order {
			order[j] = j
		}
		if q.Shuffles(question) {
			rand.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		}
		for _, j := range order {
			cv := choiceView{Index: j, HTML: question.Choices[j].ContentHTML}
			for _, k := range chosen[id] {
				cv.Checked = cv.Checked || k == j
			}
			qv.Choices = append(qv.Choices, cv)
		}
		f.Questions = append(f.Questions, qv)
	}
	return f
}

// quizFormView is the quiz-form partial's data.
type quizFormView struct {
	P Page
	F *quizForm
}

// QuizForm is what a page hands the quiz-form partial.
func (p Page) QuizForm(f *quizForm) quizFormView { return quizFormView{P: p, F: f} }

type quizPage struct {
	Page
	Form        *quizForm
	ModuleTitle string // title of the quiz's module in the page language, if any
}

// moduleTitle is the title of the quiz's lesson module in lang, "" if none.
func (s *Server) moduleTitle(lang string, q *supportlab.Quiz) string {
	if q.Module == "" {
		return ""
	}
	if m, err := s.svc.Module(lang, q.Module); err == nil {
		return m.Title
	}
	return ""
}

func (s *Server) quizForm(c *fiber.Ctx) error {
	q, err := s.svc.Quiz(c.Params("uid"))
	if err != nil {
		return err
	}
	exists := func(uid string) bool { _, err := s.svc.Quiz(uid); return err == nil }
	if to := translationURL(c, "/quiz/", q.UID, q.Lang, exists); to != "" {
		return seeOther(c, to)
	}
	return s.renderQuiz(c, fiber.StatusOK, s.page(c, q.Title), newQuizForm(q, s.svc.NewDraw(q), nil))
}

// renderQuiz shows a knowledge check on its own page.
func (s *Server) renderQuiz(c *fiber.Ctx, status int, p Page, f *quizForm) error {
	p.Nav = "learn"
	return c.Status(status).Render("quiz", quizPage{Page: p, Form: f, ModuleTitle: s.moduleTitle(p.Lang, f.Quiz)})
}

// resultPage shows a graded attempt: at once for an anonymous learner, or
// as the review of a stored attempt.
type resultPage struct {
	Page
	Result *scoring.QuizResult
	Saved  bool
	Module string // module slug to go back to, if the quiz has one
	Review *training.Review
}

// quizSubmit grades a quiz. A signed-in learner's attempt is stored and
// the answer is a redirect to its review (post/redirect/get: a reload
// stores nothing); an anonymous learner gets the result at once.
func (s *Server) quizSubmit(c *fiber.Ctx) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	sub := training.QuizSubmission{Asked: first(form["asked"]), Sig: first(form["sig"]), Answers: map[string][]string{}}
	for key, vs := range form {
		if id, ok := strings.CutPrefix(key, "q-"); ok {
			sub.Answers[id] = vs
		}
	}
	u := currentUser(c)
	out, err := s.svc.SubmitQuiz(c.UserContext(), u, c.Params("uid"), sub)
	if supportlab.ErrorCode(err) == supportlab.EINVALID && out != nil {
		p := s.page(c, out.Quiz.Title)
		de := supportlab.AsError(err)
		f := newQuizForm(out.Quiz, out.Draw, out.Chosen)
		f.Errors = []string{p.T("quiz.invalid", "Reason", p.T(de.Key, de.Args...))}
		return s.renderQuiz(c, fiber.StatusUnprocessableEntity, p, f)
	} else if err != nil {
		return err
	}
	if out.AttemptID != 0 {
		return seeOther(c, attemptURL(out.AttemptID))
	}
	p := s.page(c, out.Quiz.Title)
	p.Nav = "learn"
	return c.Render("result", resultPage{Page: p, Result: out.Result, Module: out.Quiz.Module})
}

// attemptURL is the review page of a stored attempt.
func attemptURL(id int64) string { return "/me/attempts/" + strconv.FormatInt(id, 10) }
