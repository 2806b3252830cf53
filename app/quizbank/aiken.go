package quizbank

import (
	"fmt"
	"regexp"
	"strings"

	"supportlab/app/supportlab"
)

var (
	aikenChoice = regexp.MustCompile(`^([A-Z])[.)]\s+(.*)$`)
	aikenAnswer = regexp.MustCompile(`^ANSWER:\s*([A-Z](?:\s*,\s*[A-Z])*)\s*$`)
)

// ParseAiken reads an Aiken file: a question on one line, choices "A. …"
// or "A) …" on the next lines, then "ANSWER: B" (SupportLab also accepts
// "ANSWER: A, C" for several right answers). Aiken has no feedback, so every
// choice gets the import's generic explanation.
func (b *Bank) ParseAiken(path string, src []byte, meta ImportMeta) (*supportlab.Quiz, supportlab.Problems) {
	var ps supportlab.Problems
	f, ln := meta.quiz()

	var q *questionFile
	var ql questionLines
	letters := map[string]int{}
	for i, raw := range importLines(src) {
		n := i + 1
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			continue
		case q == nil:
			q = &questionFile{ID: fmt.Sprintf("q%d", len(f.Questions)+1), Content: line}
			ql = questionLines{start: n, id: n, content: n, choices: n}
			letters = map[string]int{}
		case aikenAnswer.MatchString(line):
			for _, l := range strings.Split(aikenAnswer.FindStringSubmatch(line)[1], ",") {
				idx, ok := letters[strings.TrimSpace(l)]
				if !ok {
					ps.Add(path, n, "ANSWER %s names no choice of this question", strings.TrimSpace(l))
					continue
				}
				q.Choices[idx].IsCorrect = true
			}
			fillExplanations(q, meta)
			f.Questions = append(f.Questions, *q)
			ln.q = append(ln.q, ql)
			q = nil
		case aikenChoice.MatchString(line):
			m := aikenChoice.FindStringSubmatch(line)
			letters[m[1]] = len(q.Choices)
			q.Choices = append(q.Choices, choiceFile{Content: m[2]})
			ql.choice = append(ql.choice, n)
		case len(q.Choices) == 0:
			q.Content += "\n" + line // a question may run over several lines
		default:
			ps.Add(path, n, "expected a choice (\"A. …\") or \"ANSWER: X\", found %q", truncate(line, 40))
		}
	}
	if q != nil {
		ps.Add(path, ql.start, "question %q has no ANSWER: line", truncate(q.Content, 40))
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return b.buildQuiz(path, f, ln, false)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
