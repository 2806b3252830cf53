package training

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"math/rand/v2"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
)

// DrillLength is the number of scenarios in a triage drill (fewer if the
// language has fewer).
const DrillLength = 10

// Drill is a triage drill under way: random scenarios of one language
// answered in a row, and, for each step answered so far, its score and the
// triage class chosen. The web adapter keeps it in a signed cookie, so that
// the drill works for anonymous learners too and survives a reload.
type Drill struct {
	ID     string   `json:"i"`
	Lang   string   `json:"l"`
	UIDs   []string `json:"u"`
	Scores []int    `json:"s"`
	Chosen []string `json:"c"`
}

// Step is the 0-based index of the scenario to answer next.
func (d *Drill) Step() int { return len(d.Scores) }

// Done reports whether every scenario was answered.
func (d *Drill) Done() bool { return len(d.Scores) >= len(d.UIDs) }

// Total is the sum of the scores so far.
func (d *Drill) Total() int {
	t := 0
	for _, s := range d.Scores {
		t += s
	}
	return t
}

// Average is the mean score so far, rounded as every score is; 0 before
// any answer.
func (d *Drill) Average() int { return scoring.Percent(d.Total(), 100*len(d.Scores)) }

// Passed reports whether the drill's average reaches a sandbox pass.
func (d *Drill) Passed() bool { return len(d.Scores) > 0 && supportlab.PassedSandbox(d.Average()) }

// PassedCount is how many answered scenarios scored a pass.
func (d *Drill) PassedCount() int {
	n := 0
	for _, s := range d.Scores {
		if supportlab.PassedSandbox(s) {
			n++
		}
	}
	return n
}

// StartDrill draws up to DrillLength scenarios of lang at random.
func (s *Service) StartDrill(lang string) (*Drill, error) {
	list := s.Scenarios(lang) // retired scenarios are not drawn
	if len(list) == 0 {
		return nil, supportlab.NewError(supportlab.ENOTFOUND, "drill.none")
	}
	uids := make([]string, len(list))
	for i, sc := range list {
		uids[i] = sc.UID
	}
	rand.Shuffle(len(uids), func(a, b int) { uids[a], uids[b] = uids[b], uids[a] })
	if len(uids) > DrillLength {
		uids = uids[:DrillLength]
	}
	id := make([]byte, 8)
	if _, err := crand.Read(id); err != nil {
		return nil, err
	}
	return &Drill{ID: hex.EncodeToString(id), Lang: lang, UIDs: uids, Scores: []int{}, Chosen: []string{}}, nil
}

// ValidDrill reports whether d is a drill this service could have made and
// can still run: a sane size, scores in range, and scenarios that are live.
func (s *Service) ValidDrill(d *Drill) bool {
	if len(d.UIDs) == 0 || len(d.UIDs) > DrillLength || len(d.Scores) > len(d.UIDs) || len(d.Chosen) != len(d.Scores) {
		return false
	}
	for _, uid := range d.UIDs {
		if _, err := s.cfg.Bank.Scenario(uid); err != nil {
			return false
		}
	}
	for _, sc := range d.Scores {
		if sc < 0 || sc > 100 {
			return false
		}
	}
	return true
}

// DrillScenario is the scenario of the step due.
func (s *Service) DrillScenario(d *Drill) (*supportlab.Scenario, error) {
	return s.cfg.Bank.Scenario(d.UIDs[d.Step()])
}

// AnswerDrill scores the step due, stores the attempt for a signed-in
// learner and moves d to the next step. Invalid input is refused like a
// sandbox request, and d does not move.
func (s *Service) AnswerDrill(ctx context.Context, actor *supportlab.User, d *Drill, req SandboxRequest) (*SandboxOutcome, error) {
	sc, err := s.DrillScenario(d)
	if err != nil {
		return nil, err
	}
	out, err := s.scoreRequest(ctx, actor, sc, req)
	if err != nil {
		return nil, err
	}
	d.Scores = append(d.Scores, out.Score)
	d.Chosen = append(d.Chosen, supportlab.TriageClass(out.Answer.Action, out.Answer.Severity))
	return out, nil
}

// DrillRow is one answered step of a drill.
type DrillRow struct {
	N        int
	Scenario *supportlab.Scenario
	Score    int
	Passed   bool
	Chosen   string // triage class: A, B, C or in-house
	Expected string
}

// DrillRows lists the answered steps.
func (s *Service) DrillRows(d *Drill) []DrillRow {
	var out []DrillRow
	for i, score := range d.Scores {
		sc, err := s.cfg.Bank.Scenario(d.UIDs[i])
		if err != nil {
			continue // ValidDrill checked them; a new import may still race
		}
		out = append(out, DrillRow{
			N: i + 1, Scenario: sc, Score: score, Passed: supportlab.PassedSandbox(score),
			Chosen:   d.Chosen[i],
			Expected: supportlab.TriageClass(sc.Expect.Action, sc.Expect.Severity),
		})
	}
	return out
}
