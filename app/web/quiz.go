package web

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// quizForm is a knowledge check ready to be shown: the questions drawn for
// this attempt and, when a refused submission comes back, the choices the
// learner had made. Values in the form are always choice indexes in the
// file's order, whatever order the page shows.
type quizForm struct {
	Quiz   *supportlab.Quiz
	Draw   training.Draw
	Chosen map[string][]int
	Errors []string
	// Body is the draw's hidden fields and the questions, assembled by
	// quizBody; a shared page leaves it to be filled per request.
	Body template.HTML
}

// Count is the number of questions asked.
func (f *quizForm) Count() int { return len(f.Draw.Asked) }

// newQuizForm is draw d of q, with the learner's choices when re-showing a
// refused submission.
func newQuizForm(q *supportlab.Quiz, d training.Draw, chosen map[string][]int) *quizForm {
	return &quizForm{Quiz: q, Draw: d, Chosen: chosen}
}

// quizFragments are a quiz's questions and choices rendered once, for one
// interface language: a request only puts them in its own order.
type quizFragments struct {
	questions map[string]*questionFragments
}

// questionFragments are one question's fieldset, cut where the number and
// the choices go, and its choices, unchecked ([0]) and checked ([1]).
type questionFragments struct {
	beforeNumber, beforeChoices, after []byte
	choices                            [][2][]byte
}

// questionFragment is the data of partials/quiz-question.
type questionFragment struct {
	P        Page
	Q        *supportlab.Question
	Number   string
	Multiple bool
	Choices  template.HTML
}

// choiceFragment is the data of partials/quiz-choice.
type choiceFragment struct {
	QID      string
	Index    int
	HTML     template.HTML
	Multiple bool
	Checked  bool
}

// Markers of the places a question fragment is cut at.
var (
	numberMarker  = "\x02number\x02"
	choicesMarker = "\x02choices\x02"
)

// fragmentsFor returns q's fragments in lang, rendering them the first time.
// The key holds the version, so that an imported version gets its own.
func (s *Server) fragmentsFor(q *supportlab.Quiz, lang string) (*quizFragments, error) {
	key := q.UID + "\x00" + strconv.Itoa(q.Version) + "\x00" + lang
	if fr, ok := s.fragments.Load(key); ok {
		return fr.(*quizFragments), nil
	}
	p := Page{Lang: lang, tr: s.cfg.Locale.Translator(lang)}
	fr := &quizFragments{questions: make(map[string]*questionFragments, len(q.Questions))}
	var buf bytes.Buffer
	render := func(name string, data any) ([]byte, error) {
		buf.Reset()
		if err := s.views.Templates.ExecuteTemplate(&buf, name, data); err != nil {
			return nil, err
		}
		return bytes.Clone(buf.Bytes()), nil
	}
	for _, question := range q.Questions {
		multiple := question.Multiple()
		whole, err := render("partials/quiz-question", questionFragment{
			P: p, Q: question, Number: numberMarker, Multiple: multiple, Choices: template.HTML(choicesMarker),
		})
		if err != nil {
			return nil, err
		}
		head, after, ok1 := bytes.Cut(whole, []byte(choicesMarker))
		beforeNumber, beforeChoices, ok2 := bytes.Cut(head, []byte(numberMarker))
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("partials/quiz-question must print .Number and .Choices once")
		}
		qf := &questionFragments{beforeNumber: beforeNumber, beforeChoices: beforeChoices, after: after}
		for i, ch := range question.Choices {
			var pair [2][]byte
			for k, checked := range []bool{false, true} {
				if pair[k], err = render("partials/quiz-choice", choiceFragment{
					QID: question.ID, Index: i, HTML: ch.ContentHTML, Multiple: multiple, Checked: checked,
				}); err != nil {
					return nil, err
				}
			}
			qf.choices = append(qf.choices, pair)
		}
		fr.questions[question.ID] = qf
	}
	actual, _ := s.fragments.LoadOrStore(key, fr)
	return actual.(*quizFragments), nil
}

// writeQuizBody writes the body of f for this request: the draw's hidden
// fields, then each asked question in order, its choices shuffled when the
// quiz or the question asks for it.
func (s *Server) writeQuizBody(c *fiber.Ctx, out io.Writer, f *quizForm) {
	fr, err := s.fragmentsFor(f.Quiz, currentLang(c))
	if err != nil {
		s.log.Error("quiz fragments", "quiz", f.Quiz.UID, "err", err)
		return
	}
	io.WriteString(out, `<input type="hidden" name="asked" value="`)
	io.WriteString(out, html.EscapeString(f.Draw.List()))
	io.WriteString(out, `"><input type="hidden" name="sig" value="`)
	io.WriteString(out, html.EscapeString(f.Draw.Sig))
	io.WriteString(out, `">`)
	order := make([]int, 0, 8)
	for n, id := range f.Draw.Asked {
		question, qf := f.Quiz.Question(id), fr.questions[id]
		if question == nil || qf == nil {
			continue
		}
		out.Write(qf.beforeNumber)
		io.WriteString(out, strconv.Itoa(n+1))
		out.Write(qf.beforeChoices)
		order = order[:0]
		for j := range qf.choices {
			order = append(order, j)
		}
		if f.Quiz.Shuffles(question) {
			rand.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		}
		for _, j := range order {
			checked := 0
			if slices.Contains(f.Chosen[id], j) {
				checked = 1
			}
			out.Write(qf.choices[j][checked])
		}
		out.Write(qf.after)
	}
}

// withBody fills f's body for a page rendered whole (not shared).
func (s *Server) withBody(c *fiber.Ctx, f *quizForm) *quizForm {
	if f != nil {
		var buf bytes.Buffer
		s.writeQuizBody(c, &buf, f)
		f.Body = template.HTML(buf.String())
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
	p := s.page(c, q.Title)
	p.Nav = "learn"
	data := &quizPage{Page: p, Form: newQuizForm(q, s.svc.NewDraw(q), nil), ModuleTitle: s.moduleTitle(p.Lang, q)}
	return s.renderShared(c, sharedPage{
		view: "quiz", key: q.UID + "\x00" + strconv.Itoa(q.Version), page: &data.Page, data: data, quiz: data.Form,
	})
}

// renderQuiz shows a knowledge check on its own page, whole: for a refused
// submission, with the learner's choices and the problem.
func (s *Server) renderQuiz(c *fiber.Ctx, status int, p Page, f *quizForm) error {
	p.Nav = "learn"
	return c.Status(status).Render("quiz", quizPage{Page: p, Form: s.withBody(c, f), ModuleTitle: s.moduleTitle(p.Lang, f.Quiz)})
}

// resultPage shows a graded attempt: at once for an anonymous learner, or
// as the review of a stored attempt.
type resultPage struct {
	Page
	Result *scoring.QuizResult
	Saved  bool
	Module string // module slug to go back to, if the quiz has one
	// ModuleTitle names the module in the breadcrumb; a generic label
	// stands in when it is empty.
	ModuleTitle string
	Review      *training.Review
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
	return c.Render("result", resultPage{Page: p, Result: out.Result, Module: out.Quiz.Module, ModuleTitle: s.moduleTitle(p.Lang, out.Quiz)})
}

// attemptURL is the review page of a stored attempt.
func attemptURL(id int64) string { return "/me/attempts/" + strconv.FormatInt(id, 10) }
