// Package scoring grades knowledge checks and scores sandbox requests. It is
// pure: no clock, no storage, no randomness, so that the rules in SPEC can be
// checked case by case and a result is the same every time it is computed.
package scoring

import (
	"slices"
	"strings"
	"unicode/utf8"

	"supportlab/app/supportlab"
)

// QuestionResult is the grading of one asked question.
type QuestionResult struct {
	Question *supportlab.Question
	Chosen   []int // choice indexes in file order, sorted
	Right    bool
}

// Answered reports whether the learner chose anything.
func (r QuestionResult) Answered() bool { return len(r.Chosen) > 0 }

// IsChosen reports whether choice i was chosen; templates use it.
func (r QuestionResult) IsChosen(i int) bool { return slices.Contains(r.Chosen, i) }

// QuizResult is a graded attempt.
type QuizResult struct {
	Quiz      *supportlab.Quiz
	Questions []QuestionResult // in the order asked
	Right     int
	Score     int
	Passed    bool
}

// GradeQuiz grades answers (choice indexes in file order, per question id)
// for the asked question ids. A question is right when exactly its correct
// choices are chosen; an unanswered question is wrong. Score is
// round(100 × right / asked); passed is score ≥ the quiz's pass mark.
// Several choices on a single-answer question are graded like any other
// set: wrong, since it is not exactly the right one.
//
// The caller has checked the input (training.Service reads the form): every
// asked id is a question of q. An index that is not a choice can only make
// its question wrong.
func GradeQuiz(q *supportlab.Quiz, asked []string, answers map[string][]int) *QuizResult {
	res := &QuizResult{Quiz: q}
	for _, id := range asked {
		question := q.Question(id)
		chosen := dedupe(answers[id])
		right := slices.Equal(chosen, question.Correct())
		if right {
			res.Right++
		}
		res.Questions = append(res.Questions, QuestionResult{Question: question, Chosen: chosen, Right: right})
	}
	res.Score = Percent(res.Right, len(asked))
	res.Passed = q.Passes(res.Score)
	return res
}

// Percent is round(100 × n / d) with halves rounded up, in integers so that
// no floating-point edge case can move a learner across the pass mark.
func Percent(n, d int) int {
	if d <= 0 {
		return 0
	}
	return (200*n + d) / (2 * d)
}

// dedupe returns the chosen indexes sorted, each once, without touching
// the caller's slice; nil when nothing was chosen.
func dedupe(xs []int) []int {
	if len(xs) == 0 {
		return nil
	}
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// Points of the sandbox score, as SPEC fixes them.
const (
	PointsInHouse         = 100
	PointsAction          = 20
	PointsSeverityExact   = 50
	PointsSeverityTooHigh = 20 // one level more severe than expected
	PointsSeverityTooLow  = 10 // one level milder than expected
	PointsProduct         = 20
	PointsDescription     = 10
	MinDescriptionRunes   = 30
)

// ScoreSandbox scores a service-request decision against a scenario's
// expectation. Only the parts the rules give points for are non-zero.
func ScoreSandbox(exp supportlab.Expectation, ans supportlab.SandboxAnswer) supportlab.SandboxParts {
	var p supportlab.SandboxParts
	if exp.Action == supportlab.ActionHandleInHouse {
		if ans.Action == supportlab.ActionHandleInHouse {
			p.Action = PointsInHouse
		}
		return p
	}
	if ans.Action != supportlab.ActionOpenRequest {
		return p
	}
	p.Action = PointsAction
	switch SeverityVerdict(exp, ans) {
	case SeverityExact:
		p.Severity = PointsSeverityExact
	case SeverityTooHigh:
		p.Severity = PointsSeverityTooHigh
	case SeverityTooLow:
		p.Severity = PointsSeverityTooLow
	}
	if ans.Product != "" && ans.Product == exp.Product {
		p.Product = PointsProduct
	}
	if DescriptionComplete(ans) {
		p.Description = PointsDescription
	}
	return p
}

// DescriptionComplete reports whether the request has a title and a
// description of at least MinDescriptionRunes characters.
func DescriptionComplete(ans supportlab.SandboxAnswer) bool {
	return strings.TrimSpace(ans.Title) != "" &&
		utf8.RuneCountInString(strings.TrimSpace(ans.Description)) >= MinDescriptionRunes
}

// Verdicts on a request's severity, as the result page explains them.
const (
	SeverityExact   = "exact"
	SeverityTooHigh = "too-high" // one level more severe than expected
	SeverityTooLow  = "too-low"  // one level milder than expected
	SeverityFar     = "far"      // two levels off
	SeverityMissing = "missing"  // a request without a severity
)

// SeverityVerdict compares the severity of a request with the expected
// one. It is "" when there is nothing to compare: the scenario or the
// learner keeps the problem in-house.
func SeverityVerdict(exp supportlab.Expectation, ans supportlab.SandboxAnswer) string {
	if exp.Action != supportlab.ActionOpenRequest || ans.Action != supportlab.ActionOpenRequest {
		return ""
	}
	got, want := supportlab.SeverityIndex(ans.Severity), supportlab.SeverityIndex(exp.Severity)
	switch {
	case got < 0:
		return SeverityMissing
	case got == want:
		return SeverityExact
	case got == want-1:
		return SeverityTooHigh
	case got == want+1:
		return SeverityTooLow
	}
	return SeverityFar
}

// MaxParts is the most each part can score for a scenario: an in-house
// scenario scores its decision only.
func MaxParts(exp supportlab.Expectation) supportlab.SandboxParts {
	if exp.Action == supportlab.ActionHandleInHouse {
		return supportlab.SandboxParts{Action: PointsInHouse}
	}
	return supportlab.SandboxParts{Action: PointsAction, Severity: PointsSeverityExact, Product: PointsProduct, Description: PointsDescription}
}
