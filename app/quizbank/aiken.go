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
// "ANSWER: A, C" for several right answers). Aiken has no feedback: the
// choices keep empty explanations and the quiz is marked NoExplanations.
// Every problem of the file is reported; past MaxQuestions, questions are
// only counted.
func (b *Bank) ParseAiken(path string, src []byte, meta ImportMeta) (*supportlab.Quiz, supportlab.Problems) {
	if ps := checkSize(path, int64(len(src))); ps != nil {
		return nil, ps
	}
	var ps supportlab.Problems
	f, qs := meta.quiz()
	qs.correctHint = `name it on the "ANSWER:" line`

	var q *questionFile // the question being read, nil between questions
	var ql questionSource
	var skipped questionFile // stands for every question past the limit
	skip := false            // the question being read is past the limit: count it only
	letters := map[string]int{}
	n := 0
	for raw := range strings.Lines(importText(src)) {
		n++
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			continue
		case q == nil:
			qs.total++
			skip = qs.total > supportlab.MaxQuestions
			if qs.total == supportlab.MaxQuestions+1 {
				qs.extra = n
			}
			if skip {
				q = &skipped
			} else {
				q = &questionFile{ID: fmt.Sprintf("q%d", qs.total), Content: line}
			}
			ql = questionSource{start: n, id: n, content: n, choices: n}
			clear(letters)
		case aikenAnswer.MatchString(line):
			if !skip {
				for _, l := range strings.Split(aikenAnswer.FindStringSubmatch(line)[1], ",") {
					idx, ok := letters[strings.TrimSpace(l)]
					if !ok {
						ps.Add(path, n, "ANSWER %s names no choice of this question", strings.TrimSpace(l))
						ql.answerUnread = true
						continue
					}
					q.Choices[idx].IsCorrect = true
				}
				f.Questions = append(f.Questions, *q)
				qs.q = append(qs.q, ql)
			}
			q = nil
		case skip:
			// Past the limit: only question starts and ANSWER lines matter.
		case aikenChoice.MatchString(line):
			m := aikenChoice.FindStringSubmatch(line)
			ql.total++
			if len(q.Choices) == supportlab.MaxChoices {
				continue // counted for the message, not kept
			}
			letters[m[1]] = len(q.Choices)
			q.Choices = append(q.Choices, choiceFile{Content: m[2]})
			ql.choice = append(ql.choice, choiceSource{line: n})
		case len(q.Choices) == 0:
			q.Content += "\n" + line // a question may run over several lines
		default:
			ps.Add(path, n, "expected a choice (\"A. …\") or \"ANSWER: X\", found %q", truncate(line, 40))
		}
	}
	if q != nil && !skip {
		ps.Add(path, ql.start, "question %q has no ANSWER: line", truncate(q.Content, 40))
	}
	return b.buildQuiz(path, f, qs, ps)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
