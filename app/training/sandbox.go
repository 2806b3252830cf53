package training

import (
	"context"
	"strings"
	"unicode/utf8"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
)

// Limits on the free-text fields of the simulated request form. They keep
// a stored answer small; the form's maxlength attributes say the same.
const (
	MaxTitleRunes       = 200
	MaxDescriptionRunes = 8000
	MaxContactRunes     = 200
)

// SandboxRequest is the simulated service-request form as the learner
// filled it in. The contact fields make the form look like the real one;
// they are checked for length but not scored.
type SandboxRequest struct {
	Action, Product, Severity, Title, Description string
	ContactName, ContactEmail, ContactPhone       string
	AffectedUsers                                 string
}

// normalise trims what a learner may type around a value.
func (r *SandboxRequest) normalise() {
	r.Action = strings.TrimSpace(r.Action)
	r.Product = strings.TrimSpace(r.Product)
	r.Severity = strings.ToUpper(strings.TrimSpace(r.Severity))
}

// check returns the form's problems, one per field, in the form's order.
// Unknown values are refused even where scoring would ignore them: a value
// the form cannot produce means the answer is not what the learner thinks.
// A request without a product or a severity is scored (those parts get no
// points, and the result says so), as SPEC's table scores it.
func (r *SandboxRequest) check() error {
	var fs []supportlab.FieldError
	add := func(field, key string, args ...any) {
		fs = append(fs, supportlab.FieldError{Field: field, Key: key, Args: args})
	}
	switch {
	case r.Action == "":
		add("action", "sandbox.error.action_missing")
	case !supportlab.ValidAction(r.Action):
		add("action", "sandbox.error.action_unknown", "Value", shortValue(r.Action))
	}
	if r.Product != "" && !supportlab.ValidProduct(r.Product) {
		add("product", "sandbox.error.product_unknown", "Value", shortValue(r.Product))
	}
	if r.Severity != "" && !supportlab.ValidSeverity(r.Severity) {
		add("severity", "sandbox.error.severity_unknown", "Value", shortValue(r.Severity))
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"title", r.Title, MaxTitleRunes},
		{"description", r.Description, MaxDescriptionRunes},
		{"contact_name", r.ContactName, MaxContactRunes},
		{"contact_email", r.ContactEmail, MaxContactRunes},
		{"contact_phone", r.ContactPhone, MaxContactRunes},
		{"affected_users", r.AffectedUsers, MaxContactRunes},
	} {
		if utf8.RuneCountInString(f.v) > f.max {
			add(f.name, "sandbox.error.too_long", "Max", f.max)
		}
	}
	return supportlab.Invalid(fs)
}

// answer is the scored part of a valid form. Product and severity mean
// nothing when the learner keeps the problem in-house, so they are dropped.
func (r *SandboxRequest) answer() supportlab.SandboxAnswer {
	a := supportlab.SandboxAnswer{
		Action: r.Action, Product: r.Product, Severity: r.Severity,
		Title: r.Title, Description: r.Description,
	}
	if a.Action == supportlab.ActionHandleInHouse {
		a.Product, a.Severity = "", ""
	}
	return a
}

// shortValue trims a rejected value for quoting back in a message.
func shortValue(v string) string {
	const max = 40
	if utf8.RuneCountInString(v) <= max {
		return v
	}
	return string([]rune(v)[:max]) + "…"
}

// SandboxOutcome is a scored request.
type SandboxOutcome struct {
	Scenario *supportlab.Scenario
	Answer   supportlab.SandboxAnswer
	Parts    supportlab.SandboxParts
	// Max is the most each part could score for this scenario.
	Max    supportlab.SandboxParts
	Score  int
	Passed bool
	// Severity is scoring's verdict on the severity chosen ("" when none
	// was compared).
	Severity string
	// DescriptionOK: the request has a title and a long enough description.
	DescriptionOK bool
	// AttemptID is the stored attempt, 0 when nothing was stored.
	AttemptID int64
}

// outcome scores ans against sc.
func outcome(sc *supportlab.Scenario, ans supportlab.SandboxAnswer, parts supportlab.SandboxParts) *SandboxOutcome {
	score := parts.Total()
	return &SandboxOutcome{
		Scenario: sc, Answer: ans, Parts: parts, Max: scoring.MaxParts(sc.Expect),
		Score: score, Passed: supportlab.PassedSandbox(score),
		Severity:      scoring.SeverityVerdict(sc.Expect, ans),
		DescriptionOK: scoring.DescriptionComplete(ans),
	}
}

// SubmitSandbox scores a request for scenario uid and, for a signed-in
// learner, stores the attempt. A form with values it cannot hold is an
// EINVALID error with a problem per field, and stores nothing.
func (s *Service) SubmitSandbox(ctx context.Context, actor *supportlab.User, uid string, req SandboxRequest) (*SandboxOutcome, error) {
	sc, err := s.Scenario(uid)
	if err != nil {
		return nil, err
	}
	return s.scoreRequest(ctx, actor, sc, req)
}

// scoreRequest checks, scores and stores one request: the sandbox and the
// drill share it.
func (s *Service) scoreRequest(ctx context.Context, actor *supportlab.User, sc *supportlab.Scenario, req SandboxRequest) (*SandboxOutcome, error) {
	req.normalise()
	if err := req.check(); err != nil {
		return nil, err
	}
	ans := req.answer()
	out := outcome(sc, ans, scoring.ScoreSandbox(sc.Expect, ans))
	if actor == nil {
		return out, nil
	}
	a := &supportlab.Attempt{
		UserID: actor.ID, Kind: supportlab.KindSandbox, UID: sc.UID, Version: sc.Version,
		Score: out.Score, Passed: out.Passed, At: s.cfg.Now().UTC(),
		Parts: &out.Parts, Answer: &out.Answer,
		Expected: supportlab.TriageClass(sc.Expect.Action, sc.Expect.Severity),
	}
	if err := s.cfg.Attempts.CreateAttempt(ctx, a); err != nil {
		return nil, err
	}
	out.AttemptID = a.ID
	return out, nil
}

// NextScenario is the scenario after sc in the list of its language,
// wrapping round; nil if sc is the only one.
func (s *Service) NextScenario(sc *supportlab.Scenario) *supportlab.Scenario {
	list := s.Scenarios(sc.Lang)
	for i, x := range list {
		if x.UID == sc.UID && len(list) > 1 {
			return list[(i+1)%len(list)]
		}
	}
	return nil
}
