package quizbank_test

import (
	"strings"
	"testing"

	"supportlab/app/quizbank"
)

// Every problem of a file is reported at once, each at its own line: an
// unknown key or a value of the wrong type does not stop the checks of the
// rest of the file, and is not reported a second time as a missing field.
func TestEveryProblemAtOnce(t *testing.T) {
	specProductList := `must be one of ` + specProducts
	tests := []struct {
		name  string
		parse func() []string
		want  []string
	}{
		{"misspelt isCorrect does not hide a missing explanation", func() []string {
			_, ps := newBank().ParseQuiz("q.yml", []byte(edited(map[int]string{3: "lang: de", 11: "    iscorrect: true", 15: ""})))
			return problemLines(ps)
		}, []string{
			`q.yml:3: lang must be en or fr, not "de"`,
			`q.yml:11: unknown field "iscorrect" (did you mean "isCorrect"?)`,
			`q.yml:13: question "first", choice 2 has no explanation`,
		}},
		{"values of the wrong type and misspelt keys", func() []string {
			_, ps := newBank().ParseQuiz("q.yml", []byte(edited(map[int]string{
				2: "title: [a, b]", 5: "drawn: 2",
				9: "  choices: many", 10: "", 11: "", 12: "", 13: "", 14: "", 15: "",
				27: `    explenation: "That is the admin's job."`,
			})))
			return problemLines(ps)
		}, []string{
			`q.yml:2: expected text, not a list`,
			`q.yml:5: unknown field "drawn" (did you mean "draw"?)`,
			`q.yml:9: expected a list, not "many"`,
			`q.yml:27: unknown field "explenation" (did you mean "explanation"?)`,
		}},
		{"a question that is not a mapping, a bad boolean, a missing explanation", func() []string {
			_, ps := newBank().ParseQuiz("q.yml", []byte(edited(map[int]string{
				7: `- "Who may file?"`, 8: "", 9: "", 10: "", 11: "", 12: "", 13: "", 14: "", 15: "",
				20: "    isCorrect: maybe", 24: "",
			})))
			return problemLines(ps)
		}, []string{
			`q.yml:7: expected a mapping of fields, not "Who may..."`,
			`q.yml:20: expected true or false, not "maybe"`,
			`q.yml:22: question "second", choice 2 has no explanation`,
		}},
		{"missing uid, duplicate id, no content, too many choices, no correct choice", func() []string {
			_, ps := newBank().ParseQuiz("q.yml", []byte(edited(map[int]string{
				1: "", 16: "- id: first", 17: "", 20: "    isCorrect: false", 23: "    isCorrect: false",
			}, moreChoices(6)...)))
			return problemLines(ps)
		}, []string{
			`q.yml:2: uid is required`,
			`q.yml:16: question id "first" is already used on line 7`,
			`q.yml:16: question "first" has no content`,
			`q.yml:19: question "first" needs 2 to 8 choices, not 9`,
			`q.yml:19: question "first" has no correct choice (set isCorrect: true on at least one)`,
		}},
		{"a mapping where the questions go", func() []string {
			lines := map[int]string{6: "questions: {a: 1}"}
			for n := 7; n <= 27; n++ {
				lines[n] = ""
			}
			_, ps := newBank().ParseQuiz("q.yml", []byte(edited(lines)))
			return problemLines(ps)
		}, []string{`q.yml:6: expected a list, not a mapping of fields`}},
		{"misspelt questions key", func() []string {
			_, ps := newBank().ParseQuiz("q.yml", []byte(edited(map[int]string{6: "Questions:"})))
			return problemLines(ps)
		}, []string{`q.yml:6: unknown field "Questions" (did you mean "questions"?)`}},
		{"Learn unit: bad uid, misspelt key, missing explanation", func() []string {
			src := strings.Replace(learnUnit, "uid: learn.m365", "uid: Learn.m365", 1)
			src = strings.Replace(src, "      isCorrect: true\n      explanation: \"Yes.\"", "      IsCorrect: true\n      explanation: \"Yes.\"", 1)
			src = strings.Replace(src, "      explanation: \"Too mild.\"\n", "", 1)
			_, ps := newBank().ParseQuiz("learn.yml", []byte(src))
			return problemLines(ps)
		}, []string{
			`learn.yml:2: uid "Learn.m365.sample.knowledge-check" may only hold lower-case letters, digits, dots and dashes`,
			`learn.yml:19: unknown field "IsCorrect" (did you mean "isCorrect"?)`,
			`learn.yml:29: question "q2", choice 2 has no explanation`,
		}},
		{"scenario: a bad action does not hide a bad product and severity", func() []string {
			_, ps := newBank().ParseScenario("s.yml", []byte(scenarioWith(map[int]string{7: "  action: escalate", 8: "  severity: D", 9: "  product: exchange"})))
			return problemLines(ps)
		}, []string{
			`s.yml:7: expect.action must be open-request or handle-in-house, not "escalate"`,
			`s.yml:8: expect.severity must be A, B or C, not "D"`,
			`s.yml:9: expect.product ` + specProductList + `, not "exchange"`,
		}},
		{"scenario: bad uid, misspelt key, missing explanation, wrong type, bad product", func() []string {
			_, ps := newBank().ParseScenario("s.yml", []byte(scenarioWith(map[int]string{
				1: "uid: Bad UID", 4: "Situation: x", 5: "", 8: "  severity: [A]", 9: "  product: exchange",
			})))
			return problemLines(ps)
		}, []string{
			`s.yml:1: uid "Bad UID" may only hold lower-case letters, digits, dots and dashes`,
			`s.yml:1: explanation is required`,
			`s.yml:4: unknown field "Situation" (did you mean "situation"?)`,
			`s.yml:8: expected text, not a list`,
			`s.yml:9: expect.product ` + specProductList + `, not "exchange"`,
		}},
		{"scenario: expect is not a mapping", func() []string {
			_, ps := newBank().ParseScenario("s.yml", []byte(scenarioWith(map[int]string{6: "expect: open-request", 7: "", 8: "", 9: ""})))
			return problemLines(ps)
		}, []string{`s.yml:6: expected a mapping of fields, not "open-re..."`}},
		{"scenario: misspelt expect", func() []string {
			_, ps := newBank().ParseScenario("s.yml", []byte(scenarioWith(map[int]string{6: "Expect:"})))
			return problemLines(ps)
		}, []string{`s.yml:6: unknown field "Expect" (did you mean "expect"?)`}},
		{"GIFT: every unsupported question", func() []string {
			src := "::a:: Q1 {=a ~b}\n\n::b:: Q2 {#1:2}\n\nQ3 {=x =y}\n\nQ4? {~%50%a#fa ~%50%b ~c}\n\nQ5 nothing\n"
			_, ps := newBank().ParseUpload("x.gift", []byte(src), quizbank.ImportMeta{Lang: "en"})
			return problemLines(ps)
		}, []string{
			`x.gift:3: numerical questions ({#…}) cannot be imported; use multiple choice`,
			`x.gift:5: short-answer questions (only = answers) cannot be imported; add wrong choices with ~`,
			`x.gift:9: question has no answer block { … } (only multiple-choice and true/false questions can be imported)`,
		}},
		{"GIFT: parse problems and quiz problems together", func() []string {
			src := "::a:: Q1 {=a ~b}\n\n::a:: Q2 {~a ~b}\n\n::c:: Q3 {=a}\n"
			_, ps := newBank().ParseUpload("x.gift", []byte(src), quizbank.ImportMeta{Lang: "de"})
			return problemLines(ps)
		}, []string{
			`x.gift:1: lang must be en or fr, not "de"`,
			`x.gift:3: question id "a" is already used on line 1`,
			`x.gift:3: question "a" has no correct choice (mark a right answer with = or a positive %weight%)`,
			`x.gift:5: short-answer questions (only = answers) cannot be imported; add wrong choices with ~`,
		}},
		{"Aiken: every problem", func() []string {
			src := "Q1?\nA. a\nB. b\nANSWER: C\n\nQ2?\nA. a\nzzz\nANSWER: A\n\nQ3?\nA. a\nB. b\n"
			_, ps := newBank().ParseUpload("x.txt", []byte(src), quizbank.ImportMeta{Lang: "en"})
			return problemLines(ps)
		}, []string{
			`x.txt:4: ANSWER C names no choice of this question`,
			`x.txt:6: question "q2" needs 2 to 8 choices, not 1`,
			`x.txt:8: expected a choice ("A. …") or "ANSWER: X", found "zzz"`,
			`x.txt:11: question "Q3?" has no ANSWER: line`,
		}},
		{"the uid typed beside a YAML file is checked with the file", func() []string {
			_, ps := newBank().ParseUpload("q.yml", []byte(edited(map[int]string{15: ""})), quizbank.ImportMeta{UID: "Bad_UID", Lang: "en"})
			return problemLines(ps)
		}, []string{
			`q.yml:1: uid "Bad_UID" may only hold lower-case letters, digits, dots and dashes`,
			`q.yml:13: question "first", choice 2 has no explanation`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(tt.parse(), "\n"); got != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
}
