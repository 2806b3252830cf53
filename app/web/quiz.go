package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
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
	Invalid  bool
}

type choiceView struct {
	Index   int // in file order: the form value
	HTML    template.HTML
	Checked bool
}

// newQuizForm draws and shuffles a fresh attempt, or, when asked is given
// (re-showing a rejected submission), keeps that draw and the learner's
// choices.
func (s *Server) newQuizForm(q *supportlab.Quiz, asked []string, chosen map[string][]int) *quizForm {
	if asked == nil {
		asked = drawQuestions(q)
	}
	f := &quizForm{Quiz: q, Asked: strings.Join(asked, ",")}
	f.Sig = s.signAsked(q, f.Asked)
	for i, id := range asked {
		question := q.Question(id)
		qv := questionView{Q: question, Number: i + 1, Multiple: question.Multiple()}
		order := make([]int, len(question.Choices))
		for j := range order {
			order[j] = j
		}
		if q.Shuffle {
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

// drawQuestions picks the questions of one attempt: all of them in file
// order, or, when the quiz draws, that many at random.
func drawQuestions(q *supportlab.Quiz) []string {
	ids := make([]string, len(q.Questions))
	for i, qq := range q.Questions {
		ids[i] = qq.ID
	}
	if n := q.AskCount(); n < len(ids) {
		rand.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
		ids = ids[:n]
	}
	return ids
}

func (s *Server) signAsked(q *supportlab.Quiz, asked string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte(q.UID + "\x00" + strconv.Itoa(q.Version) + "\x00" + asked))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

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
	if m, err := s.cfg.Lessons.Module(lang, q.Module); err == nil {
		return m.Title
	}
	return ""
}

func (s *Server) quizForm(c *fiber.Ctx) error {
	q, err := s.cfg.Bank.Quiz(c.Params("uid"))
	if err != nil {
		return err
	}
	p := s.page(c, q.Title)
	if c.Query("lang") != "" && q.Lang != p.Lang {
		exists := func(uid string) bool { _, err := s.cfg.Bank.Quiz(uid); return err == nil }
		if other := translatedUID(q.UID, p.Lang, exists); other != "" {
			return seeOther(c, "/quiz/"+other)
		}
	}
	p.Nav = "learn"
	return c.Render("quiz", quizPage{Page: p, Form: s.newQuizForm(q, nil, nil), ModuleTitle: s.moduleTitle(p.Lang, q)})
}

// resultPage shows a graded attempt.
type resultPage struct {
	Page
	Result *scoring.QuizResult
	Saved  bool
	Module string // module slug to go back to, if the quiz has one
}

func (s *Server) quizSubmit(c *fiber.Ctx) error {
	q, err := s.cfg.Bank.Quiz(c.Params("uid"))
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	asked, answers, perr := s.parseQuizAnswers(q, form)
	var res *scoring.QuizResult
	if perr == nil {
		res, perr = scoring.GradeQuiz(q, asked, answers)
	}
	if perr != nil {
		if supportlab.ErrorCode(perr) != supportlab.EINVALID {
			return perr
		}
		p := s.page(c, q.Title)
		f := s.newQuizForm(q, validAsked(q, asked), answers)
		f.Errors = []string{p.T("quiz.invalid", "Reason", supportlab.ErrorMessage(perr))}
		return c.Status(fiber.StatusUnprocessableEntity).Render("quiz", quizPage{Page: p, Form: f, ModuleTitle: s.moduleTitle(p.Lang, q)})
	}

	saved := false
	if u := currentUser(c); u != nil && s.cfg.Attempts != nil {
		a := &supportlab.Attempt{
			UserID: u.ID, Kind: supportlab.KindQuiz, UID: q.UID, Version: q.Version,
			Score: res.Score, Passed: res.Passed, At: time.Now().UTC(),
			Asked: asked, Answers: map[string][]int{}, Right: map[string]bool{},
		}
		for _, r := range res.Questions {
			a.Answers[r.Question.ID] = r.Chosen
			a.Right[r.Question.ID] = r.Right
		}
		if err := s.cfg.Attempts.CreateAttempt(c.UserContext(), a); err != nil {
			return err
		}
		saved = true
	}
	p := s.page(c, q.Title)
	p.Nav = "learn"
	return c.Render("result", resultPage{Page: p, Result: res, Saved: saved, Module: q.Module})
}

// parseQuizAnswers reads the asked set and the q-<id> fields. Values must be
// choice numbers; anything else is EINVALID with a message naming it.
func (s *Server) parseQuizAnswers(q *supportlab.Quiz, form map[string][]string) ([]string, map[string][]int, error) {
	answers := map[string][]int{}
	var bad error
	for key, values := range form {
		id, ok := strings.CutPrefix(key, "q-")
		if !ok {
			continue
		}
		question := q.Question(id)
		if question == nil {
			bad = supportlab.Errorf(supportlab.EINVALID, "This quiz has no question %q.", id)
			continue
		}
		for _, v := range values {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n >= len(question.Choices) {
				bad = supportlab.Errorf(supportlab.EINVALID, "%q is not one of the choices of question %d.", v, questionNumber(q, id))
				continue
			}
			answers[id] = append(answers[id], n)
		}
	}

	var asked []string
	if q.AskCount() == len(q.Questions) {
		for _, qq := range q.Questions {
			asked = append(asked, qq.ID)
		}
	} else if list := first(form["asked"]); list != "" {
		if !hmac.Equal([]byte(s.signAsked(q, list)), []byte(first(form["sig"]))) {
			return nil, answers, supportlab.Errorf(supportlab.EINVALID, "The set of questions of this attempt was changed. Start the quiz again.")
		}
		asked = strings.Split(list, ",")
	} else {
		// A client that does not send the draw: the answered questions are
		// the asked ones, if there are as many as the quiz draws.
		for id := range answers {
			asked = append(asked, id)
		}
		if len(asked) != q.AskCount() {
			return nil, answers, supportlab.Errorf(supportlab.EINVALID, "Answer the %d questions shown.", q.AskCount())
		}
		sortByQuiz(q, asked)
	}
	if bad != nil {
		return asked, answers, bad
	}
	return asked, answers, nil
}

// validAsked keeps asked if every id is a question of q and there are as
// many as the quiz asks; otherwise nil, which draws a fresh set.
func validAsked(q *supportlab.Quiz, asked []string) []string {
	if len(asked) != q.AskCount() {
		return nil
	}
	for _, id := range asked {
		if q.Question(id) == nil {
			return nil
		}
	}
	return asked
}

func questionNumber(q *supportlab.Quiz, id string) int {
	for i, qq := range q.Questions {
		if qq.ID == id {
			return i + 1
		}
	}
	return 0
}

func sortByQuiz(q *supportlab.Quiz, ids []string) {
	pos := map[string]int{}
	for i, qq := range q.Questions {
		pos[qq.ID] = i
	}
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && pos[ids[j]] < pos[ids[j-1]]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// formValues copies every form field of the request (URL-encoded or
// multipart) into Go-owned strings, keeping repeated fields.
func formValues(c *fiber.Ctx) (map[string][]string, error) {
	out := map[string][]string{}
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		mf, err := c.MultipartForm()
		if err != nil {
			return nil, supportlab.Errorf(supportlab.EINVALID, "The form could not be read.")
		}
		for k, vs := range mf.Value {
			for _, v := range vs {
				out[strings.Clone(k)] = append(out[strings.Clone(k)], strings.Clone(v))
			}
		}
		return out, nil
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		out[key] = append(out[key], string(v))
	})
	return out, nil
}

// translatedUID finds the uid of the same quiz or scenario in lang, by the
// naming convention of the library: "<base>-en"/"<base>-fr", or "<base>" for
// English and "<base>-fr" for French. It returns "" when there is none.
func translatedUID(uid, lang string, exists func(string) bool) string {
	base := uid
	for _, l := range supportlab.Languages {
		base = strings.TrimSuffix(base, "-"+l)
	}
	candidates := []string{base + "-" + lang}
	if lang == "en" {
		candidates = append(candidates, base)
	}
	for _, c := range candidates {
		if c != uid && exists(c) {
			return c
		}
	}
	return ""
}
