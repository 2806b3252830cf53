package quizbank

import (
	"strings"

	"supportlab/app/supportlab"
	"supportlab/app/yamldoc"
)

var scenarioSchema = yamldoc.Schema{
	"uid": nil, "title": nil, "lang": nil, "situation": nil, "explanation": nil,
	"expect": yamldoc.Schema{"action": nil, "product": nil, "severity": nil},
}

type scenarioFile struct {
	UID       string `yaml:"uid"`
	Title     string `yaml:"title"`
	Lang      string `yaml:"lang"`
	Situation string `yaml:"situation"`
	Expect    struct {
		Action   string `yaml:"action"`
		Product  string `yaml:"product"`
		Severity string `yaml:"severity"`
	} `yaml:"expect"`
	Explanation string `yaml:"explanation"`
}

// ParseScenario reads and validates one sandbox scenario file.
func (b *Bank) ParseScenario(path string, src []byte) (*supportlab.Scenario, supportlab.Problems) {
	root, ps := yamldoc.Parse(path, src, 0)
	if ps != nil {
		return nil, ps
	}
	yamldoc.CheckKeys(path, root, scenarioSchema, 0, &ps)
	var f scenarioFile
	if err := root.Decode(&f); err != nil {
		ps = append(ps, yamldoc.Problems(path, err, 0)...)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	checkUID(&ps, path, yamldoc.LineOf(root, "uid", 1), f.UID, false)
	checkTitleLang(&ps, path, f.Title, yamldoc.LineOf(root, "title", 1), f.Lang, yamldoc.LineOf(root, "lang", 1))
	if strings.TrimSpace(f.Situation) == "" {
		ps.Add(path, yamldoc.LineOf(root, "situation", 1), "situation is required")
	}
	if strings.TrimSpace(f.Explanation) == "" {
		ps.Add(path, yamldoc.LineOf(root, "explanation", 1), "explanation is required")
	}
	// A missing expect field is reported where expect starts, or at the
	// top of the file when expect itself is missing.
	expect, expectLine := yamldoc.Field(root, "expect"), yamldoc.LineOf(root, "expect", 1)
	switch f.Expect.Action {
	case supportlab.ActionOpenRequest:
		if !supportlab.ValidProduct(f.Expect.Product) {
			ps.Add(path, yamldoc.LineOf(expect, "product", expectLine),
				"expect.product must be one of %s, not %q", strings.Join(supportlab.Products, ", "), f.Expect.Product)
		}
		if !supportlab.ValidSeverity(f.Expect.Severity) {
			ps.Add(path, yamldoc.LineOf(expect, "severity", expectLine),
				"expect.severity must be A, B or C, not %q", f.Expect.Severity)
		}
	case supportlab.ActionHandleInHouse:
		// Product and severity are ignored for scoring (SPEC): the admin
		// files nothing. A known product still names the list's area tag.
	default:
		ps.Add(path, yamldoc.LineOf(expect, "action", expectLine),
			"expect.action must be open-request or handle-in-house, not %q", f.Expect.Action)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	exp := supportlab.Expectation{Action: f.Expect.Action}
	area := ""
	if supportlab.ValidProduct(f.Expect.Product) {
		area = f.Expect.Product
	}
	if exp.Action == supportlab.ActionOpenRequest {
		exp.Product, exp.Severity = f.Expect.Product, f.Expect.Severity
	}
	r := b.renderer(f.Lang)
	s := &supportlab.Scenario{
		UID: f.UID, Title: strings.TrimSpace(f.Title), Lang: f.Lang,
		Situation: f.Situation, SituationHTML: r.block(f.Situation),
		Expect: exp, Area: area, Explanation: f.Explanation, ExplanationHTML: r.block(f.Explanation),
		Path: path,
	}
	s.Hash = hashJSON(s)
	return s, nil
}
