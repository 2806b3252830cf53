package quizbank_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"supportlab/app/markdown"
	"supportlab/app/quizbank"
	"supportlab/app/supportlab"
)

func uploadBank() *quizbank.Bank {
	r := markdown.New(nil)
	return quizbank.New(map[string]*markdown.Renderer{"en": r, "fr": r})
}

const giftSample = `// A comment line, then a category
$CATEGORY: support

::Who files:: Who may submit a service request to Microsoft? {
=An admin of the tenant#Only admin roles reach the admin center.
~Any user#Users go through their admin.
~A Microsoft partner without an admin role
}

::Severity of an outage::Mail is down for the whole company. Which severity fits? {
~%100%A — critical#Several users, service unusable.
~%-50%B — high#Not for an outage.
~%-50%C — non-critical
}

Microsoft assigns the severity when it opens the case. {T#It does, from the kind of problem and the impact.}

::Pick two:: Which are the admin's? {
~%50%Account setup
~%50%Client connectivity
~%-100%Coordinating the resolution
}
`

func TestParseGIFT(t *testing.T) {
	up, ps := uploadBank().ParseUpload("support.gift", []byte(giftSample), quizbank.ImportMeta{Lang: "en"})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	q := up.Quiz
	if up.Format != quizbank.FormatGIFT || q.UID != "support" || q.Title != "support" || q.Lang != "en" {
		t.Fatalf("format %s uid %q title %q lang %q", up.Format, q.UID, q.Title, q.Lang)
	}
	tests := []struct {
		id       string
		choices  int
		correct  []int
		multiple bool
		expl0    string
	}{
		{"who-files", 3, []int{0}, false, "Only admin roles reach the admin center."},
		{"severity-of-an-outage", 3, []int{0}, false, "Several users, service unusable."},
		// {T#feedback}: Moodle shows a single feedback for the wrong answer.
		{"q3", 2, []int{0}, false, ""},
		{"pick-two", 3, []int{0, 1}, true, ""},
	}
	if len(q.Questions) != len(tests) {
		t.Fatalf("%d questions, want %d", len(q.Questions), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			qq := q.Questions[i]
			if qq.ID != tt.id || len(qq.Choices) != tt.choices || qq.Multiple() != tt.multiple {
				t.Fatalf("got id %q, %d choices, multiple %v", qq.ID, len(qq.Choices), qq.Multiple())
			}
			if got := qq.Correct(); !slices.Equal(got, tt.correct) {
				t.Fatalf("correct %v, want %v", got, tt.correct)
			}
			if qq.Choices[0].Explanation != tt.expl0 {
				t.Fatalf("explanation %q, want %q", qq.Choices[0].Explanation, tt.expl0)
			}
		})
	}
	if got := q.Questions[1].Choices[2].Explanation; got != "" {
		t.Fatalf("missing feedback filled with %q, want none", got)
	}
	if got := q.Questions[2].Choices[1].Explanation; got != "It does, from the kind of problem and the impact." {
		t.Fatalf("false choice of {T#feedback} explained %q, want the feedback", got)
	}
	if q.NoExplanations {
		t.Fatal("a GIFT quiz with feedback is marked NoExplanations")
	}
}

func TestParseGIFTProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"no answer block", "Just a statement.\n", "q.gift:1: question has no answer block"},
		{"unclosed block", "Question {\n=a\n~b\n", "q.gift:1: answer block is not closed"},
		{"short answer", "\n\nName the portal. {=admin center =Microsoft 365 admin center}\n", "q.gift:3: short-answer questions"},
		{"matching", "Match {\n=a -> 1\n=b -> 2\n}\n", "q.gift:2: matching questions"},
		{"one choice", "Q {\n=only\n~\n}\n", "has no content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := uploadBank().ParseUpload("q.gift", []byte(tt.src), quizbank.ImportMeta{Lang: "en"})
			if !strings.Contains(ps.Error(), tt.want) {
				t.Fatalf("problems:\n%v\nwant one containing %q", ps, tt.want)
			}
		})
	}
}

const aikenSample = `Who assigns the severity of a case?
A. The admin who files it
B. Microsoft, when it opens the case
C. The affected user
ANSWER: B

Which of these are the admin's job?
A) Client connectivity
B) Coordinating the resolution
C) Account setup
ANSWER: A, C
`

func TestParseAiken(t *testing.T) {
	up, ps := uploadBank().ParseUpload("roles.txt", []byte(aikenSample), quizbank.ImportMeta{UID: "roles-aiken", Title: "Roles", Lang: "en"})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	q := up.Quiz
	if up.Format != quizbank.FormatAiken || q.UID != "roles-aiken" || q.Title != "Roles" || len(q.Questions) != 2 {
		t.Fatalf("format %s uid %q title %q %d questions", up.Format, q.UID, q.Title, len(q.Questions))
	}
	if c := q.Questions[0].Correct(); len(c) != 1 || c[0] != 1 {
		t.Fatalf("question 1 correct %v", c)
	}
	if c := q.Questions[1].Correct(); len(c) != 2 || c[0] != 0 || c[1] != 2 {
		t.Fatalf("question 2 correct %v", c)
	}
	for _, qq := range q.Questions {
		for _, c := range qq.Choices {
			if c.Explanation != "" || c.ExplanationHTML != "" {
				t.Fatalf("Aiken choice %q explained %q: Aiken has no explanations", c.Content, c.Explanation)
			}
		}
	}
	if !q.NoExplanations {
		t.Fatal("an Aiken quiz is not marked NoExplanations")
	}
}

func TestParseAikenProblems(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"answer names no choice", "Q?\nA. x\nB. y\nANSWER: D\n", "a.txt:4: ANSWER D names no choice"},
		{"missing answer", "Q?\nA. x\nB. y\n", "a.aiken:1: question \"Q?\" has no ANSWER: line"},
		{"stray line", "Q?\nA. x\nnot a choice\nANSWER: A\n", "a.txt:3: expected a choice"},
		{"one choice", "Q?\nA. x\nANSWER: A\n", "a.txt:1: question \"q1\" needs 2 to 8 choices, not 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "a.txt"
			if strings.HasPrefix(tt.want, "a.aiken") {
				name = "a.aiken"
			}
			_, ps := uploadBank().ParseUpload(name, []byte(tt.src), quizbank.ImportMeta{Lang: "en"})
			if !strings.Contains(ps.Error(), tt.want) {
				t.Fatalf("problems:\n%v\nwant one containing %q", ps, tt.want)
			}
		})
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		name, file, src, want string
	}{
		{"gift by extension", "x.gift", "Q {=a ~b}", quizbank.FormatGIFT},
		{"aiken by extension", "x.aiken", "Q\nA. a\nANSWER: A", quizbank.FormatAiken},
		{"aiken in a text file", "x.txt", "Q\nA. a\nB. b\nANSWER: A", quizbank.FormatAiken},
		{"gift in a text file", "x.txt", "Q {=a ~b}", quizbank.FormatGIFT},
		{"learn unit", "u.yml", "### YamlMime:ModuleUnit\nuid: a.b\n", quizbank.FormatLearn},
		{"scenario", "s.yml", "uid: s\nsituation: x\n", quizbank.FormatScenario},
		{"quiz", "q.yaml", "uid: q\nquestions: []\n", quizbank.FormatQuiz},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quizbank.DetectFormat(tt.file, []byte(tt.src)); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestUploadUIDOverridesYAML(t *testing.T) {
	src := `uid: original
title: T
lang: en
questions:
- id: a
  content: Q
  choices:
  - content: x
    isCorrect: true
    explanation: e
  - content: y
    explanation: e
`
	b := uploadBank()
	up, ps := b.ParseUpload("q.yml", []byte(src), quizbank.ImportMeta{UID: "renamed", Lang: "en"})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	orig, _ := b.ParseUpload("q.yml", []byte(src), quizbank.ImportMeta{Lang: "en"})
	if up.Quiz.UID != "renamed" || orig.Quiz.UID != "original" || up.Quiz.Hash == orig.Quiz.Hash {
		t.Fatalf("uid %q / %q, hashes equal %v", up.Quiz.UID, orig.Quiz.UID, up.Quiz.Hash == orig.Quiz.Hash)
	}
	item, _ := b.ParseImport("q.yml", []byte(src), supportlab.ImportMeta{UID: "renamed", Lang: "en"})
	if !b.Publish(item) {
		t.Fatal("Publish refused a new uid")
	}
	if q, err := b.Quiz("renamed"); err != nil || q.Title != "T" {
		t.Fatalf("Publish did not make the quiz available: %v", err)
	}
	if _, err := b.Quiz("original"); supportlab.ErrorCode(err) != supportlab.ENOTFOUND {
		t.Fatalf("original uid should not exist, err %v", err)
	}
}

func TestParseGIFTWithoutBlankLines(t *testing.T) {
	src := "::a:: First? {\n=yes\n~no\n}\n::b:: Second? {=right ~wrong}\n::c:: Third? {\n~x\n=y\n}\n"
	up, ps := uploadBank().ParseUpload("q.gift", []byte(src), quizbank.ImportMeta{Lang: "en"})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if n := len(up.Quiz.Questions); n != 3 {
		t.Fatalf("%d questions, want 3", n)
	}
	if q := up.Quiz.Questions[1]; q.ID != "b" || q.Content != "Second?" || len(q.Choices) != 2 {
		t.Fatalf("second question: %q %q %d choices", q.ID, q.Content, len(q.Choices))
	}
}

// Of two versions published in either order, the newer one stays live.
func TestPublishKeepsTheNewestVersion(t *testing.T) {
	src := "uid: race\ntitle: T%d\nlang: en\nquestions:\n- id: a\n  content: Q\n  choices:\n  - content: x\n    isCorrect: true\n    explanation: e\n  - content: y\n    explanation: e\n"
	for _, tc := range []struct {
		name  string
		order []int
	}{
		{"older then newer", []int{1, 2}},
		{"newer then older", []int{2, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := uploadBank()
			for _, v := range tc.order {
				item, ps := b.ParseImport("q.yml", []byte(fmt.Sprintf(src, v)), supportlab.ImportMeta{Lang: "en"})
				if len(ps) > 0 {
					t.Fatal(ps)
				}
				item.SetVersion(v)
				b.Publish(item)
			}
			q, err := b.Quiz("race")
			if err != nil || q.Version != 2 || q.Title != "T2" {
				t.Fatalf("live: %+v, %v; want version 2 titled T2", q, err)
			}
		})
	}
}
