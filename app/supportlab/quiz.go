package supportlab

import (
	"html/template"
	"regexp"
	"slices"
	"strings"
)

// Languages SupportLab teaches in. Lessons, quizzes and the interface exist in
// each; English is the fallback when nothing else says which to use.
var Languages = []string{"en", "fr"}

// DefaultPassPercent is the pass mark of a quiz whose file does not set one,
// the same as Microsoft Learn's knowledge checks.
const DefaultPassPercent = 80

// SlugPattern is what question ids and module slugs look like: question ids
// name form fields (q-<id>) and module slugs are folder names and URL parts,
// so they are kept to lower-case ASCII, digits and single dashes.
var SlugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// UIDPattern is what the uid of a quiz or scenario looks like (SPEC:
// [a-z0-9.-]+): dots are allowed because Microsoft Learn's uids have them
// ("learn.wwl.get-help.knowledge-check"), and a uid is only ever a whole
// URL segment (/quiz/<uid>), where dots and dashes need no escaping.
var UIDPattern = regexp.MustCompile(`^[a-z0-9.-]+$`)

// ValidUID reports whether uid may name a quiz or scenario: UIDPattern, with
// at least one letter or digit, so that "." and ".." (which a browser
// resolves away as a path segment) can never be a uid.
func ValidUID(uid string) bool {
	return UIDPattern.MatchString(uid) && strings.Trim(uid, ".-") != ""
}

// ValidLanguage reports whether lang is one SupportLab has content for.
func ValidLanguage(lang string) bool { return slices.Contains(Languages, lang) }

// Quiz is a knowledge check as loaded from a quiz file. Markdown has already
// been rendered (once, at load) into the HTML fields.
type Quiz struct {
	UID         string
	Title       string
	Lang        string
	Module      string // lesson module it belongs to, "" if none
	PassPercent int
	Shuffle     bool // show choices in random order
	Draw        int  // ask this many random questions; 0 asks all
	// NoExplanations is set when no choice of the quiz has an explanation,
	// because its file's format has none (Aiken) or the file gave none
	// (GIFT without feedback): the pages say so instead of showing blank
	// explanations. In GIFT, some choices may lack one even when it is false.
	NoExplanations bool
	Questions      []*Question
	Path           string // file it came from, for messages
	Hash           string // digest of the graded content; a change makes a new version
	Version        int    // version number the database gave Hash
}

// Question is one question of a quiz. Its ID is stable across edits so that
// saved answers keep meaning the same question.
type Question struct {
	ID          string
	Content     string
	ContentHTML template.HTML
	Choices     []*Choice
	// Shuffle, when set, overrides the quiz's shuffle for this question:
	// an ordered scale (A, B, C) keeps its order in a shuffled quiz.
	Shuffle *bool
}

// Choice is one possible answer, with the explanation shown after grading.
type Choice struct {
	Content         string
	ContentHTML     template.HTML
	IsCorrect       bool
	Explanation     string
	ExplanationHTML template.HTML
}

// Multiple reports whether the question has several right choices, in which
// case the page shows check boxes instead of radio buttons.
func (q *Question) Multiple() bool {
	n := 0
	for _, c := range q.Choices {
		if c.IsCorrect {
			n++
		}
	}
	return n > 1
}

// Correct returns the indexes, in file order, of the right choices.
func (q *Question) Correct() []int {
	var idx []int
	for i, c := range q.Choices {
		if c.IsCorrect {
			idx = append(idx, i)
		}
	}
	return idx
}

// Question returns the question with the given id, or nil.
func (q *Quiz) Question(id string) *Question {
	for _, qq := range q.Questions {
		if qq.ID == id {
			return qq
		}
	}
	return nil
}

// AskCount is how many questions one attempt asks.
func (q *Quiz) AskCount() int {
	if q.Draw > 0 && q.Draw < len(q.Questions) {
		return q.Draw
	}
	return len(q.Questions)
}

// Shuffles reports whether the page shows question's choices in random
// order: the question's own setting, else the quiz's.
func (q *Quiz) Shuffles(question *Question) bool {
	if question.Shuffle != nil {
		return *question.Shuffle
	}
	return q.Shuffle
}

// Passes reports whether score reaches the quiz's pass mark: the one rule
// for a passed attempt, a badge and the dashboard.
func (q *Quiz) Passes(score int) bool { return score >= q.PassPercent }
