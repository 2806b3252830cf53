package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// The triage drill: ten random scenarios of the learner's language in a
// row, answered straight in the request form, with a running score and a
// summary at the end. Its state lives in a signed cookie so that it works
// for anonymous learners too, without JavaScript, and survives a reload;
// the signature stops a learner from editing their own scores.

const (
	drillCookie = "supportlab_drill"
	drillPath   = "/sandbox/drill"
	// maxDrillCookie bounds what readDrill accepts: a genuine state of ten
	// uids and scores is far below it.
	maxDrillCookie = 3000
)

func (s *Server) drillMAC(payload string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("drill\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// readDrill returns the request's drill, or nil when there is none or the
// cookie is not one this server wrote for scenarios it still has.
func (s *Server) readDrill(c *fiber.Ctx) *training.Drill {
	raw := c.Cookies(drillCookie)
	if raw == "" || len(raw) > maxDrillCookie {
		return nil
	}
	payload, mac, ok := strings.Cut(raw, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.drillMAC(payload))) {
		return nil
	}
	buf, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil
	}
	var d training.Drill
	if err := json.Unmarshal(buf, &d); err != nil || !s.svc.ValidDrill(&d) {
		return nil
	}
	return &d
}

func (s *Server) writeDrill(c *fiber.Ctx, d *training.Drill) error {
	buf, err := json.Marshal(d)
	if err != nil {
		return err
	}
	payload := base64.RawURLEncoding.EncodeToString(buf)
	c.Cookie(&fiber.Cookie{
		Name: drillCookie, Value: payload + "." + s.drillMAC(payload), Path: drillPath,
		MaxAge: 7 * 24 * 3600, SameSite: "Lax", HTTPOnly: true, Secure: s.cfg.SecureCookies,
	})
	return nil
}

type drillIntroPage struct {
	Page
	Drill     *training.Drill // nil when none is under way
	Available int             // scenarios in the current language
	Length    int
}

func (s *Server) drillIntro(c *fiber.Ctx) error {
	p := s.page(c, "")
	p.Title, p.Nav = p.T("drill.title"), "sandbox"
	n := len(s.svc.Scenarios(p.Lang))
	return c.Render("drill", drillIntroPage{Page: p, Drill: s.readDrill(c), Available: n, Length: min(n, training.DrillLength)})
}

func (s *Server) drillStart(c *fiber.Ctx) error {
	d, err := s.svc.StartDrill(currentLang(c))
	if err != nil {
		return err
	}
	if err := s.writeDrill(c, d); err != nil {
		return err
	}
	return seeOther(c, drillPath+"/step")
}

type drillStepPage struct {
	Page
	Drill    *training.Drill
	Scenario *supportlab.Scenario
	Number   int // 1-based
	Count    int
	Request  requestFormView
	Last     *training.DrillRow // feedback on the step just answered
}

func (s *Server) drillStep(c *fiber.Ctx) error {
	d := s.readDrill(c)
	if d == nil {
		return seeOther(c, drillPath)
	}
	if d.Done() {
		return seeOther(c, drillPath+"/summary")
	}
	return s.renderDrillStep(c, fiber.StatusOK, d, &sandboxForm{}, nil)
}

func (s *Server) renderDrillStep(c *fiber.Ctx, status int, d *training.Drill, f *sandboxForm, err error) error {
	sc, serr := s.svc.DrillScenario(d)
	if serr != nil {
		return serr
	}
	p := s.page(c, "")
	p.Title = p.T("drill.step_title", "N", d.Step()+1, "Count", len(d.UIDs))
	p.Nav = "sandbox"
	if err != nil {
		f.refused(p, err)
	}
	page := drillStepPage{
		Page: p, Drill: d, Scenario: sc, Number: d.Step() + 1, Count: len(d.UIDs),
		Request: requestFormView{P: p, F: f, Action: drillPath + "/step", DrillID: d.ID, UID: sc.UID, Step: d.Step()},
	}
	if rows := s.svc.DrillRows(d); len(rows) > 0 {
		page.Last = &rows[len(rows)-1]
	}
	return c.Status(status).Render("drill_step", page)
}

// drillAnswer scores the current step. An answer sent from a stale page (an
// older step, or another drill) is not counted: the learner is sent to the
// step that is actually due.
func (s *Server) drillAnswer(c *fiber.Ctx) error {
	d := s.readDrill(c)
	if d == nil {
		return seeOther(c, drillPath)
	}
	if d.Done() {
		return seeOther(c, drillPath+"/summary")
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	if id := first(form["drill"]); id != "" && id != d.ID {
		return seeOther(c, drillPath+"/step")
	}
	if step := first(form["step"]); step != "" && step != strconv.Itoa(d.Step()) {
		return seeOther(c, drillPath+"/step")
	}
	f := readSandboxForm(form)
	_, err = s.svc.AnswerDrill(c.UserContext(), currentUser(c), d, f.SandboxRequest)
	if supportlab.ErrorCode(err) == supportlab.EINVALID {
		return s.renderDrillStep(c, fiber.StatusUnprocessableEntity, d, f, err)
	} else if err != nil {
		return err
	}
	if err := s.writeDrill(c, d); err != nil {
		return err
	}
	if d.Done() {
		return seeOther(c, drillPath+"/summary")
	}
	return seeOther(c, drillPath+"/step")
}

type drillSummaryPage struct {
	Page
	Drill    *training.Drill
	Rows     []drillSummaryRow
	MaxTotal int // 100 per scenario
}

// LegendParts are the four scored parts, for the icons' legend.
func (drillSummaryPage) LegendParts() []partRow {
	var out []partRow
	for _, k := range []string{"action", "severity", "product", "description"} {
		out = append(out, partRow{k, 0, 0})
	}
	return out
}

// drillSummaryRow is one answered step with its score's parts.
type drillSummaryRow struct {
	training.DrillRow
	// Parts are the four scored parts in the breakdown's order, nil when
	// they cannot be told from what the drill keeps.
	Parts []partRow
}

// InHouse reports whether the scenario expects the admin to handle it.
func (r drillSummaryRow) InHouse() bool {
	return r.Scenario.Expect.Action == supportlab.ActionHandleInHouse
}

// drillParts works out a step's parts from what the drill keeps, its score
// and the triage class chosen: the decision and the severity follow from
// the class, and what is left of the score can only be the product (20),
// the description (10), both or neither.
func drillParts(row training.DrillRow) []partRow {
	exp := row.Scenario.Expect
	if exp.Action == supportlab.ActionHandleInHouse {
		return []partRow{{"action", row.Score, scoring.PointsInHouse}, {"severity", 0, 0}, {"product", 0, 0}, {"description", 0, 0}}
	}
	max := []partRow{{"action", 0, scoring.PointsAction}, {"severity", 0, scoring.PointsSeverityExact}, {"product", 0, scoring.PointsProduct}, {"description", 0, scoring.PointsDescription}}
	if row.Chosen == "in-house" {
		return max
	}
	parts := scoring.ScoreSandbox(exp, supportlab.SandboxAnswer{Action: supportlab.ActionOpenRequest, Severity: row.Chosen})
	rest := row.Score - parts.Action - parts.Severity
	switch rest {
	case 0, scoring.PointsDescription, scoring.PointsProduct, scoring.PointsProduct + scoring.PointsDescription:
	default:
		return nil
	}
	max[0].Points, max[1].Points = parts.Action, parts.Severity
	if rest >= scoring.PointsProduct {
		max[2].Points, rest = scoring.PointsProduct, rest-scoring.PointsProduct
	}
	max[3].Points = rest
	return max
}

func (s *Server) drillSummary(c *fiber.Ctx) error {
	d := s.readDrill(c)
	if d == nil {
		return seeOther(c, drillPath)
	}
	if !d.Done() {
		return seeOther(c, drillPath+"/step")
	}
	p := s.page(c, "")
	p.Title, p.Nav = p.T("drill.summary_title"), "sandbox"
	page := drillSummaryPage{Page: p, Drill: d, MaxTotal: 100 * len(d.UIDs)}
	for _, row := range s.svc.DrillRows(d) {
		page.Rows = append(page.Rows, drillSummaryRow{DrillRow: row, Parts: drillParts(row)})
	}
	return c.Render("drill_summary", page)
}
