package web

import (
	"sort"
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
			Datetime: a.At.UTC().Format(time.RFC3339), Date: a.At.UTC().Format("2006-01-02 15:04 UTC"),
		})
	}
	for list, items := range map[*[]meItemScore][]training.ItemRecord{&data.Quizzes: rec.Quizzes, &data.Sandbox: rec.Sandbox} {
		for _, it := range items {
			title, link := s.itemTitle(it.Kind, it.UID)
			*list = append(*list, meItemScore{ItemRecord: it, Title: title, Link: link})
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
