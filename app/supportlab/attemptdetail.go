package supportlab

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// attemptDetail is the document every store keeps with an attempt: what the
// learner answered, enough to show the attempt again. Quiz attempts fill
// the first three fields, sandbox attempts the last two. The answer keeps
// the title and description the learner typed, which SandboxAnswer leaves
// out of its own JSON (the API does not publish them).
type attemptDetail struct {
	Asked   []string         `json:"asked,omitempty"`
	Answers map[string][]int `json:"answers,omitempty"`
	Right   map[string]bool  `json:"right,omitempty"`

	Parts  *SandboxParts        `json:"parts,omitempty"`
	Answer *sandboxAnswerDetail `json:"answer,omitempty"`
}

// sandboxAnswerDetail is SandboxAnswer with every field in its JSON. It has
// the same fields, so that one converts to the other: a field added to
// SandboxAnswer without its twin here stops the build instead of being
// silently lost.
type sandboxAnswerDetail struct {
	Action      string `json:"action"`
	Product     string `json:"product"`
	Severity    string `json:"severity"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Detail checks that a can be stored (a known kind, a sandbox attempt with
// its answer and parts, a score from 0 to 100) and encodes its answers as
// the document stores keep beside the attempt's columns: one format, so
// that a database moves from one store to the other as it is.
func (a *Attempt) Detail() ([]byte, error) {
	var d attemptDetail
	switch a.Kind {
	case KindQuiz:
		d.Asked, d.Answers, d.Right = a.Asked, a.Answers, a.Right
		if d.Asked == nil {
			d.Asked = []string{}
		}
	case KindSandbox:
		if a.Parts == nil || a.Answer == nil {
			return nil, NewError(EINVALID, "error.attempt.sandbox_incomplete")
		}
		d.Parts = a.Parts
		d.Answer = (*sandboxAnswerDetail)(a.Answer)
	default:
		return nil, NewError(EINVALID, "error.attempt.kind", "Kind", a.Kind)
	}
	if a.Score < 0 || a.Score > 100 {
		return nil, NewError(EINVALID, "error.attempt.score", "Score", a.Score)
	}
	if a.Kind == KindQuiz {
		size := 48 // the keys and brackets
		for _, id := range a.Asked {
			size += 3*(len(id)+4) + 16 // three times quoted, a few choices, a mark
		}
		return appendQuizDetail(make([]byte, 0, size), d), nil
	}
	return json.Marshal(d)
}

// appendQuizDetail appends a quiz attempt's document as json.Marshal
// writes it, but with the answers and marks in the order the questions
// were asked rather than sorted: every submission stores one, and sorting
// and reflecting over its maps was a tenth of a submission's time. Keys
// that were not asked (none, from this app) come after, sorted.
func appendQuizDetail(buf []byte, d attemptDetail) []byte {
	buf = append(buf, '{')
	fields := 0
	sep := func() {
		if fields > 0 {
			buf = append(buf, ',')
		}
		fields++
	}
	if len(d.Asked) > 0 {
		sep()
		buf = append(buf, `"asked":[`...)
		for i, id := range d.Asked {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, id)
		}
		buf = append(buf, ']')
	}
	if len(d.Answers) > 0 {
		sep()
		buf = append(buf, `"answers":{`...)
		first := true
		eachKey(d.Asked, d.Answers, func(id string) {
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = appendJSONString(buf, id)
			buf = append(buf, ':')
			choices := d.Answers[id]
			if choices == nil {
				buf = append(buf, "null"...)
				return
			}
			buf = append(buf, '[')
			for k, c := range choices {
				if k > 0 {
					buf = append(buf, ',')
				}
				buf = strconv.AppendInt(buf, int64(c), 10)
			}
			buf = append(buf, ']')
		})
		buf = append(buf, '}')
	}
	if len(d.Right) > 0 {
		sep()
		buf = append(buf, `"right":{`...)
		first := true
		eachKey(d.Asked, d.Right, func(id string) {
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = appendJSONString(buf, id)
			buf = append(buf, ':')
			buf = strconv.AppendBool(buf, d.Right[id])
		})
		buf = append(buf, '}')
	}
	return append(buf, '}')
}

// eachKey calls fn with each of m's keys: those in asked in its order
// (once each), then the others, sorted. It allocates only for the others.
func eachKey[V any](asked []string, m map[string]V, fn func(string)) {
	n := 0
	for i, id := range asked {
		if _, ok := m[id]; ok && !slices.Contains(asked[:i], id) {
			fn(id)
			n++
		}
	}
	if n == len(m) {
		return
	}
	var rest []string
	for id := range m {
		if !slices.Contains(asked, id) {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		fn(id)
	}
}

// appendJSONString appends s quoted as encoding/json quotes it: plain
// ASCII as is, anything else (quotes, backslashes, <, > and &, control
// characters, non-ASCII) by encoding/json itself.
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always encodes
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// SetDetail reads back what Detail encoded into a's answers.
func (a *Attempt) SetDetail(buf []byte) error {
	var d attemptDetail
	if err := json.Unmarshal(buf, &d); err != nil {
		return fmt.Errorf("attempt %d: %w", a.ID, err)
	}
	a.Asked, a.Answers, a.Right, a.Parts = d.Asked, d.Answers, d.Right, d.Parts
	a.Answer = (*SandboxAnswer)(d.Answer)
	return nil
}
