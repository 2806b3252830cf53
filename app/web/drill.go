package web

import (
	"crypto/hmac"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/scoring"
	"supportlab/app/supportlab"
)

// The triage drill: ten random scenarios of the learner's language in a
// row, answered straight in the request form, with a running score and a
// summary at the end. Its state lives in a signed cookie so that it works
// for anonymous learners too, without JavaScript, and survives a reload;
// the signature stops a learner from editing their own scores.

const (
	// drillLength is the number of scenarios in a drill (fewer if the
	// language has fewer).
	drillLength = 10
	drillCookie = "supportlab_drill"
	drillPath   = "/sandbox/drill"
	// maxDrillCookie bounds what readDrill accepts: a genuine state of ten
	// uids and scores is far below it.
	maxDrillCookie = 3000
)

// drillState is what the drill cookie carries: the drill's scenarios and,
// for each step answered so far, its score and the triage class chosen.
type drillState struct {
	ID     string   `json:"i"`
	Lang   string   `json:"l"`
	UIDs   []string `json:"u"`
	Scores []int    `json:"s"`
	Chosen []string `json:"c"`
}

// Step is the 0-based index of the scenario to answer next.
func (d *drillState) Step() int { return len(d.Scores) }

// Done reports whether every scenario was answered.
func (d *drillState) Done() bool { return len(d.Scores) >= len(d.UIDs) }

// Total is the sum of the scores so far.
func (d *drillState) Total() int {
	t := 0
	for _, s := range d.Scores {
		t += s
	}
	return t
}

// Average is the mean score so far, rounded half up; 0 before any answer.
func (d *drillState) Average() int {
	n := len(d.Scores)
	if n == 0 {
		return 0
	}
	return (2*d.Total() + n) / (2 * n)
}

// PassedCount is how many answered scenarios scored a pass.
func (d *drillState) PassedCount() int {
	n := 0
	for _, s := range d.Scores {
		if s >= supportlab.SandboxPassScore {
			n++
		}
	}
	return n
}

func (s *Server) drillMAC(payload string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("drill\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// readDrill returns the request's drill, or nil when there is none or the
// cookie is not one this server wrote for scenarios it still has.
func (s *Server) readDrill(c *fiber.Ctx) *drillState {
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
	var d drillState
	if err := json.Unmarshal(buf, &d); err != nil {
		return nil
	}
	if len(d.UIDs) == 0 || len(d.UIDs) > drillLength || len(d.Scores) > len(d.UIDs) || len(d.Chosen) != len(d.Scores) {
		return nil
	}
	for _, uid := range d.UIDs {
		if _, err := s.cfg.Bank.Scenario(uid); err != nil {
			return nil
		}
	}
	for _, sc := range d.Scores {
		if sc < 0 || sc > 100 {
			return nil
		}
	}
	return &d
}

func (s *Server) writeDrill(c *fiber.Ctx, d *drillState) error {
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

// newDrill draws up to drillLength scenarios of lang at random.
func (s *Server) newDrill(lang string) (*drillState, error) {
	list := s.cfg.Bank.Scenarios(lang)
	if len(list) == 0 {
		return nil, supportlab.Errorf(supportlab.ENOTFOUND, "There are no scenarios in this language yet.")
	}
	uids := make([]string, len(list))
	for i, sc := range list {
		uids[i] = sc.UID
	}
	rand.Shuffle(len(uids), func(a, b int) { uids[a], uids[b] = uids[b], uids[a] })
	if len(uids) > drillLength {
		uids = uids[:drillLength]
	}
	id := make([]byte, 8)
	if _, err := crand.Read(id); err != nil {
		return nil, err
	}
	return &drillState{ID: hex.EncodeToString(id), Lang: lang, UIDs: uids, Scores: []int{}, Chosen: []string{}}, nil
}

// drillRow is one answered scenario of a drill.
type drillRow struct {
	N        int
	Scenario *supportlab.Scenario
	Score    int
	Passed   bool
	Chosen   string // triage class: A, B, C or in-house
	Expected string
}

// rows lists the answered steps.
func (s *Server) drillRows(d *drillState) []drillRow {
	var out []drillRow
	for i, score := range d.Scores {
		sc, err := s.cfg.Bank.Scenario(d.UIDs[i])
		if err != nil {
			continue // readDrill checked them; a reload may still race
		}
		out = append(out, drillRow{
			N: i + 1, Scenario: sc, Score: score, Passed: score >= supportlab.SandboxPassScore,
			Chosen:   d.Chosen[i],
			Expected: supportlab.TriageClass(sc.Expect.Action, sc.Expect.Severity),
		})
	}
	return out
}

type drillIntroPage struct {
	Page
	Drill     *drillState // nil when none is under way
	Available int         // scenarios in the current language
	Length    int
}

func (s *Server) drillIntro(c *fiber.Ctx) error {
	p := s.page(c, "")
	p.Title = p.T("drill.title")
	p.Nav = "sandbox"
	n := len(s.cfg.Bank.Scenarios(p.Lang))
	return c.Render("drill", drillIntroPage{Page: p, Drill: s.readDrill(c), Available: n, Length: min(n, drillLength)})
}

func (s *Server) drillStart(c *fiber.Ctx) error {
	d, err := s.newDrill(currentLang(c))
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
	Drill    *drillState
	Scenario *supportlab.Scenario
	Number   int // 1-based
	Count    int
	Form     *sandboxForm
	Last     *drillRow // feedback on the step just answered
}

func (s *Server) drillStep(c *fiber.Ctx) error {
	d := s.readDrill(c)
	if d == nil {
		return seeOther(c, drillPath)
	}
	if d.Done() {
		return seeOther(c, drillPath+"/summary")
	}
	return s.renderDrillStep(c, fiber.StatusOK, d, &sandboxForm{})
}

func (s *Server) renderDrillStep(c *fiber.Ctx, status int, d *drillState, f *sandboxForm) error {
	sc, err := s.cfg.Bank.Scenario(d.UIDs[d.Step()])
	if err != nil {
		return err
	}
	p := s.page(c, "")
	p.Title = p.T("drill.step_title", "N", d.Step()+1, "Count", len(d.UIDs))
	p.Nav = "sandbox"
	page := drillStepPage{Page: p, Drill: d, Scenario: sc, Number: d.Step() + 1, Count: len(d.UIDs), Form: f}
	if rows := s.drillRows(d); len(rows) > 0 {
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
	sc, err := s.cfg.Bank.Scenario(d.UIDs[d.Step()])
	if err != nil {
		return err
	}
	f := readSandboxForm(form)
	if !f.validate(s.page(c, "")) {
		return s.renderDrillStep(c, fiber.StatusUnprocessableEntity, d, f)
	}
	ans := f.answer()
	parts := scoring.ScoreSandbox(sc.Expect, ans)
	if _, err := s.saveSandboxAttempt(c, sc, ans, parts); err != nil {
		return err
	}
	d.Scores = append(d.Scores, parts.Total())
	d.Chosen = append(d.Chosen, supportlab.TriageClass(ans.Action, ans.Severity))
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
	Drill     *drillState
	Rows      []drillRow
	MaxTotal  int // 100 per scenario
	PassScore int
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
	p.Title = p.T("drill.summary_title")
	p.Nav = "sandbox"
	return c.Render("drill_summary", drillSummaryPage{
		Page: p, Drill: d, Rows: s.drillRows(d),
		MaxTotal: 100 * len(d.UIDs), PassScore: supportlab.SandboxPassScore,
	})
}
