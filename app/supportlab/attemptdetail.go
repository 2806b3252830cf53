package supportlab

import (
	"encoding/json"
	"fmt"
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
	return json.Marshal(d)
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
