package web

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
)

// The sandbox: a learner reads a situation, decides whether it is Microsoft
// support's job or the admin's, and, if it is Microsoft's, finds the request
// form in a simulated Microsoft 365 admin center. Finding the form is part of
// the exercise, so the simulation's navigation is made of plain links
// (?view=…): it works without JavaScript and every view has its own URL.

// Limits on the free-text fields of the request form. They keep a stored
// answer small; the form's maxlength attributes say the same.
const (
	maxTitleRunes       = 200
	maxDescriptionRunes = 8000
	maxContactRunes     = 200
)

// Admin-center views. The first group is what the collapsed navigation
// shows; the rest appear once the learner selects "Show all", as in the real
// admin center, where Support hides behind it.
const (
	viewHome       = "home"
	viewShowAll    = "show-all"
	viewSupport    = "support"
	viewNewRequest = "new-request"
	viewRequests   = "requests"
)

// collapsedNav and expandedNav are the left navigation in its two states.
var (
	collapsedNav = []string{"home", "users", "teams-groups", "billing", "settings", "setup", "reports", "health"}
	expandedNav  = []string{"home", "users", "teams-groups", "roles", "resources", "marketplace", "billing", viewSupport, "settings", "setup", "reports", "health", "admin-centers"}
	// supportChildren are the entries under Support once it is open.
	supportChildren = []string{viewNewRequest, viewRequests}
)

// adminViewKnown reports whether v is a view the simulation has a page for.
func adminViewKnown(v string) bool {
	return v == viewShowAll || slices.Contains(supportChildren, v) || slices.Contains(expandedNav, v)
}

// adminViewExpanded reports whether view v lives under "Show all", so that
// the navigation stays open while the learner is there.
func adminViewExpanded(v string) bool { return !slices.Contains(collapsedNav, v) }

// adminNavItem is one entry of the simulated left navigation.
type adminNavItem struct {
	ID       string
	Current  bool
	Open     bool // Support shows its children
	Children []adminNavItem
}

// adminNav builds the navigation for the current view.
func adminNav(view string) (items []adminNavItem, expanded bool) {
	expanded = adminViewExpanded(view)
	list := collapsedNav
	if expanded {
		list = expandedNav
	}
	for _, id := range list {
		it := adminNavItem{ID: id, Current: id == view}
		if id == viewSupport && (view == viewSupport || slices.Contains(supportChildren, view)) {
			it.Open = true
			for _, ch := range supportChildren {
				it.Children = append(it.Children, adminNavItem{ID: ch, Current: ch == view})
			}
		}
		items = append(items, it)
	}
	return items, expanded
}

// fieldError is one problem of the request form, for the error summary.
type fieldError struct {
	Field   string // id of the input the summary links to
	Message string
}

// sandboxForm is the simulated service-request form: what the learner typed,
// kept as typed so that a rejected form comes back filled in, and the
// problems found, per field.
type sandboxForm struct {
	Action      string
	Product     string
	Severity    string
	Title       string
	Description string
	// Realistic but unscored fields of the real form.
	ContactName   string
	ContactEmail  string
	ContactPhone  string
	AffectedUsers string

	Errors    map[string]string // field name → message
	ErrorList []fieldError      // the same, in form order, for the summary
}

// Err returns the message for a field, or "".
func (f *sandboxForm) Err(field string) string { return f.Errors[field] }

// MaxTitle is the title's maxlength: the browser stops the learner where
// the server would refuse.
func (f *sandboxForm) MaxTitle() int { return maxTitleRunes }

// MaxDescription is the description's maxlength.
func (f *sandboxForm) MaxDescription() int { return maxDescriptionRunes }

// MaxContact is the maxlength of the unscored contact fields.
func (f *sandboxForm) MaxContact() int { return maxContactRunes }

// Products feeds the product select, in SPEC's order.
func (f *sandboxForm) Products() []string { return supportlab.Products }

// Severities feeds the severity radios, most severe first.
func (f *sandboxForm) Severities() []string { return supportlab.Severities }

// Actions feeds the decision radios.
func (f *sandboxForm) Actions() []string { return supportlab.Actions }

// readSandboxForm takes the request fields from a submitted form. Values
// are already Go-owned copies (formValues).
func readSandboxForm(form map[string][]string) *sandboxForm {
	return &sandboxForm{
		Action:        strings.TrimSpace(first(form["action"])),
		Product:       strings.TrimSpace(first(form["product"])),
		Severity:      strings.ToUpper(strings.TrimSpace(first(form["severity"]))),
		Title:         first(form["title"]),
		Description:   first(form["description"]),
		ContactName:   first(form["contact_name"]),
		ContactEmail:  first(form["contact_email"]),
		ContactPhone:  first(form["contact_phone"]),
		AffectedUsers: first(form["affected_users"]),
	}
}

// shortValue trims a rejected value for quoting back in a message.
func shortValue(v string) string {
	const max = 40
	if utf8.RuneCountInString(v) <= max {
		return v
	}
	r := []rune(v)
	return string(r[:max]) + "…"
}

// validate checks the form and records a message per faulty field. Unknown
// values are always refused, even where they would be ignored: a value the
// form cannot produce means the learner's answer is not what they think.
func (f *sandboxForm) validate(p Page) bool {
	f.Errors = map[string]string{}
	f.ErrorList = nil
	add := func(field, id, msg string) {
		f.Errors[field] = msg
		f.ErrorList = append(f.ErrorList, fieldError{Field: id, Message: msg})
	}
	switch {
	case f.Action == "":
		add("action", "sr-action-"+supportlab.ActionOpenRequest, p.T("sandbox.error.action_missing"))
	case !supportlab.ValidAction(f.Action):
		add("action", "sr-action-"+supportlab.ActionOpenRequest, p.T("sandbox.error.action_unknown", "Value", shortValue(f.Action)))
	}
	// A request without a product or a severity is scored (those parts get
	// no points, and the result says so), as SPEC's table scores it; only
	// values the form cannot produce are refused.
	if f.Product != "" && !supportlab.ValidProduct(f.Product) {
		add("product", "sr-product", p.T("sandbox.error.product_unknown", "Value", shortValue(f.Product)))
	}
	if f.Severity != "" && !supportlab.ValidSeverity(f.Severity) {
		add("severity", "sr-severity-A", p.T("sandbox.error.severity_unknown", "Value", shortValue(f.Severity)))
	}
	if utf8.RuneCountInString(f.Title) > maxTitleRunes {
		add("title", "sr-title", p.T("sandbox.error.too_long", "Max", maxTitleRunes))
	}
	if utf8.RuneCountInString(f.Description) > maxDescriptionRunes {
		add("description", "sr-description", p.T("sandbox.error.too_long", "Max", maxDescriptionRunes))
	}
	for _, x := range []struct{ name, id, v string }{
		{"contact_name", "sr-contact-name", f.ContactName},
		{"contact_email", "sr-contact-email", f.ContactEmail},
		{"contact_phone", "sr-contact-phone", f.ContactPhone},
		{"affected_users", "sr-affected-users", f.AffectedUsers},
	} {
		if utf8.RuneCountInString(x.v) > maxContactRunes {
			add(x.name, x.id, p.T("sandbox.error.too_long", "Max", maxContactRunes))
		}
	}
	return len(f.ErrorList) == 0
}

// answer is the scored part of a valid form. Product and severity mean
// nothing when the learner keeps the problem in-house, so they are dropped.
func (f *sandboxForm) answer() supportlab.SandboxAnswer {
	a := supportlab.SandboxAnswer{
		Action: f.Action, Product: f.Product, Severity: f.Severity,
		Title: f.Title, Description: f.Description,
	}
	if a.Action == supportlab.ActionHandleInHouse {
		a.Product, a.Severity = "", ""
	}
	return a
}

// scenarioItem is one row of the scenario list.
type scenarioItem struct {
	Scenario *supportlab.Scenario
	Product  string // product id to show as the area tag, "" when the scenario names none
	Best     int
	Tried    bool
	Passed   bool
}

type sandboxListPage struct {
	Page
	Items []scenarioItem
}

// sandboxList shows every scenario of the current language.
func (s *Server) sandboxList(c *fiber.Ctx) error {
	p := s.page(c, "")
	p.Title = p.T("sandbox.title")
	p.Nav = "sandbox"
	best, err := s.bestScores(c)
	if err != nil {
		return err
	}
	var items []scenarioItem
	for _, sc := range s.cfg.Bank.Scenarios(p.Lang) {
		it := scenarioItem{Scenario: sc, Product: sc.Area}
		if b, ok := best[supportlab.BestKey(supportlab.KindSandbox, sc.UID)]; ok {
			it.Best, it.Tried, it.Passed = b, true, b >= supportlab.SandboxPassScore
		}
		items = append(items, it)
	}
	return c.Render("sandbox", sandboxListPage{Page: p, Items: items})
}

// bestScores returns the signed-in learner's best scores by
// supportlab.BestKey (nil when signed out or when attempts are not stored).
func (s *Server) bestScores(c *fiber.Ctx) (map[string]int, error) {
	u := currentUser(c)
	if u == nil || s.cfg.Attempts == nil {
		return nil, nil
	}
	return s.cfg.Attempts.BestScores(c.UserContext(), u.ID)
}

// scenarioPage is a scenario beside the simulated admin center.
type scenarioPage struct {
	Page
	Scenario *supportlab.Scenario
	View     string
	AdminNav []adminNavItem // the simulation's menu, not the site's (Page.Nav)
	Expanded bool
	Form     *sandboxForm
}

// sandboxScenario shows a scenario and the admin-center view asked for.
func (s *Server) sandboxScenario(c *fiber.Ctx) error {
	sc, err := s.cfg.Bank.Scenario(c.Params("uid"))
	if err != nil {
		return err
	}
	// ?lang= switches content as well as interface: go to the scenario's
	// translation when there is one.
	exists := func(uid string) bool { _, err := s.cfg.Bank.Scenario(uid); return err == nil }
	if to := translationURL(c, "/sandbox/", sc.UID, sc.Lang, exists); to != "" {
		return seeOther(c, to)
	}
	view := viewHome
	if v := c.Query("view"); adminViewKnown(v) {
		view = strings.Clone(v)
	}
	return s.renderScenario(c, fiber.StatusOK, sc, view, &sandboxForm{})
}

func (s *Server) renderScenario(c *fiber.Ctx, status int, sc *supportlab.Scenario, view string, f *sandboxForm) error {
	p := s.page(c, sc.Title)
	p.Nav = "sandbox"
	nav, expanded := adminNav(view)
	return c.Status(status).Render("sandbox_scenario", scenarioPage{
		Page: p, Scenario: sc, View: view, AdminNav: nav, Expanded: expanded, Form: f,
	})
}

// sandboxSubmit scores a request. Invalid input comes back as the form with
// the problems named, status 422; a valid one shows the result at once (and
// stores it for a signed-in learner): the result is not a resource to
// bookmark, and a reload offering to resend is what a learner expects.
func (s *Server) sandboxSubmit(c *fiber.Ctx) error {
	sc, err := s.cfg.Bank.Scenario(c.Params("uid"))
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := readSandboxForm(form)
	if !f.validate(s.page(c, "")) {
		return s.renderScenario(c, fiber.StatusUnprocessableEntity, sc, viewNewRequest, f)
	}
	ans := f.answer()
	parts := scoring.ScoreSandbox(sc.Expect, ans)
	saved, err := s.saveSandboxAttempt(c, sc, ans, parts)
	if err != nil {
		return err
	}
	p := s.page(c, sc.Title)
	p.Nav = "sandbox"
	return c.Render("sandbox_result", sandboxResultPage{
		Page:   p,
		Result: newSandboxResult(sc, ans, parts),
		Saved:  saved,
		Next:   s.nextScenario(sc),
	})
}

// saveSandboxAttempt stores a signed-in learner's attempt; it reports
// whether it did.
func (s *Server) saveSandboxAttempt(c *fiber.Ctx, sc *supportlab.Scenario, ans supportlab.SandboxAnswer, parts supportlab.SandboxParts) (bool, error) {
	u := currentUser(c)
	if u == nil || s.cfg.Attempts == nil {
		return false, nil
	}
	score := parts.Total()
	a := &supportlab.Attempt{
		UserID: u.ID, Kind: supportlab.KindSandbox, UID: sc.UID, Version: sc.Version,
		Score: score, Passed: score >= supportlab.SandboxPassScore, At: time.Now().UTC(),
		Parts: &parts, Answer: &ans,
		Expected: supportlab.TriageClass(sc.Expect.Action, sc.Expect.Severity),
	}
	if err := s.cfg.Attempts.CreateAttempt(c.UserContext(), a); err != nil {
		return false, err
	}
	return true, nil
}

// nextScenario is the scenario after sc in the list of its language,
// wrapping round; nil if sc is the only one.
func (s *Server) nextScenario(sc *supportlab.Scenario) *supportlab.Scenario {
	list := s.cfg.Bank.Scenarios(sc.Lang)
	for i, x := range list {
		if x.UID == sc.UID && len(list) > 1 {
			return list[(i+1)%len(list)]
		}
	}
	return nil
}

// partRow is one line of the score breakdown.
type partRow struct {
	Key    string // sandbox.part.<key>
	Points int
	Max    int // 0: the part is not scored for this scenario
}

// sandboxResult is a scored request, ready to show.
type sandboxResult struct {
	Scenario *supportlab.Scenario
	Answer   supportlab.SandboxAnswer
	Score    int
	Passed   bool
	Rows     []partRow
	// InHouse: the scenario expects the admin to handle it.
	InHouse bool
	// SeverityNote is the catalogue key suffix describing the severity
	// choice ("exact", "too-high", "too-low", "far", "missing"), "" when not
	// compared.
	SeverityNote string
	// DescriptionOK: title and a long enough description were given.
	DescriptionOK bool
	// MinDescription and PassScore are the rules' thresholds, for the text.
	MinDescription int
	PassScore      int
}

func newSandboxResult(sc *supportlab.Scenario, ans supportlab.SandboxAnswer, parts supportlab.SandboxParts) *sandboxResult {
	r := &sandboxResult{
		Scenario: sc, Answer: ans, Score: parts.Total(),
		InHouse:        sc.Expect.Action == supportlab.ActionHandleInHouse,
		DescriptionOK:  scoring.DescriptionComplete(ans),
		MinDescription: scoring.MinDescriptionRunes,
		PassScore:      supportlab.SandboxPassScore,
	}
	r.Passed = r.Score >= supportlab.SandboxPassScore
	if r.InHouse {
		r.Rows = []partRow{
			{"action", parts.Action, scoring.PointsInHouse},
			{"severity", parts.Severity, 0},
			{"product", parts.Product, 0},
			{"description", parts.Description, 0},
		}
	} else {
		r.Rows = []partRow{
			{"action", parts.Action, scoring.PointsAction},
			{"severity", parts.Severity, scoring.PointsSeverityExact},
			{"product", parts.Product, scoring.PointsProduct},
			{"description", parts.Description, scoring.PointsDescription},
		}
		if ans.Action == supportlab.ActionOpenRequest && ans.Severity == "" {
			r.SeverityNote = "missing"
		} else if ans.Action == supportlab.ActionOpenRequest {
			switch supportlab.SeverityIndex(ans.Severity) - supportlab.SeverityIndex(sc.Expect.Severity) {
			case 0:
				r.SeverityNote = "exact"
			case -1:
				r.SeverityNote = "too-high"
			case 1:
				r.SeverityNote = "too-low"
			default:
				r.SeverityNote = "far"
			}
		}
	}
	return r
}

// ActionRight reports whether the learner took the expected decision.
func (r *sandboxResult) ActionRight() bool { return r.Answer.Action == r.Scenario.Expect.Action }

// ProductRight reports whether the product matches an expected request.
func (r *sandboxResult) ProductRight() bool {
	return !r.InHouse && r.Answer.Product == r.Scenario.Expect.Product
}

// SeverityRight reports whether the severity matches an expected request.
func (r *sandboxResult) SeverityRight() bool {
	return !r.InHouse && r.Answer.Severity == r.Scenario.Expect.Severity
}

// RequestChosen reports whether the learner chose to open a request.
func (r *sandboxResult) RequestChosen() bool {
	return r.Answer.Action == supportlab.ActionOpenRequest
}

type sandboxResultPage struct {
	Page
	Result *sandboxResult
	Saved  bool
	Next   *supportlab.Scenario
}
