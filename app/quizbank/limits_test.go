package quizbank_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"supportlab/app/quizbank"
	"supportlab/app/supportlab"
)

// Files of n questions in each format, every question on a fixed number of
// lines so that the line of question 201 can be read off the listing.

// yamlQuestions: a 4-line header, then 8 lines a question: question k
// starts on line 8k-3 (question 201 on line 1605).
func yamlQuestions(n int) string {
	var b strings.Builder
	b.WriteString("uid: big\ntitle: Big\nlang: en\nquestions:\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "- id: q%d\n  content: Q%d\n  choices:\n  - content: a\n    isCorrect: true\n    explanation: e\n  - content: b\n    explanation: e\n", k, k)
	}
	return b.String()
}

// learnQuestions: a 6-line header, then 7 lines a question: question k
// starts on line 7k (question 201 on line 1407).
func learnQuestions(n int) string {
	var b strings.Builder
	b.WriteString("### YamlMime:ModuleUnit\nuid: learn.big\ntitle: Big\nquiz:\n  title: Check\n  questions:\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "  - content: Q%d\n    choices:\n    - content: a\n      isCorrect: true\n      explanation: e\n    - content: b\n      explanation: e\n", k)
	}
	return b.String()
}

// giftQuestions: 2 lines a question: question k on line 2k-1 (201 on 401).
func giftQuestions(n int) string {
	var b strings.Builder
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "Q%d? {=a ~b}\n\n", k)
	}
	return b.String()
}

// aikenQuestions: 5 lines a question: question k on line 5k-4 (201 on 1001).
func aikenQuestions(n int) string {
	var b strings.Builder
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "Q%d?\nA. a\nB. b\nANSWER: A\n\n", k)
	}
	return b.String()
}

// SPEC: at most 200 questions a quiz; a larger file is refused whole.
func TestQuestionLimit(t *testing.T) {
	tests := []struct {
		name, file string
		src        func(int) string
		want201    string
	}{
		{"native YAML", "big.yml", yamlQuestions,
			`big.yml:1605: a quiz may have at most 200 questions, not 201 (this is question 201)`},
		{"Learn unit", "big.yml", learnQuestions,
			`big.yml:1407: a quiz may have at most 200 questions, not 201 (this is question 201)`},
		{"GIFT", "big.gift", giftQuestions,
			`big.gift:401: a quiz may have at most 200 questions, not 201 (this is question 201)`},
		{"Aiken", "big.aiken", aikenQuestions,
			`big.aiken:1001: a quiz may have at most 200 questions, not 201 (this is question 201)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, ps := newBank().ParseUpload(tt.file, []byte(tt.src(200)), quizbank.ImportMeta{UID: "big", Lang: "en"})
			if len(ps) > 0 {
				t.Fatalf("200 questions: %v", ps)
			}
			if n := len(up.Quiz.Questions); n != 200 {
				t.Fatalf("200 questions read as %d", n)
			}
			up, ps = newBank().ParseUpload(tt.file, []byte(tt.src(201)), quizbank.ImportMeta{UID: "big", Lang: "en"})
			if got := strings.Join(problemLines(ps), "\n"); got != tt.want201 {
				t.Errorf("201 questions:\n%s\nwant:\n%s", got, tt.want201)
			}
			if up.Quiz != nil {
				t.Error("a quiz of 201 questions was loaded")
			}
		})
	}
}

// SPEC: 2 to 8 choices a question, in every format.
func TestChoiceLimits(t *testing.T) {
	tests := []struct {
		name, file, src, want string
	}{
		{"GIFT with 9 choices", "q.gift", "Q? {\n=a\n~b\n~c\n~d\n~e\n~f\n~g\n~h\n~i\n}\n",
			`q.gift:1: question "q1" needs 2 to 8 choices, not 9`},
		{"GIFT with 8 choices", "q.gift", "Q? {\n=a\n~b\n~c\n~d\n~e\n~f\n~g\n~h\n}\n", ""},
		{"GIFT with 1 choice", "q.gift", "Q? {~a}\n",
			`q.gift:1: question "q1" needs 2 to 8 choices, not 1` + "\n" +
				`q.gift:1: question "q1" has no correct choice (mark a right answer with = or a positive %weight%)`},
		{"Aiken with 9 choices", "q.aiken", "Q?\nA. a\nB. b\nC. c\nD. d\nE. e\nF. f\nG. g\nH. h\nI. i\nANSWER: A\n",
			`q.aiken:1: question "q1" needs 2 to 8 choices, not 9`},
		{"Aiken with 8 choices", "q.aiken", "Q?\nA. a\nB. b\nC. c\nD. d\nE. e\nF. f\nG. g\nH. h\nANSWER: H\n", ""},
		{"Aiken with 1 choice", "q.aiken", "Q?\nA. a\nANSWER: A\n",
			`q.aiken:1: question "q1" needs 2 to 8 choices, not 1`},
		{"YAML with 9 choices", "q.yml", edited(nil, moreChoices(6)...),
			`q.yml:19: question "second" needs 2 to 8 choices, not 9`}, // the list's first line
		{"Learn unit with 1 choice", "u.yml", strings.Replace(learnUnit, "    - content: \"C\"\n      isCorrect: false\n      explanation: \"Too mild.\"\n", "", 1),
			`u.yml:26: question "q2" needs 2 to 8 choices, not 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := newBank().ParseUpload(tt.file, []byte(tt.src), quizbank.ImportMeta{UID: "x", Lang: "en"})
			if got := strings.Join(problemLines(ps), "\n"); got != tt.want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// padded returns src followed by a YAML (or GIFT) comment that brings it to
// exactly size bytes.
func padded(src string, size int) string {
	return src + "# " + strings.Repeat("x", size-len(src)-3) + "\n"
}

// SPEC: uploads of at most 1 MB, and the same limit for every file read.
func TestSizeLimit(t *testing.T) {
	const mb = 1 << 20 // SPEC's 1 MB, written out
	tooBig := `file is 1048577 bytes; a quiz or scenario file may be at most 1 MB (1048576 bytes)`
	type parse func(name string, src []byte) supportlab.Problems
	upload := func(name string, src []byte) supportlab.Problems {
		_, ps := newBank().ParseUpload(name, src, quizbank.ImportMeta{UID: "x", Lang: "en"})
		return ps
	}
	tests := []struct {
		name, file, src string
		parse           parse
	}{
		{"quiz file", "q.yml", edited(nil), func(n string, s []byte) supportlab.Problems { _, ps := newBank().ParseQuiz(n, s); return ps }},
		{"Learn unit", "q.yml", learnUnit, func(n string, s []byte) supportlab.Problems { _, ps := newBank().ParseQuiz(n, s); return ps }},
		{"scenario file", "s.yml", validScenario, func(n string, s []byte) supportlab.Problems { _, ps := newBank().ParseScenario(n, s); return ps }},
		{"quiz upload", "q.yml", edited(nil), upload},
		{"scenario upload", "s.yml", validScenario, upload},
		{"GIFT upload", "q.gift", "Q? {=a ~b}\n\n// comment\n", upload},
		{"Aiken upload", "q.aiken", "Q?\nA. a\nB. b\nANSWER: A\n\n", upload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if strings.HasSuffix(tt.file, ".aiken") {
				// Aiken has no comments: pad with choices of a question
				// the limit refuses anyway, then check the size alone.
				src = src + "R?\nA. " + strings.Repeat("x", mb-len(src)-len("R?\nA. ")-len("\nB. b\nANSWER: A\n")) + "\nB. b\nANSWER: A\n"
			} else if strings.HasSuffix(tt.file, ".gift") {
				src = src + "// " + strings.Repeat("x", mb-len(src)-4) + "\n"
			} else {
				src = padded(src, mb)
			}
			if len(src) != mb {
				t.Fatalf("test file is %d bytes", len(src))
			}
			if ps := tt.parse(tt.file, []byte(src)); len(ps) > 0 {
				t.Fatalf("a file of exactly 1 MB: %v", ps)
			}
			if got := strings.Join(problemLines(tt.parse(tt.file, []byte(src+"\n"))), "\n"); got != tt.file+":1: "+tooBig {
				t.Errorf("1 MB + 1 byte:\n%s\nwant:\n%s", got, tt.file+":1: "+tooBig)
			}
		})
	}
}

// A folder read at start-up or by validate holds to the same limits, and
// refuses the whole set for one file over them.
func TestLoadRefusesFilesOverTheLimits(t *testing.T) {
	big := padded(edited(map[int]string{1: "uid: big-check"}), 1<<20) + "\n"
	b := newBank()
	err := b.Load(fstest.MapFS{
		"a.yml":             {Data: []byte(edited(nil))},
		"big.yml":           {Data: []byte(big)},
		"many.yml":          {Data: []byte(yamlQuestions(201))},
		"scenarios/big.yml": {Data: []byte(padded(validScenario, 1<<20) + "\n")},
	}, "quizzes")
	var ps supportlab.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load = %v, want problems", err)
	}
	want := []string{
		`quizzes/big.yml:1: file is 1048577 bytes; a quiz or scenario file may be at most 1 MB (1048576 bytes)`,
		`quizzes/many.yml:1605: a quiz may have at most 200 questions, not 201 (this is question 201)`,
		`quizzes/scenarios/big.yml:1: file is 1048577 bytes; a quiz or scenario file may be at most 1 MB (1048576 bytes)`,
	}
	if got := strings.Join(problemLines(ps), "\n"); got != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if len(b.Quizzes("")) != 0 {
		t.Error("a refused set left quizzes in the bank")
	}
}

// An oversized GIFT file (issue: 26,000 questions in 256 KB) is refused
// after a scan, without building its questions.
func TestHugeGIFTIsRefusedCheaply(t *testing.T) {
	src := []byte(giftQuestions(26000))
	if len(src) > 1<<20 {
		t.Fatalf("test file is %d bytes, over the size limit", len(src))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	up, ps := newBank().ParseUpload("huge.gift", src, quizbank.ImportMeta{Lang: "en"})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	want := `huge.gift:401: a quiz may have at most 200 questions, not 26000 (this is question 201)`
	if got := strings.Join(problemLines(ps), "\n"); got != want || up.Quiz != nil {
		t.Fatalf("problems:\n%s\nwant:\n%s", got, want)
	}
	// The file itself is copied twice (text, line ends); building its
	// 26,000 questions would take tens of megabytes.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*uint64(len(src)) {
		t.Errorf("refusing a %d-byte file allocated %d bytes", len(src), alloc)
	}
	if elapsed > 2*time.Second {
		t.Errorf("refusing took %v", elapsed)
	}
}

// Past the limit, questions are counted, not checked: the report names the
// limit, not the mistakes of questions that must go anyway.
func TestQuestionsPastTheLimitAreNotChecked(t *testing.T) {
	src := yamlQuestions(201) + "  - content: c\n    iscorrect: true\n"
	_, ps := newBank().ParseQuiz("big.yml", []byte(src))
	want := `big.yml:1605: a quiz may have at most 200 questions, not 201 (this is question 201)`
	if got := strings.Join(problemLines(ps), "\n"); got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
}

// A file with thousands of mistakes gets a report of bounded size (SPEC's
// file limit must not turn into a page many times larger).
func TestProblemReportIsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(edited(nil))
	for k := 0; k < 5000; k++ {
		fmt.Fprintf(&b, "unknown%d: x\n", k)
	}
	_, ps := newBank().ParseQuiz("q.yml", []byte(b.String()))
	if len(ps) != 100 {
		t.Fatalf("%d problems reported, want 100", len(ps))
	}
	want := `q.yml:127: 4901 more problems from this line on are not shown; fix the ones above first`
	if got := ps[len(ps)-1].String(); got != want {
		t.Errorf("last problem %q, want %q", got, want)
	}
}
