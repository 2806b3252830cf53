package web

import (
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/chart"
	"supportlab/app/supportlab"
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

	TrendUnit string
	Buckets   []chart.Bucket
	Trend     chart.LineChart

	Quizzes []quizAnalysis
	Heatmap chart.Heatmap
}

// lineChartView is the chart-line partial's data.
type lineChartView struct {
	P Page
	C chart.LineChart
	B []chart.Bucket
}

// TrendChart is what the dashboard hands the chart-line partial.
func (p teamPage) TrendChart() lineChartView {
	return lineChartView{P: p.Page, C: p.Trend, B: p.Buckets}
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
	id := paramID(c, "id")
	pageNo, _ := strconv.Atoi(c.Query("page"))
	if pageNo < 1 {
		pageNo = 1
	} else if pageNo > maxTeamPage {
		pageNo = maxTeamPage
	}
	d, err := s.svc.TeamDashboard(c.UserContext(), currentUser(c), id, (pageNo-1)*teamPageSize, teamPageSize)
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
	page.Trend = chart.NewLineChart("trend", p.T("teams.trend.title"), p.T("teams.trend.desc_"+page.TrendUnit), page.Buckets)
	if !page.Trainer {
		return c.Render("team", page)
	}

	for _, it := range st.Items {
		title, link := s.itemTitle(it.Kind, it.UID)
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
	page.Heatmap = chart.NewHeatmap(st.Confusion, func(class string) string { return p.T("teams.triage." + class) })
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
			title, _ := s.itemTitle(supportlab.KindQuiz, q.QuizUID)
			out = append(out, quizAnalysis{UID: q.QuizUID, Title: title})
		}
		row := itemAnalysisRow{ID: q.QuestionID, Text: q.QuestionID, N: q.N, Facility: "—", Discrimination: "—"}
		if quiz, err := s.svc.Quiz(q.QuizUID); err == nil {
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
