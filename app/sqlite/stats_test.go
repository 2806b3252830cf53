package sqlite

import (
	"strings"
	"testing"

	"supportlab/app/supportlab"
)

// The statistics themselves are checked on both stores by the conformance
// suite (app/storetest); what stays here is SQLite's own join-code draw
// and the arithmetic of the domain type.

// TestJoinCodesAreRandom draws codes from SQLite's generator (package
// postgres draws from the same alphabet): no repeat in a thousand, every
// symbol from the alphabet without look-alikes.
func TestJoinCodesAreRandom(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c, err := newJoinCode()
		if err != nil {
			t.Fatal(err)
		}
		if seen[c] {
			t.Fatalf("code %s drawn twice", c)
		}
		if len(c) != JoinCodeLength || strings.Trim(c, JoinCodeAlphabet) != "" {
			t.Fatalf("code %q is not %d symbols of %s", c, JoinCodeLength, JoinCodeAlphabet)
		}
		seen[c] = true
	}
}

func TestDiscriminationUndefined(t *testing.T) {
	cases := []struct {
		name string
		q    supportlab.QuestionStat
	}{
		{"no attempt", supportlab.QuestionStat{}},
		{"one attempt", supportlab.QuestionStat{N: 1, SumX: 1, SumX2: 1}},
		{"everybody right", supportlab.QuestionStat{N: 3, SumX: 3, SumX2: 3, SumY: 2, SumY2: 2, SumXY: 2}},
		{"rest constant", supportlab.QuestionStat{N: 2, SumX: 1, SumX2: 1, SumY: 2, SumY2: 2, SumXY: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if d, ok := tc.q.Discrimination(); ok {
				t.Errorf("got %v, want undefined", d)
			}
		})
	}
}
