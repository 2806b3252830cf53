package quizbank_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"supportlab/app/markdown"
	"supportlab/app/quizbank"
	"supportlab/app/supportlab"
)

// newBank returns an empty bank with plain renderers for both languages.
func newBank() *quizbank.Bank {
	rs := map[string]*markdown.Renderer{}
	for _, lang := range supportlab.Languages {
		rs[lang] = markdown.New(nil)
	}
	return quizbank.New(rs)
}

// validQuiz is a correct native quiz; the cases below change single lines
// so that the expected line numbers can be read off this listing.
var validQuiz = []string{
	/*  1 */ "uid: sample-check",
	/*  2 */ "title: Sample check",
	/*  3 */ "lang: en",
	/*  4 */ "passPercent: 80",
	/*  5 */ "draw: 0",
	/*  6 */ "questions:",
	/*  7 */ "- id: first",
	/*  8 */ `  content: "Who may file a service request?"`,
	/*  9 */ "  choices:",
	/* 10 */ `  - content: "An admin"`,
	/* 11 */ "    isCorrect: true",
	/* 12 */ `    explanation: "Only admins reach the admin center."`,
	/* 13 */ `  - content: "Any user"`,
	/* 14 */ "    isCorrect: false",
	/* 15 */ `    explanation: "Users ask their admin."`,
	/* 16 */ "- id: second",
	/* 17 */ `  content: "Which are Microsoft support's jobs?"`,
	/* 18 */ "  choices:",
	/* 19 */ `  - content: "Coordinate the problem"`,
	/* 20 */ "    isCorrect: true",
	/* 21 */ `    explanation: "Support coordinates."`,
	/* 22 */ `  - content: "Troubleshoot escalations"`,
	/* 23 */ "    isCorrect: true",
	/* 24 */ `    explanation: "Support troubleshoots."`,
	/* 25 */ `  - content: "Create user accounts"`,
	/* 26 */ "    isCorrect: false",
	/* 27 */ `    explanation: "That is the admin's job."`,
}

// edited returns validQuiz with lines replaced (1-based); a replacement of
// "" blanks the line out with a comment so that later lines keep their
// numbers. extra lines are appended at the end.
func edited(repl map[int]string, extra ...string) string {
	lines := append([]string(nil), validQuiz...)
	for n, l := range repl {
		if l == "" {
			l = "# removed"
		}
		lines[n-1] = l
	}
	lines = append(lines, extra...)
	return strings.Join(lines, "\n") + "\n"
}

// moreChoices returns n extra wrong choices for the last question.
func moreChoices(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out,
			fmt.Sprintf(`  - content: "Extra %d"`, i),
			"    isCorrect: false",
			`    explanation: "No."`)
	}
	return out
}

func problemLines(ps supportlab.Problems) []string {
	ps.Sort()
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func TestParseQuizReportsProblemsWithLines(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"misspelt field", edited(map[int]string{11: "    iscorrect: true"}),
			[]string{`q.yml:11: unknown field "iscorrect" (did you mean "isCorrect"?)`}},
		{"unknown field close to a known one", edited(map[int]string{5: "drawn: 2"}),
			[]string{`q.yml:5: unknown field "drawn" (did you mean "draw"?)`}},
		{"unknown field far from any known one", edited(map[int]string{5: "difficulty: 2"}),
			[]string{`q.yml:5: unknown field "difficulty"`}},
		{"missing uid", edited(map[int]string{1: ""}),
			[]string{`q.yml:2: uid is required`}},
		{"bad uid characters", edited(map[int]string{1: "uid: Sample_Check"}),
			[]string{`q.yml:1: uid "Sample_Check" may only hold lower-case letters, digits, dots and dashes`}},
		{"uid with dots in a native file", edited(map[int]string{1: "uid: learn.sample.check"}), nil}, // SPEC: [a-z0-9.-]+
		{"upper-case uid with dots", edited(map[int]string{1: "uid: Learn.Sample"}),
			[]string{`q.yml:1: uid "Learn.Sample" may only hold lower-case letters, digits, dots and dashes`}},
		{"uid of dots only", edited(map[int]string{1: `uid: ".."`}),
			[]string{`q.yml:1: uid ".." needs at least one letter or digit`}},
		{"missing title", edited(map[int]string{2: ""}),
			[]string{`q.yml:1: title is required`}},
		{"bad lang", edited(map[int]string{3: "lang: de"}),
			[]string{`q.yml:3: lang must be en or fr, not "de"`}},
		{"missing lang", edited(map[int]string{3: ""}),
			[]string{`q.yml:1: lang must be en or fr, not ""`}},
		{"one choice", edited(map[int]string{13: "", 14: "", 15: ""}),
			[]string{`q.yml:10: question "first" needs 2 to 8 choices, not 1`}},
		{"nine choices", edited(nil, moreChoices(6)...),
			[]string{`q.yml:19: question "second" needs 2 to 8 choices, not 9`}},
		{"eight choices are fine", edited(nil, moreChoices(5)...), nil},
		{"no correct choice", edited(map[int]string{11: "    isCorrect: false"}),
			[]string{`q.yml:10: question "first" has no correct choice (set isCorrect: true on at least one)`}},
		{"choice without explanation", edited(map[int]string{15: ""}),
			[]string{`q.yml:13: question "first", choice 2 has no explanation`}},
		{"choice without content", edited(map[int]string{13: `  - isCorrect: false`, 14: ""}),
			[]string{`q.yml:13: question "first", choice 2 has no content`}},
		{"question without id", edited(map[int]string{7: "- content: \"Who may file a service request?\"", 8: ""}),
			[]string{`q.yml:7: question 1 has no id`}},
		{"question without content", edited(map[int]string{8: ""}),
			[]string{`q.yml:7: question "first" has no content`}},
		{"duplicate question id", edited(map[int]string{16: "- id: first"}),
			[]string{`q.yml:16: question id "first" is already used on line 7`}},
		{"bad question id", edited(map[int]string{16: "- id: Second Q"}),
			[]string{`q.yml:16: question id "Second Q" may only hold lower-case letters, digits and dashes`}},
		{"draw larger than the pool", edited(map[int]string{5: "draw: 3"}),
			[]string{`q.yml:5: draw must be between 0 and the number of questions (2), not 3`}},
		{"negative draw", edited(map[int]string{5: "draw: -1"}),
			[]string{`q.yml:5: draw must be between 0 and the number of questions (2), not -1`}},
		{"passPercent 120", edited(map[int]string{4: "passPercent: 120"}),
			[]string{`q.yml:4: passPercent must be between 0 and 100, not 120`}},
		{"no questions", strings.Join(validQuiz[:5], "\n") + "\nquestions: []\n",
			[]string{`q.yml:6: a quiz needs at least one question`}},
		{"YAML syntax error", edited(map[int]string{11: "\tisCorrect: true"}),
			[]string{`q.yml:11: found character that cannot start any token`}},
		{"unclosed bracket", edited(map[int]string{2: "title: [Sample check"}),
			[]string{`q.yml:2: did not find expected ',' or ']'`}},
		{"bad indentation", edited(map[int]string{9: " choices:"}),
			[]string{`q.yml:9: did not find expected key`}},
		{"type error", edited(map[int]string{5: `draw: "x"`}),
			[]string{`q.yml:5: expected a whole number, not "x"`}},
		{"list where text goes", edited(map[int]string{2: "title: [a, b]"}),
			[]string{`q.yml:2: expected text, not a list`}},
		{"choices not a list", edited(map[int]string{9: "  choices: many", 10: "", 11: "", 12: "", 13: "", 14: "", 15: ""}),
			[]string{`q.yml:9: expected a list, not "many"`}},
		{"field given twice", edited(map[int]string{5: "title: Again"}),
			[]string{`q.yml:5: field "title" appears twice`}},
		{"alias", edited(map[int]string{2: "title: &t Sample check", 17: "  content: *t"}),
			[]string{`q.yml:17: aliases (*t) are not supported: write the value out`}},
		{"empty file", "", []string{`q.yml:1: file is empty`}},
		{"not a mapping", "- a\n- b\n", []string{`q.yml:1: expected a mapping of fields (uid, title, …) at the top of the file`}},
		{"several problems at once", edited(map[int]string{3: "lang: de", 4: "passPercent: 120", 15: ""}),
			[]string{
				`q.yml:3: lang must be en or fr, not "de"`,
				`q.yml:4: passPercent must be between 0 and 100, not 120`,
				`q.yml:13: question "first", choice 2 has no explanation`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, ps := newBank().ParseQuiz("q.yml", []byte(tt.src))
			got := problemLines(ps)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(tt.want) > 0 && q != nil {
				t.Errorf("a file with problems gave a quiz: %+v", q)
			}
			if len(tt.want) == 0 && q == nil {
				t.Errorf("a valid file gave no quiz")
			}
		})
	}
}

func TestParseQuizNative(t *testing.T) {
	q, ps := newBank().ParseQuiz("q.yml", []byte(edited(nil)))
	if ps != nil {
		t.Fatal(ps)
	}
	if q.UID != "sample-check" || q.Title != "Sample check" || q.Lang != "en" || q.PassPercent != 80 || q.Path != "q.yml" {
		t.Errorf("quiz = %+v", q)
	}
	if len(q.Questions) != 2 || q.Questions[0].ID != "first" || q.Questions[1].ID != "second" {
		t.Fatalf("questions = %+v", q.Questions)
	}
	if q.Questions[0].Multiple() || !q.Questions[1].Multiple() {
		t.Errorf("first should be single-answer and second multiple-answer")
	}
	if got := fmt.Sprint(q.Questions[1].Correct()); got != "[0 1]" {
		t.Errorf("correct choices of second = %s, want [0 1]", got)
	}
	if q.Hash == "" {
		t.Error("no hash")
	}

	noPass, ps := newBank().ParseQuiz("q.yml", []byte(edited(map[int]string{4: ""})))
	if ps != nil {
		t.Fatal(ps)
	}
	if noPass.PassPercent != 80 { // SPEC: passPercent is optional, default 80
		t.Errorf("default passPercent = %d, want 80", noPass.PassPercent)
	}
	if noPass.Hash != q.Hash {
		t.Error("leaving out the default passPercent changed the hash, which would make a new version")
	}
}

func TestQuizHashFollowsGradedContent(t *testing.T) {
	parse := func(repl map[int]string, path string) string {
		t.Helper()
		q, ps := newBank().ParseQuiz(path, []byte(edited(repl)))
		if ps != nil {
			t.Fatal(ps)
		}
		return q.Hash
	}
	base := parse(nil, "a.yml")
	tests := []struct {
		name string
		repl map[int]string
		path string
		same bool
	}{
		{"other path", nil, "elsewhere/b.yml", true},
		{"default draw left out", map[int]string{5: "# a comment"}, "a.yml", true},
		{"answer key changed", map[int]string{14: "    isCorrect: true"}, "a.yml", false},
		{"explanation edited", map[int]string{12: `    explanation: "Reworded."`}, "a.yml", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parse(tt.repl, tt.path); (got == base) != tt.same {
				t.Errorf("hash equal = %v, want %v", got == base, tt.same)
			}
		})
	}
}

// learnUnit is a Microsoft Learn ModuleUnit file, as a trainer would paste it.
const learnUnit = `### YamlMime:ModuleUnit
uid: learn.m365.sample.knowledge-check
metadata:
  title: Knowledge check
  description: A check.
  ms.date: 01/01/2026
  author: someone
  ms.topic: unit
title: Knowledge check
durationInMinutes: 3
content: |
  [!include[](includes/6-knowledge-check.md)]
quiz:
  title: Check your knowledge
  questions:
  - content: "Who files the request?"
    choices:
    - content: "The admin"
      isCorrect: true
      explanation: "Yes."
    - content: "Any user"
      isCorrect: false
      explanation: "No."
  - content: "Which severity when mail is down for everyone?"
    choices:
    - content: "A"
      isCorrect: true
      explanation: "Critical."
    - content: "C"
      isCorrect: false
      explanation: "Too mild."
`

func TestParseQuizLearnUnit(t *testing.T) {
	q, ps := newBank().ParseQuiz("learn.yml", []byte(learnUnit))
	if ps != nil {
		t.Fatal(ps)
	}
	if q.UID != "learn.m365.sample.knowledge-check" {
		t.Errorf("uid = %q, want the Learn uid with its dots", q.UID)
	}
	if q.Title != "Knowledge check" || q.Lang != "en" || q.PassPercent != 80 { // SPEC's default pass mark
		t.Errorf("quiz = %+v", q)
	}
	var ids []string
	for _, qq := range q.Questions {
		ids = append(ids, qq.ID)
	}
	if strings.Join(ids, ",") != "q1,q2" {
		t.Errorf("question ids = %v, want q1,q2", ids)
	}

	fr, ps := newBank().ParseQuiz("learn.yml", []byte(strings.Replace(learnUnit, "\ntitle: Knowledge check\n", "\ntitle: Knowledge check\nlang: fr\n", 1)))
	if ps != nil {
		t.Fatal(ps)
	}
	if fr.Lang != "fr" {
		t.Errorf("lang = %q, want fr from the file", fr.Lang)
	}

	// The same file with a BOM and Windows line ends is still a Learn unit.
	crlf := "\ufeff" + strings.ReplaceAll(learnUnit, "\n", "\r\n")
	if _, ps := newBank().ParseQuiz("learn.yml", []byte(crlf)); ps != nil {
		t.Errorf("BOM + CRLF: %v", ps)
	}
}

func TestParseQuizLearnUnitProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"without quiz", strings.SplitAfter(learnUnit, "quiz:\n")[0][:strings.Index(learnUnit, "quiz:\n")],
			[]string{`learn.yml:1: a Learn unit needs a top-level "quiz:" to be imported as a quiz`}},
		{"misspelt field in quiz", strings.Replace(learnUnit, "      isCorrect: true\n      explanation: \"Yes.\"", "      IsCorrect: true\n      explanation: \"Yes.\"", 1),
			[]string{`learn.yml:19: unknown field "IsCorrect" (did you mean "isCorrect"?)`}},
		{"unknown top-level field", strings.Replace(learnUnit, "durationInMinutes: 3", "durationInMinute: 3", 1),
			[]string{`learn.yml:10: unknown field "durationInMinute" (did you mean "durationInMinutes"?)`}},
		{"bad uid", strings.Replace(learnUnit, "uid: learn.m365", "uid: Learn..m365", 1),
			[]string{`learn.yml:2: uid "Learn..m365.sample.knowledge-check" may only hold lower-case letters, digits, dots and dashes`}},
		{"choice without explanation", strings.Replace(learnUnit, "      explanation: \"Too mild.\"\n", "", 1),
			[]string{`learn.yml:29: question "q2", choice 2 has no explanation`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, ps := newBank().ParseQuiz("learn.yml", []byte(tt.src))
			got := problemLines(ps)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if q != nil {
				t.Errorf("got a quiz from a bad file")
			}
		})
	}
}

func TestLoadAcrossFiles(t *testing.T) {
	good := edited(nil)
	other := edited(map[int]string{1: "uid: other-check"})
	tests := []struct {
		name  string
		files fstest.MapFS
		want  []string
	}{
		{"uid used by two files", fstest.MapFS{
			"a.yml":  {Data: []byte(good)},
			"b.yaml": {Data: []byte("# a copy\n" + good)},
		}, []string{`quizzes/b.yaml:2: uid "sample-check" is already used by quizzes/a.yml`}},
		{"scenario uid used by two files", fstest.MapFS{
			"a.yml":              {Data: []byte(good)},
			"scenarios/one.yml":  {Data: []byte(validScenario)},
			"scenarios/two.yml":  {Data: []byte(validScenario)},
			"scenarios/notes.md": {Data: []byte("not a scenario")},
		}, []string{`quizzes/scenarios/two.yml:1: uid "tenant-wide-mail-outage" is already used by quizzes/scenarios/one.yml`}},
		{"a bad file among good ones", fstest.MapFS{
			"a.yml": {Data: []byte(good)},
			"b.yml": {Data: []byte(other)},
			"c.yml": {Data: []byte(edited(map[int]string{1: "uid: third", 11: "    iscorrect: true"}))},
		}, []string{`quizzes/c.yml:11: unknown field "iscorrect" (did you mean "isCorrect"?)`}},
		{"a bad scenario among good quizzes", fstest.MapFS{
			"a.yml":             {Data: []byte(good)},
			"scenarios/bad.yml": {Data: []byte(strings.Replace(validScenario, "severity: A", "severity: D", 1))},
		}, []string{`quizzes/scenarios/bad.yml:8: expect.severity must be A, B or C, not "D"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBank()
			err := b.Load(tt.files, "quizzes")
			var ps supportlab.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load = %v, want problems", err)
			}
			if got := strings.Join(problemLines(ps), "\n"); got != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
			// Nothing half-loads: not even the good files of the set.
			if qs, ss := b.Quizzes(""), b.Scenarios(""); len(qs) != 0 || len(ss) != 0 {
				t.Errorf("bank holds %d quizzes and %d scenarios after a failed load", len(qs), len(ss))
			}
			if _, err := b.Quiz("sample-check"); supportlab.ErrorCode(err) != supportlab.ENOTFOUND {
				t.Errorf("Quiz(sample-check) after a failed load: %v", err)
			}
		})
	}
}

func TestLoadGoodSet(t *testing.T) {
	b := newBank()
	files := fstest.MapFS{
		"b.yml":             {Data: []byte(edited(map[int]string{1: "uid: other-check", 3: "lang: fr"}))},
		"a.yml":             {Data: []byte(edited(nil))},
		"learn.yml":         {Data: []byte(learnUnit)},
		"README.md":         {Data: []byte("ignored")},
		"scenarios/one.yml": {Data: []byte(validScenario)},
	}
	if err := b.Load(files, "quizzes"); err != nil {
		t.Fatal(err)
	}
	var uids []string
	for _, q := range b.Quizzes("") {
		uids = append(uids, q.UID)
	}
	if got := strings.Join(uids, " "); got != "learn.m365.sample.knowledge-check other-check sample-check" {
		t.Errorf("quizzes = %s", got)
	}
	if fr := b.Quizzes("fr"); len(fr) != 1 || fr[0].UID != "other-check" {
		t.Errorf("Quizzes(fr) = %v", fr)
	}
	q, err := b.Quiz("sample-check")
	if err != nil || q.Path != "quizzes/a.yml" {
		t.Errorf("Quiz(sample-check) = %+v, %v", q, err)
	}
	if _, err := b.Quiz("nope"); supportlab.ErrorCode(err) != supportlab.ENOTFOUND {
		t.Errorf("Quiz(nope) = %v, want not found", err)
	}
	if s, err := b.Scenario("tenant-wide-mail-outage"); err != nil || s.Path != "quizzes/scenarios/one.yml" {
		t.Errorf("Scenario = %+v, %v", s, err)
	}
	if _, err := b.Scenario("nope"); supportlab.ErrorCode(err) != supportlab.ENOTFOUND {
		t.Errorf("Scenario(nope) = %v, want not found", err)
	}
}

func TestLoadMissingFolder(t *testing.T) {
	err := newBank().Load(fstest.MapFS{}, "quizzes")
	if err != nil {
		t.Fatalf("an empty folder is an empty bank, got %v", err)
	}
}

// A question may keep its choices in file order in a shuffled quiz (SPEC:
// shuffle per question), for ordered scales such as A, B, C.
func TestQuestionShuffleOverridesTheQuiz(t *testing.T) {
	src := `uid: scale
title: Scale
lang: en
shuffle: true
questions:
- id: ordered
  content: Which level?
  shuffle: false
  choices:
  - content: A
    isCorrect: true
    explanation: e
  - content: B
    explanation: e
- id: free
  content: Which one?
  choices:
  - content: x
    isCorrect: true
    explanation: e
  - content: y
    explanation: e
`
	q, ps := newBank().ParseQuiz("scale.yml", []byte(src))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if q.Shuffles(q.Questions[0]) || !q.Shuffles(q.Questions[1]) {
		t.Fatalf("ordered shuffles %v, free shuffles %v; want false, true", q.Shuffles(q.Questions[0]), q.Shuffles(q.Questions[1]))
	}
}
