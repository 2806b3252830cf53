package web

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// meItemScore is a learner's record on one quiz or scenario.
type meItemScore struct {
	training.ItemRecord
	Title string
	Link  string
	Trend meSparkline // every score, oldest first
}

// meSparkline is a small line of one item's scores (0–100), oldest first,
// in an 96 × 24 SVG box, with the scores as text.
type meSparkline struct {
	Points string // polyline points, "" with fewer than two scores
	LastX  float64
	LastY  float64
	Scores string // "40, 60, 80"
}

func newSparkline(scores []int) meSparkline {
	var sp meSparkline
	var pts, txt []string
	for i, v := range scores {
		x := 4.0
		if len(scores) > 1 {
			x = 4 + 88*float64(i)/float64(len(scores)-1)
		}
		y := 21 - 18*float64(v)/100
		pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
		txt = append(txt, strconv.Itoa(v))
		sp.LastX, sp.LastY = x, y
	}
	if len(pts) > 1 {
		sp.Points = strings.Join(pts, " ")
	}
	sp.Scores = strings.Join(txt, ", ")
	return sp
}

// monthNames are the months in words, in each interface language.
var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// dateInWords writes t (in UTC) as a reader of lang expects it:
// "29 November 2026, 12:01 UTC", "29 novembre 2026 à 12:01 UTC".
func dateInWords(t time.Time, lang string) string {
	t = t.UTC()
	names, ok := monthNames[lang]
	if !ok {
		names = monthNames["en"]
	}
	day := strconv.Itoa(t.Day())
	if lang == "fr" {
		if t.Day() == 1 {
			day = "1er"
		}
		return day + " " + names[t.Month()-1] + " " + strconv.Itoa(t.Year()) + " à " + t.Format("15:04") + " UTC"
	}
	return day + " " + names[t.Month()-1] + " " + strconv.Itoa(t.Year()) + ", " + t.Format("15:04") + " UTC"
}

// meHistoryRow is one attempt in the history table.
type meHistoryRow struct {
	ID       int64
	Kind     string
	UID      string
	Title    string
	Link     string
	Version  int
	Score    int
	Passed   bool
	Datetime string // machine-readable, for <time datetime>
	Date     string // as shown
}

type mePage struct {
	Page
	Modules []training.ModuleProgress
	Badges  []training.ModuleProgress
	Quizzes []meItemScore
	Sandbox []meItemScore
	History []meHistoryRow
	// Assignments are what the learner's teams gave them.
	Assignments []myAssignmentView
}

// itemTitle names a quiz or scenario by its current title (its uid when it
// is gone), with a link to it while learners can open it (not retired).
func (s *Server) itemTitle(kind, uid string) (title, link string) {
	title, live := s.svc.ItemTitle(kind, uid)
	switch {
	case !live:
	case kind == supportlab.KindQuiz:
		link = "/quiz/" + uid
	case kind == supportlab.KindSandbox:
		link = "/sandbox/" + uid
	}
	return title, link
}

// me shows the signed-in learner's progress, badges, best scores and every
// attempt.
func (s *Server) me(c *fiber.Ctx) error {
	p := s.page(c, "")
	rec, err := s.svc.MyRecord(c.UserContext(), p.User, p.Lang)
	if err != nil {
		return err
	}
	p.Title, p.Nav = p.T("me.title"), "me"
	data := mePage{Page: p, Modules: rec.Modules, Badges: rec.Badges}
	if data.Assignments, err = s.myAssignments(c, p); err != nil {
		return err
	}
	for _, a := range rec.Attempts {
		title, link := s.itemTitle(a.Kind, a.UID)
		data.History = append(data.History, meHistoryRow{
			ID: a.ID, Kind: a.Kind, UID: a.UID, Title: title, Link: link, Version: a.Version,
			Score: a.Score, Passed: a.Passed,
			Datetime: a.At.UTC().Format(time.RFC3339), Date: dateInWords(a.At, p.Lang),
		})
	}
	// Each item's scores, oldest first, for its sparkline.
	scores := map[string][]int{}
	for i := len(rec.Attempts) - 1; i >= 0; i-- {
		a := rec.Attempts[i]
		scores[a.Kind+"/"+a.UID] = append(scores[a.Kind+"/"+a.UID], a.Score)
	}
	if len(rec.Attempts) > 1 && rec.Attempts[0].At.Before(rec.Attempts[len(rec.Attempts)-1].At) {
		for k, v := range scores { // the record was oldest first
			for i, j := 0, len(v)-1; i < j; i, j = i+1, j-1 {
				v[i], v[j] = v[j], v[i]
			}
			scores[k] = v
		}
	}
	for list, items := range map[*[]meItemScore][]training.ItemRecord{&data.Quizzes: rec.Quizzes, &data.Sandbox: rec.Sandbox} {
		for _, it := range items {
			title, link := s.itemTitle(it.Kind, it.UID)
			*list = append(*list, meItemScore{ItemRecord: it, Title: title, Link: link, Trend: newSparkline(scores[it.Kind+"/"+it.UID])})
		}
		sort.SliceStable(*list, func(i, j int) bool { return (*list)[i].Title < (*list)[j].Title })
	}
	return c.Render("me", data)
}

// attemptReviewPage is the review of one stored attempt.
type attemptReviewPage struct {
	Page
	Review *training.Review
	Own    bool // the reader is the learner
}

// attemptReview shows a stored attempt to its learner, the trainers of the
// learner's teams and admins; anyone else gets 404.
func (s *Server) attemptReview(c *fiber.Ctx) error {
	id := paramID(c, "id")
	p := s.page(c, "")
	r, err := s.svc.ReviewAttempt(c.UserContext(), p.User, id)
	if err != nil {
		return err
	}
	title, _ := s.itemTitle(r.Attempt.Kind, r.Attempt.UID)
	p.Title, p.Nav = title, "me"
	own := r.Learner.ID == p.User.ID
	switch {
	case r.Result != nil:
		return c.Render("result", resultPage{Page: p, Result: r.Result, Saved: own, Module: r.Quiz.Module, ModuleTitle: s.moduleTitle(p.Lang, r.Quiz), Review: r})
	case r.Sandbox != nil:
		p.Nav = "sandbox"
		return c.Render("sandbox_result", sandboxResultPage{Page: p, Result: &sandboxResult{r.Sandbox}, Saved: own, Next: s.svc.NextScenario(r.Scenario), Review: r})
	}
	return c.Render("attempt", attemptReviewPage{Page: p, Review: r, Own: own})
}

// reviewMetaView is the review-meta partial's data: who made a stored
// attempt and when.
type reviewMetaView struct {
	P              Page
	R              *training.Review
	Own            bool
	Date, Datetime string
}

// ReviewMeta is what a review page hands the review-meta partial.
func (p Page) ReviewMeta(r *training.Review) reviewMetaView {
	at := r.Attempt.At.UTC()
	return reviewMetaView{
		P: p, R: r, Own: p.User != nil && r.Learner.ID == p.User.ID,
		Date: at.Format("2006-01-02 15:04 UTC"), Datetime: at.Format(time.RFC3339),
	}
}
