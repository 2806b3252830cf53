package quizbank

import (
	"strings"

	"supportlab/app/supportlab"
	"supportlab/app/typography"
	"supportlab/app/yamldoc"
)

var (
	expectSchema   = yamldoc.Schema{"action": nil, "product": nil, "severity": nil}
	scenarioSchema = yamldoc.Schema{
		"uid": nil, "title": nil, "lang": nil, "situation": nil, "explanation": nil,
		"expect": expectSchema,
	}
)

type scenarioFile struct {
	UID         string `yaml:"uid"`
	Title       string `yaml:"title"`
	Lang        string `yaml:"lang"`
	Situation   string `yaml:"situation"`
	Explanation string `yaml:"explanation"`
	// Expect is read on its own, field by field.
}

type expectFile struct {
	Action   string `yaml:"action"`
	Product  string `yaml:"product"`
	Severity string `yaml:"severity"`
}

// ParseScenario reads and validates one sandbox scenario file, reporting
// every problem of the file at its line: a bad action does not hide a bad
// product or severity.
func (b *Bank) ParseScenario(path string, src []byte) (*supportlab.Scenario, supportlab.Problems) {
	if ps := checkSize(path, int64(len(src))); ps != nil {
		return nil, ps
	}
	root, ps := yamldoc.Parse(path, src, 0)
	if ps != nil {
		return nil, ps
	}
	yamldoc.CheckKeys(path, root, scenarioSchema, 0, &ps)
	var f scenarioFile
	unread := yamldoc.Decode(path, root, &f, scenarioSchema, 0, &ps)
	expect, expectLine := yamldoc.Field(root, "expect"), yamldoc.LineOf(root, "expect", 1)
	var e expectFile
	expectUnread := yamldoc.Decode(path, expect, &e, expectSchema, 0, &ps)
	if unread.Has("expect") {
		expectUnread.Add(yamldoc.Whole)
	}

	if !unread.Has("uid") {
		checkUID(&ps, path, yamldoc.LineOf(root, "uid", 1), f.UID)
	}
	checkTitleLang(&ps, path, f.Title, yamldoc.LineOf(root, "title", 1), f.Lang, yamldoc.LineOf(root, "lang", 1), unread)
	if strings.TrimSpace(f.Situation) == "" && !unread.Has("situation") {
		ps.Add(path, yamldoc.LineOf(root, "situation", 1), "situation is required")
	}
	if strings.TrimSpace(f.Explanation) == "" && !unread.Has("explanation") {
		ps.Add(path, yamldoc.LineOf(root, "explanation", 1), "explanation is required")
	}
	// A missing expect field is reported where expect starts, or at the
	// top of the file when expect itself is missing.
	badProduct := func() {
		ps.Add(path, yamldoc.LineOf(expect, "product", expectLine),
			"expect.product must be one of %s, not %q", strings.Join(supportlab.Products, ", "), e.Product)
	}
	badSeverity := func() {
		ps.Add(path, yamldoc.LineOf(expect, "severity", expectLine),
			"expect.severity must be A, B or C, not %q", e.Severity)
	}
	switch {
	case e.Action == supportlab.ActionOpenRequest:
		if !supportlab.ValidProduct(e.Product) && !expectUnread.Has("product") {
			badProduct()
		}
		if !supportlab.ValidSeverity(e.Severity) && !expectUnread.Has("severity") {
			badSeverity()
		}
	case e.Action == supportlab.ActionHandleInHouse:
		// Product and severity are ignored for scoring (SPEC): the admin
		// files nothing. A known product still names the list's area tag.
	default:
		if !expectUnread.Has("action") {
			ps.Add(path, yamldoc.LineOf(expect, "action", expectLine),
				"expect.action must be open-request or handle-in-house, not %q", e.Action)
		}
		// Whatever the action was meant to be, a product or severity
		// that is given must be one that exists.
		if e.Product != "" && !supportlab.ValidProduct(e.Product) {
			badProduct()
		}
		if e.Severity != "" && !supportlab.ValidSeverity(e.Severity) {
			badSeverity()
		}
	}
	if len(ps) > 0 {
		return nil, ps.Capped(supportlab.MaxReported)
	}
	exp := supportlab.Expectation{Action: e.Action}
	area := ""
	if supportlab.ValidProduct(e.Product) {
		area = e.Product
	}
	if exp.Action == supportlab.ActionOpenRequest {
		exp.Product, exp.Severity = e.Product, e.Severity
	}
	r := b.renderer(f.Lang)
	s := &supportlab.Scenario{
		UID: f.UID, Title: typography.For(f.Lang, strings.TrimSpace(f.Title)), Lang: f.Lang,
		Situation: f.Situation, SituationHTML: r.block(f.Situation),
		Expect: exp, Area: area, Explanation: f.Explanation, ExplanationHTML: r.block(f.Explanation),
		Path: path,
	}
	s.Hash = hashJSON(s)
	return s, nil
}
