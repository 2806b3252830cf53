package web

import (
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/chart"
	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// The team dashboard: trainers and admins see every figure of the team,
// learner members the team-wide summary (training.Service decides which).

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

	TrendUnit   string
	Buckets     []chart.Bucket
	Trend       chart.LineChart // drawn at 640 units for screens
	TrendNarrow chart.LineChart // and at 360 for phones

	Quizzes []quizAnalysis
	Heatmap chart.Heatmap

	// Assignments are the team's assignments: the matrix's columns when
	// there are any, each row's States in the same order.
	Assignments []assignmentColumn
	Assign      assignForm
}

// lineChartView is the chart-line partial's data.
type lineChartView struct {
	P      Page
	C      chart.LineChart
	Narrow chart.LineChart
	B      []chart.Bucket
	Min    int
}

// TrendChart is what the dashboard hands the chart-line partial.
func (p teamPage) TrendChart() lineChartView {
	return lineChartView{P: p.Page, C: p.Trend, Narrow: p.TrendNarrow, B: p.Buckets, Min: chart.MinAttempts}
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
	States      []assignmentCell
	Passed      int
	Completion  int // percentage of the team's items (or assignments) passed
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

// quizAnalysis is the item analysis of one version of one quiz, with the
// other versions the picker offers.
type quizAnalysis struct {
	UID, Title string
	Version    int
	Versions   []int
	Rows       []itemAnalysisRow
	Scatter    []scatterPoint // the questions with a discrimination
}

type itemAnalysisRow struct {
	No             int // the question's number in the quiz
	Text           any // the question's rendered markdown, or its id
	N              int
	Facility       string
	FacilityBar    int // the facility in whole percent, for its bar; -1 without
	Discrimination string
	Enough         bool
	Flagged        bool
}

// scatterPoint is one question on the facility × discrimination chart, in
// the SVG's units: x = facility (0–100 over 40–300), y = discrimination
// (1 to −1 over 12–172).
type scatterPoint struct {
	No      int
	X, Y    float64
	Flagged bool
	Label   string
}

func (s *Server) teamDashboard(c *fiber.Ctx) error {
	pageNo, _ := strconv.Atoi(c.Query("page"))
	if pageNo < 1 {
		pageNo = 1
	} else if pageNo > maxTeamPage {
		pageNo = maxTeamPage
	}
	return s.renderDashboard(c, fiber.StatusOK, paramID(c, "id"), pageNo, training.AssignmentRequest{}, nil)
}

// renderDashboard shows page pageNo of a team's dashboard; assign and
// assignErr are an assignment form sent back with its problems. ?quiz= and
// ?version= pick the version of one quiz's item analysis.
func (s *Server) renderDashboard(c *fiber.Ctx, status int, id int64, pageNo int, assign training.AssignmentRequest, assignErr error) error {
	q := training.DashboardQuery{Offset: (pageNo - 1) * teamPageSize, Limit: teamPageSize}
	if v, err := strconv.Atoi(c.Query("version")); err == nil && c.Query("quiz") != "" {
		q.Versions = map[string]int{strings.Clone(c.Query("quiz")): v}
	}
	d, err := s.svc.TeamDashboard(c.UserContext(), currentUser(c), id, q)
	if err != nil {
		return err
	}
	team, st := d.Team, d.Stats
	p := s.page(c, team.Name)
	p.Nav = "teams"
	page := teamPage{Page: p, Team: team, Trainer: d.Trainer}
	page.Summary = teamSummary{Members: st.MemberCount, Attempts: st.Attempts}

	page.TrendUnit, page.Buckets = chart.BucketDays(st.Days)
	total, sum := 0, 0
	for _, d := range st.Days {
		total += d.Attempts
		sum += d.SumScore
	}
	if total > 0 {
		page.Summary.Mean = formatNumber(float64(sum)/float64(total), 0, p.Lang)
	}
	desc := p.T("teams.trend.desc_v2_"+page.TrendUnit, "Min", chart.MinAttempts)
	page.Trend = chart.NewLineChart("trend", p.T("teams.trend.title"), desc, page.Buckets, 640)
	page.TrendNarrow = chart.NewLineChart("trend-narrow", p.T("teams.trend.title"), desc, page.Buckets, 360)
	if !page.Trainer {
		return c.Status(status).Render("team", page)
	}

	for _, it := range st.Items {
		title, link := s.itemTitle(it.Kind, it.UID)
		page.Items = append(page.Items, teamItemView{Kind: it.Kind, UID: it.UID, Title: title, Link: link,
			Learners: it.Learners, Passed: it.Passed, MeanBest: formatNumber(it.MeanBest, 0, p.Lang)})
	}
	page.Assignments = s.assignmentColumns(p, d.Assignments)
	for _, m := range st.Members {
		row := teamRowView{UserID: m.UserID, Name: m.Name, Email: m.Email}
		if len(d.Assignments) > 0 {
			// The columns are the assignments: done, late or missing.
			for i, stt := range d.Status[m.UserID] {
				cell := newAssignmentCell(p, stt)
				if stt.Kind != supportlab.KindModule {
					sc, ok := m.Scores[supportlab.BestKey(stt.Kind, stt.UID)]
					cell.Has, cell.Best, cell.Attempts = ok, sc.Best, sc.Attempts
				}
				row.States = append(row.States, cell)
				if stt.Done() {
					row.Passed++
				}
				page.Assignments[i].count(stt.State)
			}
			row.Completion = row.Passed * 100 / len(d.Assignments)
			page.Rows = append(page.Rows, row)
			continue
		}
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
	page.Quizzes = itemAnalysisView(d.Analyses, p.Lang)
	page.Assign = s.newAssignForm(p, assign, assignErr)
	page.Heatmap = chart.NewHeatmap(st.Confusion, func(class string) string { return p.T("teams.triage." + class) })
	return c.Status(status).Render("team", page)
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

// itemAnalysisView formats the item analysis of each quiz: facility as a
// percentage, discrimination as a coefficient, in the page's language.
func itemAnalysisView(as []training.ItemAnalysis, lang string) []quizAnalysis {
	var out []quizAnalysis
	for _, a := range as {
		qa := quizAnalysis{UID: a.UID, Title: a.Title, Version: a.Version, Versions: a.Versions}
		for i, r := range a.Rows {
			row := itemAnalysisRow{No: i + 1, Text: r.ID, N: r.N, Facility: "—", FacilityBar: -1, Discrimination: "—", Enough: r.Enough, Flagged: r.Flagged}
			if r.Question != nil {
				row.Text = r.Question.ContentHTML
			}
			if r.HasFacility {
				row.Facility = formatNumber(r.Facility, 0, lang) + " %"
				row.FacilityBar = int(math.Round(math.Max(0, math.Min(100, r.Facility))))
			}
			if r.HasDiscrimination {
				row.Discrimination = formatNumber(r.Discrimination, 2, lang)
			}
			if r.HasFacility && r.HasDiscrimination && r.Enough {
				d := math.Max(-1, math.Min(1, r.Discrimination))
				qa.Scatter = append(qa.Scatter, scatterPoint{No: row.No, Flagged: r.Flagged,
					X: math.Round(10*(40+2.6*float64(row.FacilityBar))) / 10, Y: math.Round(10*(92-80*d)) / 10,
					Label: row.Facility + ", " + row.Discrimination})
			}
			qa.Rows = append(qa.Rows, row)
		}
		out = append(out, qa)
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
