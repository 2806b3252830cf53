package quizbank_test

import (
	"strings"
	"testing"

	"supportlab/app/quizbank"
)

// GIFT true/false questions follow Moodle: {TRUE#a#b} shows a for the wrong
// answer and b for the right one, whichever of true and false is right.
func TestGIFTTrueFalse(t *testing.T) {
	tests := []struct {
		name       string
		answer     string
		trueRight  bool
		trueExpl   string
		falseExpl  string
		trueLabel  string
		falseLabel string
		lang       string
	}{
		{"T", "{T}", true, "", "", "True", "False", "en"},
		{"F", "{F}", false, "", "", "True", "False", "en"},
		{"TRUE with both feedbacks", "{TRUE#Not so: it is true.#Yes, it is true.}", true, "Yes, it is true.", "Not so: it is true.", "True", "False", "en"},
		{"FALSE with both feedbacks", "{FALSE#Not so: it is false.#Yes, it is false.}", false, "Not so: it is false.", "Yes, it is false.", "True", "False", "en"},
		{"one feedback is for the wrong answer", "{T#Microsoft sets it.}", true, "", "Microsoft sets it.", "True", "False", "en"},
		{"spaces around the marks", "{ TRUE # Not so. # Yes. }", true, "Yes.", "Not so.", "True", "False", "en"},
		{"lower case", "{true#w#r}", true, "r", "w", "True", "False", "en"},
		{"right feedback only", "{F##Indeed.}", false, "", "Indeed.", "True", "False", "en"},
		{"general feedback explains both", "{T####Microsoft sets it when it opens the case.}", true,
			"Microsoft sets it when it opens the case.", "Microsoft sets it when it opens the case.", "True", "False", "en"},
		{"general feedback beside a right one", "{T#Wrong.#Right.####General.}", true, "Right.", "Wrong.", "True", "False", "en"},
		{"escaped hash in a feedback", `{T#Issue \#42 is yours.#Yes.}`, true, "Yes.", "Issue #42 is yours.", "True", "False", "en"},
		{"French labels", "{F#Non.#Oui.}", false, "Non.", "Oui.", "Vrai", "Faux", "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "::sev:: Microsoft assigns the severity. " + tt.answer + "\n"
			up, ps := newBank().ParseUpload("tf.gift", []byte(src), quizbank.ImportMeta{Lang: tt.lang})
			if len(ps) > 0 {
				t.Fatal(ps)
			}
			q := up.Quiz.Questions[0]
			if q.ID != "sev" || q.Content != "Microsoft assigns the severity." || len(q.Choices) != 2 {
				t.Fatalf("question %q %q with %d choices", q.ID, q.Content, len(q.Choices))
			}
			yes, no := q.Choices[0], q.Choices[1]
			if yes.Content != tt.trueLabel || no.Content != tt.falseLabel {
				t.Errorf("choices %q, %q; want %q, %q", yes.Content, no.Content, tt.trueLabel, tt.falseLabel)
			}
			if yes.IsCorrect != tt.trueRight || no.IsCorrect == tt.trueRight {
				t.Errorf("true is right: %v, false is right: %v; want true right = %v", yes.IsCorrect, no.IsCorrect, tt.trueRight)
			}
			if yes.Explanation != tt.trueExpl || no.Explanation != tt.falseExpl {
				t.Errorf("explanations %q / %q; want %q / %q", yes.Explanation, no.Explanation, tt.trueExpl, tt.falseExpl)
			}
		})
	}
}

// Feedback may have spaces around "#", and answers around their marks.
func TestGIFTSpacesAroundMarks(t *testing.T) {
	src := `::who:: Who may submit a service request? {
= An admin # Only admins reach the admin center.
~ Any user # Users ask their admin.
~ %-50% A guest#Guests have no access.
~%50% A global admin #Also an admin.
}
`
	up, ps := newBank().ParseUpload("q.gift", []byte(src), quizbank.ImportMeta{Lang: "en"})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	want := []struct {
		content, explanation string
		right                bool
	}{
		{"An admin", "Only admins reach the admin center.", true},
		{"Any user", "Users ask their admin.", false},
		{"A guest", "Guests have no access.", false},
		{"A global admin", "Also an admin.", true},
	}
	q := up.Quiz.Questions[0]
	if len(q.Choices) != len(want) {
		t.Fatalf("%d choices, want %d", len(q.Choices), len(want))
	}
	for i, w := range want {
		c := q.Choices[i]
		if c.Content != w.content || c.Explanation != w.explanation || c.IsCorrect != w.right {
			t.Errorf("choice %d = %q / %q / %v; want %q / %q / %v", i+1, c.Content, c.Explanation, c.IsCorrect, w.content, w.explanation, w.right)
		}
	}
}

// Formats without explanations leave them empty and say so on the quiz,
// instead of inventing "This is the right answer.".
func TestNoExplanations(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            bool
	}{
		{"Aiken", "q.aiken", "Q?\nA. a\nB. b\nANSWER: A\n", true},
		{"GIFT without feedback", "q.gift", "Q? {=a ~b}\n\nR? {T}\n", true},
		{"GIFT with one feedback", "q.gift", "Q? {=a ~b}\n\nR? {T#Because.}\n", false},
		{"GIFT with general feedback", "q.gift", "Q? {=a ~b####Because.}\n", false},
		{"native YAML", "q.yml", edited(nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, ps := newBank().ParseUpload(tt.file, []byte(tt.src), quizbank.ImportMeta{UID: "x", Lang: "en"})
			if len(ps) > 0 {
				t.Fatal(ps)
			}
			if up.Quiz.NoExplanations != tt.want {
				t.Errorf("NoExplanations = %v, want %v", up.Quiz.NoExplanations, tt.want)
			}
			if tt.want {
				for _, q := range up.Quiz.Questions {
					for _, c := range q.Choices {
						if c.Explanation != "" {
							t.Errorf("choice %q explained %q", c.Content, c.Explanation)
						}
					}
				}
			}
		})
	}
}

// uids may hold dots (SPEC: [a-z0-9.-]+) in every format, typed beside the
// file or taken from the file's name.
func TestUIDsWithDots(t *testing.T) {
	tests := []struct {
		name, file, src, typed, want string
	}{
		{"GIFT named by its file", "Learn.M365 Severity.gift", "Q? {=a ~b}\n", "", "learn.m365-severity"},
		{"GIFT with a typed uid", "q.gift", "Q? {=a ~b}\n", "learn.m365.severity", "learn.m365.severity"},
		{"Aiken named by its file", "roles.v2.aiken", "Q?\nA. a\nB. b\nANSWER: A\n", "", "roles.v2"},
		{"Aiken with a typed uid", "q.txt", "Q?\nA. a\nB. b\nANSWER: A\n", "my.roles", "my.roles"},
		{"native YAML with a typed uid", "q.yml", edited(nil), "team.sample-check", "team.sample-check"},
		{"native YAML with its own", "q.yml", edited(map[int]string{1: "uid: team.sample-check"}), "", "team.sample-check"},
		{"Learn unit", "u.yml", learnUnit, "", "learn.m365.sample.knowledge-check"},
		{"scenario with a typed uid", "s.yml", validScenario, "team.mail-outage", "team.mail-outage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, ps := newBank().ParseUpload(tt.file, []byte(tt.src), quizbank.ImportMeta{UID: tt.typed, Lang: "en"})
			if len(ps) > 0 {
				t.Fatal(ps)
			}
			if up.UID() != tt.want {
				t.Errorf("uid = %q, want %q", up.UID(), tt.want)
			}
		})
	}
}

// A Learn unit's questions may keep their choices in file order too (SPEC:
// shuffle per question).
func TestLearnUnitQuestionShuffle(t *testing.T) {
	src := strings.Replace(learnUnit, "  - content: \"Which severity when mail is down for everyone?\"\n",
		"  - content: \"Which severity when mail is down for everyone?\"\n    shuffle: false\n", 1)
	src = strings.Replace(src, "\ntitle: Knowledge check\n", "\ntitle: Knowledge check\nshuffle: true\n", 1)
	q, ps := newBank().ParseQuiz("learn.yml", []byte(src))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if !q.Shuffles(q.Questions[0]) || q.Shuffles(q.Questions[1]) {
		t.Errorf("q1 shuffles %v, q2 shuffles %v; want true, false", q.Shuffles(q.Questions[0]), q.Shuffles(q.Questions[1]))
	}
	plain, ps := newBank().ParseQuiz("learn.yml", []byte(strings.Replace(src, "    shuffle: false\n", "", 1)))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if plain.Hash == q.Hash {
		t.Error("a question's shuffle left the hash unchanged: an edit of it would not make a new version")
	}
}
