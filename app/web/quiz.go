package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
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
	ids := questionIDs(q)
	if n := q.AskCount(); n < len(ids) {
		rand.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
		ids = ids[:n]
	}
	return ids
}

// questionIDs lists the ids of q's questions in file order.
func questionIDs(q *supportlab.Quiz) []string {
	ids := make([]string, len(q.Questions))
	for i, qq := range q.Questions {
		ids[i] = qq.ID
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
	exists := func(uid string) bool { _, err := s.cfg.Bank.Quiz(uid); return err == nil }
	if to := translationURL(c, "/quiz/", q.UID, q.Lang, exists); to != "" {
		return seeOther(c, to)
	}
	return s.renderQuiz(c, fiber.StatusOK, s.page(c, q.Title), s.newQuizForm(q, nil, nil))
}

// renderQuiz shows a knowledge check on its own page.
func (s *Server) renderQuiz(c *fiber.Ctx, status int, p Page, f *quizForm) error {
	p.Nav = "learn"
	return c.Status(status).Render("quiz", quizPage{Page: p, Form: f, ModuleTitle: s.moduleTitle(p.Lang, f.Quiz)})
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
		p := s.page(c, q.Title)
		var reason string
		var me *msgError
		switch {
		case errors.As(perr, &me):
			reason = p.T(me.id, me.pairs...)
		case supportlab.ErrorCode(perr) == supportlab.EINVALID:
			reason = supportlab.ErrorMessage(perr)
		default:
			return perr
		}
		f := s.newQuizForm(q, validAsked(q, asked), answers)
		f.Errors = []string{p.T("quiz.invalid", "Reason", reason)}
		return s.renderQuiz(c, fiber.StatusUnprocessableEntity, p, f)
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
// choice numbers (file order) of questions of this attempt; anything else is an invalid-input error whose
// message, in the learner's language, names the question as the page
// numbered it.
func (s *Server) parseQuizAnswers(q *supportlab.Quiz, form map[string][]string) ([]string, map[string][]int, error) {
	// Which questions were asked: all of them, or the draw the page signed.
	var asked []string
	drawn := q.AskCount() < len(q.Questions)
	if !drawn {
		asked = questionIDs(q)
	} else if list := first(form["asked"]); list != "" {
		if !hmac.Equal([]byte(s.signAsked(q, list)), []byte(first(form["sig"]))) {
			return nil, nil, errorMsg(supportlab.EINVALID, "quiz.error.draw_changed")
		}
		asked = strings.Split(list, ",")
	}

	// Fields in question order, so that the message names the first problem.
	var ids []string
	for key := range form {
		if id, ok := strings.CutPrefix(key, "q-"); ok {
			ids = append(ids, id)
		}
	}
	sortByQuiz(q, ids)
	answers := map[string][]int{}
	var bad error
	for _, id := range ids {
		question := q.Question(id)
		if question == nil {
			if bad == nil {
				bad = errorMsg(supportlab.EINVALID, "quiz.error.unknown_question")
			}
			continue
		}
		for _, v := range form["q-"+id] {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n >= len(question.Choices) {
				if bad == nil {
					bad = errorMsg(supportlab.EINVALID, "quiz.error.not_a_choice", "Value", v, "N", shownNumber(q, asked, id))
				}
				continue
			}
			answers[id] = append(answers[id], n)
		}
	}

	if drawn && asked == nil {
		// A client that does not send the draw: the answered questions were
		// asked, and, when there are fewer than the quiz draws, the first
		// unanswered ones in file order make up the count (they score as
		// unanswered). More answers than the draw cannot come from one page.
		for id := range answers {
			asked = append(asked, id)
		}
		if len(asked) > q.AskCount() {
			return nil, answers, errorMsg(supportlab.EINVALID, "quiz.error.answer_all", "N", q.AskCount())
		}
		for _, qq := range q.Questions {
			if len(asked) == q.AskCount() {
				break
			}
			if _, ok := answers[qq.ID]; !ok {
				asked = append(asked, qq.ID)
			}
		}
		sortByQuiz(q, asked)
	}
	if bad != nil {
		return asked, answers, bad
	}
	isAsked := make(map[string]bool, len(asked))
	for _, id := range asked {
		isAsked[id] = true
	}
	for _, id := range ids {
		if _, answered := answers[id]; answered && !isAsked[id] {
			return asked, answers, errorMsg(supportlab.EINVALID, "quiz.error.not_asked")
		}
	}
	return asked, answers, nil
}

// shownNumber is the number the page gave question id: its place in the
// attempt, or in the file when the attempt is unknown.
func shownNumber(q *supportlab.Quiz, asked []string, id string) int {
	for i, a := range asked {
		if a == id {
			return i + 1
		}
	}
	return questionNumber(q, id)
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
			return nil, errorMsg(supportlab.EINVALID, "error.text.form_unreadable")
		}
		for k, vs := range mf.Value {
			key := strings.Clone(k)
			for _, v := range vs {
				out[key] = append(out[key], strings.Clone(v))
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

// withQuery appends the request's query string to path, so that a redirect
// keeps what the page was asked for (?view=, ?lang=).
func withQuery(c *fiber.Ctx, path string) string {
	if q := c.Request().URI().QueryString(); len(q) > 0 {
		return path + "?" + string(q)
	}
	return path
}

// translationURL is where a GET with ?lang= goes when the quiz or scenario
// shown (uid, in itemLang) has a translation in the language asked for:
// prefix + the translation's uid, keeping the query. It is "" when no
// language was asked for, the item is in it already, or it has none.
func translationURL(c *fiber.Ctx, prefix, uid, itemLang string, exists func(string) bool) string {
	lang := currentLang(c)
	if c.Query("lang") == "" || itemLang == lang {
		return ""
	}
	if other := translatedUID(uid, lang, exists); other != "" {
		return withQuery(c, prefix+other)
	}
	return ""
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
