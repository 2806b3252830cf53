package textdiff_test

import (
	"fmt"
	"strings"
	"testing"

	"supportlab/app/textdiff"
)

// render writes a diff as a unified diff's body: " ", "-" or "+" then the
// line, with the line numbers.
func render(lines []textdiff.Line) string {
	var b strings.Builder
	for _, l := range lines {
		mark := map[textdiff.Op]string{textdiff.Same: " ", textdiff.Removed: "-", textdiff.Added: "+"}[l.Op]
		fmt.Fprintf(&b, "%s%s %d/%d|", mark, l.Text, l.Old, l.New)
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"identical", "a\nb\n", "a\nb\n", " a 1/1| b 2/2|"},
		{"both empty", "", "", ""},
		{"from nothing", "", "a\nb", "+a 0/1|+b 0/2|"},
		{"to nothing", "a\n", "", "-a 1/0|"},
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n", " a 1/1|-b 2/0|+B 0/2| c 3/3|"},
		{"line inserted", "a\nc", "a\nb\nc", " a 1/1|+b 0/2| c 2/3|"},
		{"line removed", "a\nb\nc", "a\nc", " a 1/1|-b 2/0| c 3/2|"},
		{"common line inside the change", "x\na\ny", "p\na\nq", "-x 1/0|+p 0/1| a 2/2|-y 3/0|+q 0/3|"},
		{"windows line endings", "a\r\nb\r\n", "a\nb\n", " a 1/1| b 2/2|"},
		{"final newline does not matter", "a", "a\n", " a 1/1|"},
		{"moved line", "a\nb\nc", "b\nc\na", "-a 1/0| b 2/1| c 3/2|+a 0/3|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(textdiff.Diff(tt.old, tt.new)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestDiffLargeMiddle: past MaxCells the middle is shown removed, then
// added; the diff stays a true one.
func TestDiffLargeMiddle(t *testing.T) {
	n := 2100 // 2100 × 2100 > MaxCells
	var a, b []string
	for i := 0; i < n; i++ {
		a = append(a, fmt.Sprintf("old %d", i))
		b = append(b, fmt.Sprintf("new %d", i))
	}
	lines := textdiff.Diff("head\n"+strings.Join(a, "\n")+"\ntail", "head\n"+strings.Join(b, "\n")+"\ntail")
	removed, added := textdiff.Counts(lines)
	if removed != n || added != n || len(lines) != 2*n+2 {
		t.Fatalf("removed %d added %d lines %d", removed, added, len(lines))
	}
	if lines[0].Text != "head" || lines[1].Op != textdiff.Removed || lines[len(lines)-1].Text != "tail" {
		t.Errorf("order: %+v … %+v", lines[:2], lines[len(lines)-1])
	}
}

func TestHunks(t *testing.T) {
	old := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n"
	tests := []struct {
		name, new string
		want      []string // each hunk as its lines' text
	}{
		{"no change", old, nil},
		{"one change in the middle", strings.Replace(old, "8\n", "eight\n", 1), []string{"5 6 7 8 eight 9 10 11"}},
		{"two changes close together share a hunk", strings.Replace(strings.Replace(old, "5\n", "five\n", 1), "9\n", "nine\n", 1),
			[]string{"2 3 4 5 five 6 7 8 9 nine 10 11 12"}},
		{"two changes far apart", strings.Replace(strings.Replace(old, "1\n", "one\n", 1), "15\n", "fifteen\n", 1),
			[]string{"1 one 2 3 4", "12 13 14 15 fifteen"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, h := range textdiff.Hunks(textdiff.Diff(old, tt.new), 3) {
				var texts []string
				for _, l := range h.Lines {
					texts = append(texts, l.Text)
				}
				got = append(got, strings.Join(texts, " "))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
