package training

import (
	"testing"
	"time"

	"supportlab/app/library"
	"supportlab/app/quizbank"
	"supportlab/app/supportlab"
)

// TestSourceFromBodyReadsBack writes the body of every shipped quiz and
// scenario as YAML and reads it back: the same graded content (hash), so
// that a version known only by its body can be edited, diffed and
// restored without changing what it grades.
func TestSourceFromBodyReadsBack(t *testing.T) {
	lib, err := library.Load(library.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, kind, uid, hash string, body []byte) {
		src, err := sourceFromBody(kind, body)
		if err != nil {
			t.Fatal(err)
		}
		item, ps := lib.Bank.ParseImport("version.yml", src, supportlab.ImportMeta{})
		if len(ps) > 0 {
			t.Fatalf("problems:\n%s\nin:\n%s", ps.Error(), src)
		}
		if item.UID() != uid || item.Hash != hash {
			t.Errorf("read back as %s with hash %s, want %s", item.UID(), item.Hash, hash)
		}
	}
	quizzes, scenarios := lib.Bank.Quizzes(""), lib.Bank.Scenarios("")
	if len(quizzes) < 4 || len(scenarios) < 10 {
		t.Fatalf("only %d quizzes and %d scenarios", len(quizzes), len(scenarios))
	}
	for _, q := range quizzes {
		t.Run(q.UID, func(t *testing.T) { check(t, supportlab.KindQuiz, q.UID, q.Hash, quizbank.Body(q)) })
	}
	for _, sc := range scenarios {
		t.Run(sc.UID, func(t *testing.T) { check(t, supportlab.KindSandbox, sc.UID, sc.Hash, quizbank.Body(sc)) })
	}
}

// TestLiteralBlock checks the texts a literal block cannot hold exactly
// go quoted, and those it can keep their final line breaks.
func TestLiteralBlock(t *testing.T) {
	tests := []struct {
		name, value string
		block       bool
		want        string
	}{
		{"one line", "Who sets severity?", false, ""},
		{"two lines", "a\nb", true, "|-\n  a\n  b\n"},
		{"final line break", "a\nb\n", true, "|\n  a\n  b\n"},
		{"two final line breaks", "a\nb\n\n", true, "|+\n  a\n  b\n\n"},
		{"blank line inside", "a\n\nb", true, "|-\n  a\n\n  b\n"},
		{"first line indented", " a\nb", true, "|2-\n   a\n  b\n"},
		{"carriage return", "a\r\nb", false, ""},
		{"line of spaces", "a\n  \nb", false, ""},
		{"tab at a line's start", "a\n\tb", false, ""},
		{"control character", "a\n\x07b", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := literalBlock(tt.value, "  ")
			if ok != tt.block || got != tt.want {
				t.Errorf("got %q %v, want %q %v", got, ok, tt.want, tt.block)
			}
		})
	}
}

// TestAssignmentState is the rule of done, late, overdue and pending.
func TestAssignmentState(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	due := &supportlab.Assignment{Due: "2026-03-05"}
	none := &supportlab.Assignment{}
	tests := []struct {
		name   string
		a      *supportlab.Assignment
		done   bool
		doneAt time.Time
		want   string
	}{
		{"passed before the due day ends", due, true, time.Date(2026, 3, 5, 23, 59, 0, 0, time.UTC), AssignmentDone},
		{"passed after the due day", due, true, time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC), AssignmentLate},
		{"module read, no check to date it", due, true, time.Time{}, AssignmentDone},
		{"not passed, due day past", due, false, time.Time{}, AssignmentOverdue},
		{"not passed, due later", &supportlab.Assignment{Due: "2026-03-10"}, false, time.Time{}, AssignmentPending},
		{"not passed, no due date", none, false, time.Time{}, AssignmentPending},
		{"passed, no due date", none, true, now, AssignmentDone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stateOf(tt.a, tt.done, tt.doneAt, now); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
