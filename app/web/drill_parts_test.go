package web

import (
	"testing"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// TestDrillParts: the summary's parts, worked out from the score and the
// triage class a drill keeps, are the parts scoring gives.
func TestDrillParts(t *testing.T) {
	request := &supportlab.Scenario{Expect: supportlab.Expectation{Action: supportlab.ActionOpenRequest, Product: "exchange-online", Severity: "B"}}
	inHouse := &supportlab.Scenario{Expect: supportlab.Expectation{Action: supportlab.ActionHandleInHouse, Product: "exchange-online"}}
	long := "Nobody can send mail since this morning, every user of the company."
	for _, sc := range []*supportlab.Scenario{request, inHouse} {
		for _, action := range supportlab.Actions {
			for _, sev := range append([]string{""}, supportlab.Severities...) {
				for _, product := range []string{"", "exchange-online", "domains"} {
					for _, desc := range []string{"", long} {
						ans := supportlab.SandboxAnswer{Action: action, Product: product, Severity: sev, Title: "Mail", Description: desc}
						want := scoring.ScoreSandbox(sc.Expect, ans)
						score := want.Action + want.Severity + want.Product + want.Description
						row := training.DrillRow{Scenario: sc, Score: score, Chosen: supportlab.TriageClass(action, sev)}
						got := drillParts(row)
						if got == nil {
							t.Fatalf("%+v: no parts", ans)
						}
						pts := map[string]int{}
						for _, p := range got {
							pts[p.Key] = p.Points
						}
						if pts["action"] != want.Action || pts["severity"] != want.Severity || pts["product"] != want.Product || pts["description"] != want.Description {
							t.Errorf("expect %+v, answer %+v: parts %v, want %+v", sc.Expect, ans, pts, want)
						}
					}
				}
			}
		}
	}
}
