package training

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math/rand/v2"
	"strconv"
	"strings"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
)

// Draw is the set of questions one attempt at a quiz asks, in the order the
// page shows them, signed so that a learner cannot choose their questions
// from a pool.
type Draw struct {
	Asked []string
	Sig   string
}

// List is the asked ids as the form carries them: comma-separated.
func (d Draw) List() string { return strings.Join(d.Asked, ",") }

// NewDraw picks the questions of a fresh attempt: every question in file
// order, or, when the quiz draws, that many at random.
func (s *Service) NewDraw(q *supportlab.Quiz) Draw {
	ids := questionIDs(q)
	if n := q.AskCount(); n < len(ids) {
		rand.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
		ids = ids[:n]
	}
	return s.signedDraw(q, ids)
}

func (s *Service) signedDraw(q *supportlab.Quiz, asked []string) Draw {
	d := Draw{Asked: asked}
	d.Sig = s.signAsked(q, d.List())
	return d
}

func (s *Service) signAsked(q *supportlab.Quiz, list string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte(q.UID + "\x00" + strconv.Itoa(q.Version) + "\x00" + list))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// questionIDs lists the ids of q's questions in file order.
func questionIDs(q *supportlab.Quiz) []string {
	ids := make([]string, len(q.Questions))
	for i, qq := range q.Questions {
		ids[i] = qq.ID
	}
	return ids
}

// QuizSubmission is a quiz form as sent: the signed draw, and the raw
// values of each q-<questionID> field by question id.
type QuizSubmission struct {
	Asked   string
	Sig     string
	Answers map[string][]string
}

// QuizOutcome is a graded quiz attempt. AttemptID is 0 when nothing was
// stored (an anonymous learner).
type QuizOutcome struct {
	Quiz      *supportlab.Quiz
	Result    *scoring.QuizResult
	AttemptID int64
	// Draw and Chosen are what the learner was asked and chose, kept when
	// the submission is refused so that the form comes back as it was.
	Draw   Draw
	Chosen map[string][]int
}

// SubmitQuiz grades a quiz form and, for a signed-in learner, stores the
// attempt (durably, before it returns). A submission that does not fit the
// quiz, or answers nothing at all, is an EINVALID error that stores
// nothing; the outcome then still holds the draw and the choices that
// could be read, for showing the form again.
func (s *Service) SubmitQuiz(ctx context.Context, actor *supportlab.User, uid string, sub QuizSubmission) (*QuizOutcome, error) {
	q, err := s.Quiz(uid)
	if err != nil {
		return nil, err
	}
	asked, answers, err := s.readAnswers(q, sub)
	out := &QuizOutcome{Quiz: q, Chosen: answers}
	if validAsked(q, asked) {
		out.Draw = s.signedDraw(q, asked)
	} else {
		out.Draw = s.NewDraw(q)
	}
	if err != nil {
		return out, err
	}
	if len(answers) == 0 {
		return out, supportlab.NewError(supportlab.EINVALID, "quiz.error.no_answer")
	}
	out.Result = scoring.GradeQuiz(q, asked, answers)
	if actor == nil {
		return out, nil
	}
	a := &supportlab.Attempt{
		UserID: actor.ID, Kind: supportlab.KindQuiz, UID: q.UID, Version: q.Version,
		Score: out.Result.Score, Passed: out.Result.Passed, At: s.cfg.Now().UTC(),
		Asked: asked, Answers: map[string][]int{}, Right: map[string]bool{},
	}
	for _, r := range out.Result.Questions {
		a.Answers[r.Question.ID] = r.Chosen
		a.Right[r.Question.ID] = r.Right
	}
	if err := s.cfg.Attempts.CreateAttempt(ctx, a); err != nil {
		return out, err
	}
	out.AttemptID = a.ID
	return out, nil
}

// readAnswers reads the asked set and the answers. Values must be choice
// numbers (file order) of questions of this attempt; anything else is an
// EINVALID error whose message names the question as the page numbered it.
// This is the only check of a quiz's answers: scoring trusts what it gets.
func (s *Service) readAnswers(q *supportlab.Quiz, sub QuizSubmission) ([]string, map[string][]int, error) {
	// Which questions were asked: all of them, or the draw the page signed.
	var asked []string
	drawn := q.AskCount() < len(q.Questions)
	if !drawn {
		asked = questionIDs(q)
	} else if sub.Asked != "" {
		if !hmac.Equal([]byte(s.signAsked(q, sub.Asked)), []byte(sub.Sig)) {
			return nil, nil, supportlab.NewError(supportlab.EINVALID, "quiz.error.draw_changed")
		}
		asked = strings.Split(sub.Asked, ",")
	}

	// Fields in question order, so that the message names the first problem.
	ids := make([]string, 0, len(sub.Answers))
	for id := range sub.Answers {
		ids = append(ids, id)
	}
	sortByQuiz(q, ids)
	answers := map[string][]int{}
	var bad error
	for _, id := range ids {
		question := q.Question(id)
		if question == nil {
			if bad == nil {
				bad = supportlab.NewError(supportlab.EINVALID, "quiz.error.unknown_question")
			}
			continue
		}
		for _, v := range sub.Answers[id] {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n >= len(question.Choices) {
				if bad == nil {
					bad = supportlab.NewError(supportlab.EINVALID, "quiz.error.not_a_choice", "Value", v, "N", shownNumber(q, asked, id))
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
			return nil, answers, supportlab.NewError(supportlab.EINVALID, "quiz.error.answer_all", "N", q.AskCount())
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
	if !validAsked(q, asked) {
		return asked, answers, supportlab.NewError(supportlab.EINVALID, "quiz.error.draw_changed")
	}
	isAsked := make(map[string]bool, len(asked))
	for _, id := range asked {
		isAsked[id] = true
	}
	for id := range answers {
		if !isAsked[id] {
			return asked, answers, supportlab.NewError(supportlab.EINVALID, "quiz.error.not_asked")
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
	for i, qq := range q.Questions {
		if qq.ID == id {
			return i + 1
		}
	}
	return 0
}

// validAsked reports whether asked is a set one page of q can ask: as many
// questions as the quiz asks, each a question of q, none twice.
func validAsked(q *supportlab.Quiz, asked []string) bool {
	if len(asked) != q.AskCount() {
		return false
	}
	seen := make(map[string]bool, len(asked))
	for _, id := range asked {
		if q.Question(id) == nil || seen[id] {
			return false
		}
		seen[id] = true
	}
	return true
}

// sortByQuiz orders question ids as the quiz file does.
func sortByQuiz(q *supportlab.Quiz, ids []string) {
	pos := make(map[string]int, len(q.Questions))
	for i, qq := range q.Questions {
		pos[qq.ID] = i
	}
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && pos[ids[j]] < pos[ids[j-1]]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}
