package supportlab_test

import (
	"strings"
	"testing"

	"supportlab/app/supportlab"
)

func TestProblemsCapped(t *testing.T) {
	build := func(lines ...int) supportlab.Problems {
		var ps supportlab.Problems
		for _, l := range lines {
			ps.Add("q.yml", l, "problem on line %d", l)
		}
		return ps
	}
	tests := []struct {
		name string
		ps   supportlab.Problems
		max  int
		want []string
	}{
		{"under the cap, sorted", build(3, 1, 2), 3, []string{
			"q.yml:1: problem on line 1", "q.yml:2: problem on line 2", "q.yml:3: problem on line 3",
		}},
		{"over the cap", build(5, 4, 3, 2, 1), 3, []string{
			"q.yml:1: problem on line 1",
			"q.yml:2: problem on line 2",
			"q.yml:3: 3 more problems from this line on are not shown; fix the ones above first",
		}},
		{"none", nil, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range tt.ps.Capped(tt.max) {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
