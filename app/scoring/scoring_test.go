package scoring

import (
	"strings"
	"testing"

	"supportlab/app/supportlab"
)

func testQuiz() *supportlab.Quiz {
	ch := func(correct ...bool) []*supportlab.Choice {
		var out []*supportlab.Choice
		for _, c := range correct {
			out = append(out, &supportlab.Choice{IsCorrect: c})
		}
		return out
	}
	return &supportlab.Quiz{
		UID: "q", PassPercent: 80,
		Questions: []*supportlab.Question{
			{ID: "single", Choices: ch(false, true, false)},
			{ID: "multi", Choices: ch(true, false, true, false)},
			{ID: "third", Choices: ch(true, false)},
		},
	}
}

func TestGradeQuiz(t *testing.T) {
	all := []string{"single", "multi", "third"}
	tests := []struct {
		name    string
		asked   []string
		answers map[string][]int
		right   int
		score   int
		passed  bool
	}{
		{"all right", all, map[string][]int{"single": {1}, "multi": {0, 2}, "third": {0}}, 3, 100, true},
		{"order of indexes does not matter", all, map[string][]int{"single": {1}, "multi": {2, 0}, "third": {0}}, 3, 100, true},
		{"duplicate index counts once", all, map[string][]int{"single": {1, 1}, "multi": {0, 2, 2}, "third": {0}}, 3, 100, true},
		{"partial multiple answer is wrong", all, map[string][]int{"single": {1}, "multi": {0}, "third": {0}}, 2, 67, false},
		{"extra choice on multiple answer is wrong", all, map[string][]int{"single": {1}, "multi": {0, 1, 2}, "third": {0}}, 2, 67, false},
		{"unanswered counts as wrong", all, map[string][]int{"single": {1}}, 1, 33, false},
		{"nothing answered", all, map[string][]int{}, 0, 0, false},
		{"wrong single", all, map[string][]int{"single": {0}, "multi": {0, 2}, "third": {0}}, 2, 67, false},
		{"subset asked", []string{"single", "third"}, map[string][]int{"single": {1}, "third": {1}}, 1, 50, false},
		{"a choice that does not exist makes its question wrong", all, map[string][]int{"single": {3}, "multi": {0, 2}, "third": {0}}, 2, 67, false},
		{"a negative choice makes its question wrong", all, map[string][]int{"single": {-1}, "multi": {0, 2}, "third": {0}}, 2, 67, false},
		{"two answers on single is wrong", all, map[string][]int{"single": {0, 1}, "multi": {0, 2}, "third": {0}}, 2, 67, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := GradeQuiz(testQuiz(), tt.asked, tt.answers)
			if res.Right != tt.right || res.Score != tt.score || res.Passed != tt.passed {
				t.Fatalf("got right=%d score=%d passed=%v, want %d %d %v", res.Right, res.Score, res.Passed, tt.right, tt.score, tt.passed)
			}
			if len(res.Questions) != len(tt.asked) {
				t.Fatalf("%d question results for %d asked", len(res.Questions), len(tt.asked))
			}
		})
	}
}

func TestPercentRounding(t *testing.T) {
	tests := []struct{ n, d, want int }{
		{0, 10, 0}, {10, 10, 100}, {1, 3, 33}, {2, 3, 67}, {1, 8, 13}, {5, 8, 63}, {8, 10, 80}, {79, 100, 79}, {1, 200, 1}, {0, 0, 0},
	}
	for _, tt := range tests {
		if got := Percent(tt.n, tt.d); got != tt.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", tt.n, tt.d, got, tt.want)
		}
	}
}

func TestPassMarkIsInclusive(t *testing.T) {
	q := testQuiz()
	q.PassPercent = 67
	res := GradeQuiz(q, []string{"single", "multi", "third"}, map[string][]int{"single": {1}, "multi": {0, 2}})
	if res.Score != 67 || !res.Passed {
		t.Fatalf("score %d passed %v, want 67 and passed", res.Score, res.Passed)
	}
}

func TestScoreSandbox(t *testing.T) {
	// SPEC: the description earns its 10 points from 30 characters on.
	desc := strings.Repeat("x", 30)
	open := func(product, severity string) supportlab.Expectation {
		return supportlab.Expectation{Action: supportlab.ActionOpenRequest, Product: product, Severity: severity}
	}
	inHouse := supportlab.Expectation{Action: supportlab.ActionHandleInHouse}
	req := func(product, severity, title, description string) supportlab.SandboxAnswer {
		return supportlab.SandboxAnswer{Action: supportlab.ActionOpenRequest, Product: product, Severity: severity, Title: title, Description: description}
	}
	keep := supportlab.SandboxAnswer{Action: supportlab.ActionHandleInHouse}
	tests := []struct {
		name  string
		exp   supportlab.Expectation
		ans   supportlab.SandboxAnswer
		parts supportlab.SandboxParts
		total int
	}{
		{"in-house expected, in-house chosen", inHouse, keep, supportlab.SandboxParts{Action: 100}, 100},
		{"in-house expected, product and severity ignored", inHouse, supportlab.SandboxAnswer{Action: supportlab.ActionHandleInHouse, Product: "domains", Severity: "A"}, supportlab.SandboxParts{Action: 100}, 100},
		{"in-house expected, request opened", inHouse, req("exchange-online", "A", "t", desc), supportlab.SandboxParts{}, 0},
		{"request expected, in-house chosen", open("exchange-online", "A"), keep, supportlab.SandboxParts{}, 0},
		{"perfect request", open("exchange-online", "A"), req("exchange-online", "A", "Mail down", desc), parts(20, 50, 20, 10), 100},
		{"one level too severe", open("exchange-online", "B"), req("exchange-online", "A", "t", desc), parts(20, 20, 20, 10), 70},
		{"one level too mild", open("exchange-online", "B"), req("exchange-online", "C", "t", desc), parts(20, 10, 20, 10), 60},
		{"two levels too severe", open("exchange-online", "C"), req("exchange-online", "A", "t", desc), parts(20, 0, 20, 10), 50},
		{"two levels too mild", open("exchange-online", "A"), req("exchange-online", "C", "t", desc), parts(20, 0, 20, 10), 50},
		{"wrong product", open("exchange-online", "A"), req("sharepoint-online", "A", "t", desc), parts(20, 50, 0, 10), 80},
		{"no title", open("domains", "C"), req("domains", "C", "  ", desc), parts(20, 50, 20, 0), 90},
		{"description one character short", open("domains", "C"), req("domains", "C", "t", desc[1:]), parts(20, 50, 20, 0), 90},
		{"description counted in characters, not bytes", open("domains", "C"), req("domains", "C", "t", strings.Repeat("é", 30)), parts(20, 50, 20, 10), 100},
		{"description padded with spaces does not count", open("domains", "C"), req("domains", "C", "t", "  short  "+strings.Repeat(" ", 40)), parts(20, 50, 20, 0), 90},
		{"no severity chosen", open("domains", "C"), req("domains", "", "t", desc), parts(20, 0, 20, 10), 50},
		{"unknown action", open("domains", "C"), supportlab.SandboxAnswer{Action: "escalate"}, supportlab.SandboxParts{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScoreSandbox(tt.exp, tt.ans)
			if got != tt.parts || got.Total() != tt.total {
				t.Fatalf("got %+v (total %d), want %+v (total %d)", got, got.Total(), tt.parts, tt.total)
			}
		})
	}
}

// parts builds SandboxParts in SPEC's order: action, severity, product, description.
func parts(action, severity, product, description int) supportlab.SandboxParts {
	return supportlab.SandboxParts{Action: action, Severity: severity, Product: product, Description: description}
}
