package web

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// Teams: trainers create a team and share its join code; learners join on
// /teams. Access is decided per request by teamFor: admins see every team,
// a team's trainers see its dashboard, a learner member sees only team
// aggregates, and anyone else gets "not found" (pages) or 403 (JSON), so
// that team ids reveal nothing.

// teamAccess is what the signed-in user may do with a team.
type teamAccess int

const (
	teamNoAccess teamAccess = iota
	teamMemberAccess
	teamTrainerAccess
)

// teamRoutes registers the team, admin and team API routes.
func (s *Server) teamRoutes() {
	app := s.app
	app.Get("/teams", s.teamsList)
	app.Post("/teams", s.teamCreate)
	app.Post("/teams/join", s.teamJoin)
	app.Get("/teams/:id", s.teamDashboard)
	app.Get("/teams/:id/scores.csv", s.teamScoresCSV)
	app.Post("/teams/:id/code", s.teamRenewCode)
	app.Post("/teams/:id/members/:userID/remove", s.teamRemoveMember)

	app.Get("/admin/users", s.adminUsers)
	app.Post("/admin/users/:id/role", s.adminSetRole)
	app.Post("/admin/users/:id/disable", s.adminDisable)
	app.Post("/admin/users/:id/enable", s.adminEnable)

	app.Get("/api/v1/teams", s.apiTeams)
	app.Get("/api/v1/teams/:id/scores", s.apiTeamScores)
}

var (
	errTeamNotFound = supportlab.Errorf(supportlab.ENOTFOUND, "There is no such team.")
	errTeamTrainers = errorMsg(supportlab.EFORBIDDEN, "error.text.team_trainers_only")
)

// paramID reads a positive integer route parameter.
func paramID(c *fiber.Ctx, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	return id, err == nil && id > 0
}

// teamFor loads the team of the :id parameter and what the signed-in user
// may do with it. A missing team and a team the user has nothing to do with
// both give teamNoAccess with a nil error; err is for storage failures.
func (s *Server) teamFor(c *fiber.Ctx) (*supportlab.Team, teamAccess, error) {
	u := currentUser(c)
	id, ok := paramID(c, "id")
	if !ok || u == nil {
		return nil, teamNoAccess, nil
	}
	ctx := c.UserContext()
	team, err := s.cfg.Teams.FindTeam(ctx, id)
	if supportlab.ErrorCode(err) == supportlab.ENOTFOUND {
		return nil, teamNoAccess, nil
	} else if err != nil {
		return nil, teamNoAccess, err
	}
	if u.IsAdmin() {
		return team, teamTrainerAccess, nil
	}
	role, err := s.cfg.Teams.TeamRole(ctx, team.ID, u.ID)
	if err != nil {
		return nil, teamNoAccess, err
	}
	team.MyRole = role
	switch role {
	case supportlab.TeamRoleTrainer:
		return team, teamTrainerAccess, nil
	case supportlab.TeamRoleMember:
		return team, teamMemberAccess, nil
	}
	return team, teamNoAccess, nil
}

// trainedTeam is teamFor for pages and forms that only a team's trainers
// (and admins) may use: outsiders get 404, learner members 403.
func (s *Server) trainedTeam(c *fiber.Ctx) (*supportlab.Team, error) {
	if _, err := requireUser(c); err != nil {
		return nil, err
	}
	team, access, err := s.teamFor(c)
	switch {
	case err != nil:
		return nil, err
	case access == teamNoAccess:
		return nil, errTeamNotFound
	case access == teamMemberAccess:
		return nil, errTeamTrainers
	}
	return team, nil
}

// teamsForm is the join and create forms as sent, re-shown with messages.
type teamsForm struct {
	Code, CodeError string
	Name, NameError string
}

type teamsPage struct {
	Page
	Teams []*supportlab.Team
	// AllTeams is set for admins, who see every team.
	AllTeams  bool
	CanCreate bool
	Form      teamsForm
	Errors    []string
	// MaxName is the team name's maxlength, the limit the server enforces.
	MaxName int
}

func (s *Server) teamsList(c *fiber.Ctx) error {
	if _, err := requireUser(c); err != nil {
		return err
	}
	return s.renderTeams(c, fiber.StatusOK, teamsForm{})
}

// renderTeams shows the user's teams with the join form and, for trainers,
// the create form.
func (s *Server) renderTeams(c *fiber.Ctx, status int, form teamsForm) error {
	u := currentUser(c)
	teams, err := s.visibleTeams(c, u)
	if err != nil {
		return err
	}
	p := s.page(c, "")
	p.Title = p.T("teams.title")
	p.Nav = "teams"
	page := teamsPage{Page: p, Teams: teams, AllTeams: u.IsAdmin(), CanCreate: u.CanTrain(), Form: form, MaxName: supportlab.MaxTeamNameLength}
	for _, e := range []*string{&page.Form.CodeError, &page.Form.NameError} {
		if *e != "" {
			*e = p.T(*e, "Max", supportlab.MaxTeamNameLength)
			page.Errors = append(page.Errors, *e)
		}
	}
	return c.Status(status).Render("teams", page)
}

// visibleTeams is what /teams and /api/v1/teams list: the user's own teams,
// or every team for an admin (with their own role where they have one).
// Codes are blanked where the user is not a trainer of the team.
func (s *Server) visibleTeams(c *fiber.Ctx, u *supportlab.User) ([]*supportlab.Team, error) {
	ctx := c.UserContext()
	mine, err := s.cfg.Teams.ListUserTeams(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	teams := mine
	if u.IsAdmin() {
		if teams, err = s.cfg.Teams.ListTeams(ctx); err != nil {
			return nil, err
		}
		roles := map[int64]string{}
		for _, t := range mine {
			roles[t.ID] = t.MyRole
		}
		for _, t := range teams {
			t.MyRole = roles[t.ID]
		}
	}
	for _, t := range teams {
		if !u.IsAdmin() && t.MyRole != supportlab.TeamRoleTrainer {
			t.Code = ""
		}
	}
	return teams, nil
}

func (s *Server) teamCreate(c *fiber.Ctx) error {
	u, err := requireTrainer(c)
	if err != nil {
		return err
	}
	form := teamsForm{Name: strings.Clone(strings.TrimSpace(c.FormValue("name")))}
	switch n := len([]rune(form.Name)); {
	case n == 0:
		form.NameError = "teams.error.name_required"
	case n > supportlab.MaxTeamNameLength:
		form.NameError = "teams.error.name_too_long"
	}
	if form.NameError != "" {
		return s.renderTeams(c, fiber.StatusUnprocessableEntity, form)
	}
	team, err := s.cfg.Teams.CreateTeam(c.UserContext(), form.Name, u.ID)
	if err != nil {
		return err
	}
	flash(c, "teams_created")
	return seeOther(c, "/teams/"+strconv.FormatInt(team.ID, 10))
}

func (s *Server) teamJoin(c *fiber.Ctx) error {
	u, err := requireUser(c)
	if err != nil {
		return err
	}
	form := teamsForm{Code: strings.Clone(strings.TrimSpace(c.FormValue("code")))}
	if form.Code == "" {
		form.CodeError = "teams.error.code_required"
		return s.renderTeams(c, fiber.StatusUnprocessableEntity, form)
	}
	team, joined, err := s.cfg.Teams.JoinTeam(c.UserContext(), u.ID, form.Code)
	if supportlab.ErrorCode(err) == supportlab.EINVALID {
		form.CodeError = "teams.error.code_wrong"
		return s.renderTeams(c, fiber.StatusUnprocessableEntity, form)
	} else if err != nil {
		return err
	}
	if joined {
		flash(c, "teams_joined")
	} else {
		flash(c, "teams_already_member")
	}
	return seeOther(c, "/teams/"+strconv.FormatInt(team.ID, 10))
}

func (s *Server) teamRenewCode(c *fiber.Ctx) error {
	team, err := s.trainedTeam(c)
	if err != nil {
		return err
	}
	if _, err := s.cfg.Teams.RenewTeamCode(c.UserContext(), team.ID); err != nil {
		return err
	}
	flash(c, "teams_code_renewed")
	return seeOther(c, "/teams/"+strconv.FormatInt(team.ID, 10))
}

func (s *Server) teamRemoveMember(c *fiber.Ctx) error {
	team, err := s.trainedTeam(c)
	if err != nil {
		return err
	}
	userID, ok := paramID(c, "userID")
	if !ok {
		return supportlab.Errorf(supportlab.ENOTFOUND, "This learner is not a member of the team.")
	}
	if err := s.cfg.Teams.RemoveTeamMember(c.UserContext(), team.ID, userID); err != nil {
		return err
	}
	flash(c, "teams_member_removed")
	to := "/teams/" + strconv.FormatInt(team.ID, 10)
	if p, err := strconv.Atoi(c.FormValue("page")); err == nil && p > 1 {
		to += "?page=" + strconv.Itoa(p)
	}
	return seeOther(c, to)
}

// teamScoresCSV exports one row per member and item. Cells that a
// spreadsheet would run as a formula are prefixed with a quote.
func (s *Server) teamScoresCSV(c *fiber.Ctx) error {
	team, err := s.trainedTeam(c)
	if err != nil {
		return err
	}
	rows, err := s.cfg.Teams.TeamScores(c.UserContext(), team.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(scoreColumns)
	for _, r := range rows {
		_ = w.Write([]string{
			csvSafe(r.Learner), csvSafe(r.Email), r.Kind, csvSafe(r.UID),
			strconv.Itoa(r.Best), strconv.Itoa(r.Attempts), r.Last.UTC().Format(time.RFC3339),
		})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="team-`+strconv.FormatInt(team.ID, 10)+`-scores.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// scoreColumns are the columns of scores.csv and the keys of the scores
// API, in SPEC's order.
var scoreColumns = []string{"learner", "email", "kind", "uid", "best", "attempts", "last"}

// csvSafe defuses CSV formula injection: a cell starting with = + - @ (or a
// tab or carriage return, which some spreadsheets skip before one) is
// prefixed with a single quote so that it shows as text.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// apiTeam is a team in /api/v1/teams; code only for its trainers and admins.
type apiTeam struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

func (s *Server) apiTeams(c *fiber.Ctx) error {
	u, err := requireUser(c)
	if err != nil {
		return err
	}
	teams, err := s.visibleTeams(c, u)
	if err != nil {
		return err
	}
	out := make([]apiTeam, 0, len(teams))
	for _, t := range teams {
		out = append(out, apiTeam{ID: t.ID, Name: t.Name, Code: t.Code})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

// apiScore is one row of /api/v1/teams/<id>/scores, keys in SPEC's order.
type apiScore struct {
	Learner  string `json:"learner"`
	Email    string `json:"email"`
	Kind     string `json:"kind"`
	UID      string `json:"uid"`
	Best     int    `json:"best"`
	Attempts int    `json:"attempts"`
	Last     string `json:"last"`
}

func (s *Server) apiTeamScores(c *fiber.Ctx) error {
	u, err := requireUser(c)
	if err != nil {
		return err
	}
	team, access, err := s.teamFor(c)
	if err != nil {
		return err
	}
	if team == nil && u.IsAdmin() {
		return errTeamNotFound
	}
	// Everyone else gets 403 whether or not the team exists, so that team
	// ids cannot be probed.
	if access != teamTrainerAccess {
		return errTeamTrainers
	}
	rows, err := s.cfg.Teams.TeamScores(c.UserContext(), team.ID)
	if err != nil {
		return err
	}
	out := make([]apiScore, 0, len(rows))
	for _, r := range rows {
		out = append(out, apiScore{Learner: r.Learner, Email: r.Email, Kind: r.Kind, UID: r.UID,
			Best: r.Best, Attempts: r.Attempts, Last: r.Last.UTC().Format(time.RFC3339)})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

// teamPageSize is how many members the dashboard's matrix shows at once;
// the CSV export has everyone.
const teamPageSize = 100

// maxTeamPage bounds ?page= so that the offset cannot overflow.
const maxTeamPage = 1_000_000

// teamPage is the dashboard. Learner members get only the team-wide
// figures (Summary and Trend); trainers and admins get everything.
type teamPage struct {
	Page
	Team    *supportlab.Team
	Trainer bool
	Summary teamSummary

	Items []teamItemView
	Rows  []teamRowView
	Pager teamPager

	TrendUnit string
	Buckets   []trendBucket
	Trend     lineChart

	Quizzes []quizAnalysis
	Heatmap heatmap
}

type teamSummary struct {
	Members, Attempts int
	Mean              string // the team's mean score, "" without attempts
}

type teamItemView struct {
	Kind, UID, Title, Link string
	Learners, Passed       int
	MeanBest               string
}

type teamRowView struct {
	UserID      int64
	Name, Email string
	Cells       []teamCell
	Passed      int
	Completion  int // percentage of the team's items passed
}

type teamCell struct {
	Has      bool
	Best     int
	Attempts int
	Passed   bool
}

type teamPager struct {
	Page, Pages      int
	From, To         int
	Total            int
	PrevURL, NextURL string
}

// quizAnalysis is the item analysis of one quiz.
type quizAnalysis struct {
	UID, Title string
	Rows       []itemAnalysisRow
}

type itemAnalysisRow struct {
	ID             string
	Text           any // the question's rendered markdown, or its id
	N              int
	Facility       string
	Discrimination string
	Negative       bool
}

func (s *Server) teamDashboard(c *fiber.Ctx) error {
	if _, err := requireUser(c); err != nil {
		return err
	}
	team, access, err := s.teamFor(c)
	if err != nil {
		return err
	}
	if access == teamNoAccess {
		return errTeamNotFound
	}
	pageNo, _ := strconv.Atoi(c.Query("page"))
	if pageNo < 1 {
		pageNo = 1
	} else if pageNo > maxTeamPage {
		pageNo = maxTeamPage
	}
	q := supportlab.StatsQuery{Offset: (pageNo - 1) * teamPageSize, Limit: teamPageSize}
	if access != teamTrainerAccess {
		q = supportlab.StatsQuery{SummaryOnly: true} // members see no one's row
	}
	st, err := s.cfg.Teams.TeamStats(c.UserContext(), team.ID, q)
	if err != nil {
		return err
	}
	p := s.page(c, team.Name)
	p.Nav = "teams"
	page := teamPage{Page: p, Team: team, Trainer: access == teamTrainerAccess}
	page.Summary = teamSummary{Members: st.MemberCount, Attempts: st.Attempts}
	if !page.Trainer {
		team.Code = ""
	}

	page.TrendUnit, page.Buckets = bucketDays(st.Days)
	total, sum := 0, 0
	for _, d := range st.Days {
		total += d.Attempts
		sum += d.SumScore
	}
	if total > 0 {
		page.Summary.Mean = formatNumber(float64(sum)/float64(total), 0, p.Lang)
	}
	page.Trend = newLineChart("trend", p.T("teams.trend.title"), p.T("teams.trend.desc_"+page.TrendUnit), page.Buckets)
	if !page.Trainer {
		return c.Render("team", page)
	}

	for _, it := range st.Items {
		title, link := s.attemptItemTitle(it.Kind, it.UID)
		page.Items = append(page.Items, teamItemView{Kind: it.Kind, UID: it.UID, Title: title, Link: link,
			Learners: it.Learners, Passed: it.Passed, MeanBest: formatNumber(it.MeanBest, 0, p.Lang)})
	}
	for _, m := range st.Members {
		row := teamRowView{UserID: m.UserID, Name: m.Name, Email: m.Email}
		for _, it := range st.Items {
			sc, ok := m.Scores[supportlab.BestKey(it.Kind, it.UID)]
			row.Cells = append(row.Cells, teamCell{Has: ok, Best: sc.Best, Attempts: sc.Attempts, Passed: sc.Passed})
			if sc.Passed {
				row.Passed++
			}
		}
		if len(st.Items) > 0 {
			row.Completion = row.Passed * 100 / len(st.Items)
		}
		page.Rows = append(page.Rows, row)
	}
	page.Pager = newTeamPager(team.ID, pageNo, st.MemberCount, len(st.Members))
	page.Quizzes = s.itemAnalysis(st.Questions, p.Lang)
	page.Heatmap = newHeatmap(st.Confusion, func(class string) string { return p.T("teams.triage." + class) })
	return c.Render("team", page)
}

func newTeamPager(teamID int64, pageNo, total, shown int) teamPager {
	pg := teamPager{Page: pageNo, Total: total, Pages: (total + teamPageSize - 1) / teamPageSize}
	if shown > 0 {
		pg.From = (pageNo-1)*teamPageSize + 1
		pg.To = pg.From + shown - 1
	}
	base := "/teams/" + strconv.FormatInt(teamID, 10)
	if pageNo > 1 {
		prev := pageNo - 1
		if prev > pg.Pages && pg.Pages > 0 {
			prev = pg.Pages
		}
		pg.PrevURL = base + "?page=" + strconv.Itoa(prev) + "#matrix"
	}
	if pageNo < pg.Pages {
		pg.NextURL = base + "?page=" + strconv.Itoa(pageNo+1) + "#matrix"
	}
	return pg
}

// itemAnalysis turns the store's per-question sums into facility and
// discrimination, grouped by quiz, with the questions' text from the bank.
func (s *Server) itemAnalysis(qs []supportlab.QuestionStat, lang string) []quizAnalysis {
	var out []quizAnalysis
	for _, q := range qs {
		if len(out) == 0 || out[len(out)-1].UID != q.QuizUID {
			title, _ := s.attemptItemTitle(supportlab.KindQuiz, q.QuizUID)
			out = append(out, quizAnalysis{UID: q.QuizUID, Title: title})
		}
		row := itemAnalysisRow{ID: q.QuestionID, Text: q.QuestionID, N: q.N, Facility: "—", Discrimination: "—"}
		if quiz, err := s.cfg.Bank.Quiz(q.QuizUID); err == nil {
			if question := quiz.Question(q.QuestionID); question != nil {
				row.Text = question.ContentHTML
			}
		}
		if f, ok := q.Facility(); ok {
			row.Facility = formatNumber(f, 0, lang) + " %"
		}
		if d, ok := q.Discrimination(); ok {
			row.Discrimination = formatNumber(d, 1, lang) + " %"
			row.Negative = d < 0
		}
		out[len(out)-1].Rows = append(out[len(out)-1].Rows, row)
	}
	return out
}

// formatNumber rounds v to decimals places, with the decimal separator of
// lang: a French reader expects "45,6".
func formatNumber(v float64, decimals int, lang string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if s == "-0" || strings.HasPrefix(s, "-0.") && strings.Trim(s[3:], "0") == "" {
		s = s[1:]
	}
	if lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
		s = strings.Replace(s, "-", "−", 1)
	}
	return s
}
