package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// The sandbox: a learner reads a situation, decides whether it is Microsoft
// support's job or the admin's, and, if it is Microsoft's, finds the request
// form in a simulated Microsoft 365 admin center. Finding the form is part of
// the exercise, so the simulation's navigation is made of plain links
// (?view=…): it works without JavaScript and every view has its own URL.

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

// requestInputIDs are the ids of the request form's inputs by field name:
// the error summary links each problem to its input.
var requestInputIDs = map[string]string{
	"action":         "sr-action-" + supportlab.ActionOpenRequest,
	"product":        "sr-product",
	"severity":       "sr-severity-A",
	"title":          "sr-title",
	"description":    "sr-description",
	"contact_name":   "sr-contact-name",
	"contact_email":  "sr-contact-email",
	"contact_phone":  "sr-contact-phone",
	"affected_users": "sr-affected-users",
}

// sandboxForm is the simulated service-request form: what the learner typed,
// kept as typed so that a refused form comes back filled in, and the
// problems found, per field.
type sandboxForm struct {
	training.SandboxRequest
	Errors    map[string]string // field name → message
	ErrorList []fieldError      // the same, in form order, for the summary
}

// Err returns the message for a field, or "".
func (f *sandboxForm) Err(field string) string { return f.Errors[field] }

// MaxTitle is the title's maxlength: the browser stops the learner where
// the server would refuse.
func (f *sandboxForm) MaxTitle() int { return training.MaxTitleRunes }

// MaxDescription is the description's maxlength.
func (f *sandboxForm) MaxDescription() int { return training.MaxDescriptionRunes }

// Products feeds the product select, in SPEC's order.
func (f *sandboxForm) Products() []string { return supportlab.Products }

// Severities feeds the severity radios, most severe first.
func (f *sandboxForm) Severities() []string { return supportlab.Severities }

// Actions feeds the decision radios.
func (f *sandboxForm) Actions() []string { return supportlab.Actions }

// readSandboxForm takes the request fields from a submitted form. Values
// are already Go-owned copies (formValues).
func readSandboxForm(form map[string][]string) *sandboxForm {
	return &sandboxForm{SandboxRequest: training.SandboxRequest{
		Action:        first(form["action"]),
		Product:       first(form["product"]),
		Severity:      first(form["severity"]),
		Title:         first(form["title"]),
		Description:   first(form["description"]),
		ContactName:   first(form["contact_name"]),
		ContactEmail:  first(form["contact_email"]),
		ContactPhone:  first(form["contact_phone"]),
		AffectedUsers: first(form["affected_users"]),
	}}
}

// refused records the problems of a refused form, in the page's language.
func (f *sandboxForm) refused(p Page, err error) {
	f.Errors = map[string]string{}
	for _, fe := range supportlab.AsError(err).Fields {
		msg := p.T(fe.Key, fe.Args...)
		f.Errors[fe.Field] = msg
		f.ErrorList = append(f.ErrorList, fieldError{Field: requestInputIDs[fe.Field], Message: msg})
	}
}

// requestFormView is the request-form partial's data: the form, where it
// posts, and, in a drill, the step it answers.
type requestFormView struct {
	P       Page
	F       *sandboxForm
	Action  string
	DrillID string
	UID     string
	Step    int
	// DecisionApart: the page shows the decision (the action radios) beside
	// the situation, tied to the form by its id, instead of in the form.
	DecisionApart bool
	// Preselect is the decision checked when the learner has made none yet:
	// opening New service request means filing one.
	Preselect string
}

// textFieldView is one unscored text field of the request form.
type textFieldView struct {
	P                           Page
	Name, ID, Type, Label, Auto string
	Value, Err                  string
	Max                         int
}

// ContactFields are the unscored contact fields, in the form's order.
func (v requestFormView) ContactFields() []textFieldView {
	f := v.F
	fields := []textFieldView{
		{Name: "contact_name", Type: "text", Value: f.ContactName, Auto: "name"},
		{Name: "contact_email", Type: "email", Value: f.ContactEmail, Auto: "email"},
		{Name: "contact_phone", Type: "tel", Value: f.ContactPhone, Auto: "tel"},
		{Name: "affected_users", Type: "number", Value: f.AffectedUsers, Auto: "off"},
	}
	for i := range fields {
		fl := &fields[i]
		fl.P, fl.ID, fl.Label = v.P, requestInputIDs[fl.Name], "sandbox.form."+fl.Name
		fl.Err, fl.Max = f.Err(fl.Name), training.MaxContactRunes
	}
	return fields
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
	Items []scenarioItem // the scenarios the filters keep
	// All is how many scenarios the language has, Tried and Passed how many
	// of them the signed-in learner tried and passed.
	All, Tried, Passed int
	// Product and Severity are the filters applied ("" for all), Products
	// the areas the language's scenarios touch, for the filter's options.
	Product, Severity string
	Products          []string
}

// Severities are the severity filter's options.
func (p sandboxListPage) Severities() []string { return supportlab.Severities }

// Untried is how many scenarios the learner has not tried yet.
func (p sandboxListPage) Untried() int { return p.All - p.Tried }

// Filtered reports whether a filter is applied.
func (p sandboxListPage) Filtered() bool { return p.Product != "" || p.Severity != "" }

// keepScenario reports whether sc passes the list's filters. The product
// filter reads the area shown on the list. The severity filter keeps the
// scenarios expected at that level and also every scenario the admin handles
// in-house: the list must never tell those apart from the others.
func keepScenario(sc *supportlab.Scenario, product, severity string) bool {
	if product != "" && sc.Area != product {
		return false
	}
	if severity != "" && sc.Expect.Action == supportlab.ActionOpenRequest && sc.Expect.Severity != severity {
		return false
	}
	return true
}

// sandboxList shows the scenarios of the current language, filtered by
// product and severity (?product=, ?severity=: a plain GET form), with how
// many the signed-in learner passed.
func (s *Server) sandboxList(c *fiber.Ctx) error {
	p := s.page(c, "")
	p.Title, p.Nav = p.T("sandbox.title"), "sandbox"
	best, err := s.svc.BestScores(c.UserContext(), p.User)
	if err != nil {
		return err
	}
	page := sandboxListPage{Page: p}
	if v := c.Query("product"); supportlab.ValidProduct(v) {
		page.Product = strings.Clone(v)
	}
	if v := c.Query("severity"); slices.Contains(supportlab.Severities, v) {
		page.Severity = strings.Clone(v)
	}
	areas := map[string]bool{}
	for _, sc := range s.svc.Scenarios(p.Lang) {
		page.All++
		if sc.Area != "" {
			areas[sc.Area] = true
		}
		it := scenarioItem{Scenario: sc, Product: sc.Area}
		if b, ok := best[supportlab.BestKey(supportlab.KindSandbox, sc.UID)]; ok {
			it.Best, it.Tried, it.Passed = b, true, supportlab.PassedSandbox(b)
		}
		if it.Tried {
			page.Tried++
		}
		if it.Passed {
			page.Passed++
		}
		if keepScenario(sc, page.Product, page.Severity) {
			page.Items = append(page.Items, it)
		}
	}
	for _, pr := range supportlab.Products {
		if areas[pr] {
			page.Products = append(page.Products, pr)
		}
	}
	return c.Render("sandbox", page)
}

// scenarioPage is a scenario beside the simulated admin center.
type scenarioPage struct {
	Page
	Scenario *supportlab.Scenario
	View     string
	AdminNav []adminNavItem // the simulation's menu, not the site's (Page.Nav)
	Expanded bool
	Request  requestFormView
}

// sandboxScenario shows a scenario and the admin-center view asked for.
func (s *Server) sandboxScenario(c *fiber.Ctx) error {
	sc, err := s.svc.Scenario(c.Params("uid"))
	if err != nil {
		return err
	}
	// ?lang= switches content as well as interface: go to the scenario's
	// translation when there is one.
	exists := func(uid string) bool { _, err := s.svc.Scenario(uid); return err == nil }
	if to := translationURL(c, "/sandbox/", sc.UID, sc.Lang, exists); to != "" {
		return seeOther(c, to)
	}
	view := viewHome
	if v := c.Query("view"); adminViewKnown(v) {
		view = strings.Clone(v)
	}
	return s.renderScenario(c, fiber.StatusOK, sc, view, &sandboxForm{}, nil)
}

func (s *Server) renderScenario(c *fiber.Ctx, status int, sc *supportlab.Scenario, view string, f *sandboxForm, err error) error {
	p := s.page(c, sc.Title)
	p.Nav = "sandbox"
	if err != nil {
		f.refused(p, err)
	}
	nav, expanded := adminNav(view)
	req := requestFormView{P: p, F: f, Action: "/sandbox/" + sc.UID, DecisionApart: true}
	if view == viewNewRequest && err == nil && f.Action == "" {
		req.Preselect = supportlab.ActionOpenRequest
	}
	return c.Status(status).Render("sandbox_scenario", scenarioPage{
		Page: p, Scenario: sc, View: view, AdminNav: nav, Expanded: expanded, Request: req,
	})
}

// sandboxSubmit scores a request. Refused input comes back as the form
// with the problems named, status 422. A signed-in learner's attempt is
// stored and the answer is a redirect to its review; an anonymous learner
// gets the result at once.
func (s *Server) sandboxSubmit(c *fiber.Ctx) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := readSandboxForm(form)
	out, err := s.svc.SubmitSandbox(c.UserContext(), currentUser(c), c.Params("uid"), f.SandboxRequest)
	if supportlab.ErrorCode(err) == supportlab.EINVALID {
		sc, serr := s.svc.Scenario(c.Params("uid"))
		if serr != nil {
			return serr
		}
		return s.renderScenario(c, fiber.StatusUnprocessableEntity, sc, viewNewRequest, f, err)
	} else if err != nil {
		return err
	}
	if out.AttemptID != 0 {
		return seeOther(c, attemptURL(out.AttemptID))
	}
	p := s.page(c, out.Scenario.Title)
	p.Nav = "sandbox"
	return c.Render("sandbox_result", sandboxResultPage{
		Page: p, Result: &sandboxResult{out}, Next: s.svc.NextScenario(out.Scenario),
	})
}

// partRow is one line of the score breakdown.
type partRow struct {
	Key    string // sandbox.part.<key>
	Points int
	Max    int // 0: the part is not scored for this scenario
}

// sandboxResult shows a scored request.
type sandboxResult struct {
	*training.SandboxOutcome
}

// Rows is the score breakdown, part by part.
func (r *sandboxResult) Rows() []partRow {
	return []partRow{
		{"action", r.Parts.Action, r.Max.Action},
		{"severity", r.Parts.Severity, r.Max.Severity},
		{"product", r.Parts.Product, r.Max.Product},
		{"description", r.Parts.Description, r.Max.Description},
	}
}

// barPart is one part of the score's stacked bar, on a scale of 100: the
// part's box starts at X and is Max wide, its earned points fill Points of
// it.
type barPart struct {
	Key         string
	Points, Max int
	X           int
}

// Bar lays out the scored parts side by side, in the breakdown's order.
func (r *sandboxResult) Bar() []barPart {
	var out []barPart
	x := 0
	for _, row := range r.Rows() {
		if row.Max == 0 {
			continue
		}
		out = append(out, barPart{Key: row.Key, Points: row.Points, Max: row.Max, X: x})
		x += row.Max
	}
	return out
}

// InHouse reports whether the scenario expects the admin to handle it.
func (r *sandboxResult) InHouse() bool {
	return r.Scenario.Expect.Action == supportlab.ActionHandleInHouse
}

// SeverityNote is the catalogue suffix explaining the severity chosen.
func (r *sandboxResult) SeverityNote() string { return r.Severity }

// MinDescription and PassScore are the rules' thresholds, for the text.
func (r *sandboxResult) MinDescription() int { return scoring.MinDescriptionRunes }

// PassScore is the score a sandbox attempt needs to pass.
func (r *sandboxResult) PassScore() int { return supportlab.SandboxPassScore }

// ActionRight reports whether the learner took the expected decision.
func (r *sandboxResult) ActionRight() bool { return r.Answer.Action == r.Scenario.Expect.Action }

// ProductRight reports whether the product matches an expected request.
func (r *sandboxResult) ProductRight() bool {
	return !r.InHouse() && r.Answer.Product == r.Scenario.Expect.Product
}

// SeverityRight reports whether the severity matches an expected request.
func (r *sandboxResult) SeverityRight() bool {
	return !r.InHouse() && r.Severity == scoring.SeverityExact
}

// RequestChosen reports whether the learner chose to open a request.
func (r *sandboxResult) RequestChosen() bool {
	return r.Answer.Action == supportlab.ActionOpenRequest
}

// resultView is the admin-center-result partial's data.
type resultView struct {
	P Page
	R *sandboxResult
}

// SandboxResult is what a page hands the admin-center-result partial.
func (p Page) SandboxResult(r *sandboxResult) resultView { return resultView{P: p, R: r} }

type sandboxResultPage struct {
	Page
	Result *sandboxResult
	Saved  bool
	Next   *supportlab.Scenario
	Review *training.Review // set when showing a stored attempt
}
