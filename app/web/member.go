package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// memberPage is one learner's record as the team's trainers see it.
type memberPage struct {
	Page
	Team        *supportlab.Team
	Learner     *supportlab.User
	Modules     []training.ModuleProgress
	Assignments []memberAssignmentRow
	History     []meHistoryRow
}

// memberAssignmentRow is one of the team's assignments for the learner.
type memberAssignmentRow struct {
	Kind, Title, Link, State string
	Due                      string
}

// teamMember shows one member's attempts, each linked to its review, their
// progress through the modules and the team's assignments for them. The
// team's trainers and admins only: anyone else gets 404.
func (s *Server) teamMember(c *fiber.Ctx) error {
	p := s.page(c, "")
	rec, err := s.svc.TeamMemberRecord(c.UserContext(), p.User, paramID(c, "id"), paramID(c, "userID"), p.Lang)
	if err != nil {
		return err
	}
	p.Title, p.Nav = rec.Learner.Name+" · "+rec.Team.Name, "teams"
	page := memberPage{Page: p, Team: rec.Team, Learner: rec.Learner, Modules: rec.Modules}
	for _, st := range rec.Assignments {
		title, link := s.assignmentTitle(p, st.Kind, st.UID)
		page.Assignments = append(page.Assignments, memberAssignmentRow{Kind: st.Kind, Title: title, Link: link, State: st.State, Due: st.Due})
	}
	for _, a := range rec.Attempts {
		title, link := s.itemTitle(a.Kind, a.UID)
		page.History = append(page.History, meHistoryRow{
			ID: a.ID, Kind: a.Kind, UID: a.UID, Title: title, Link: link, Version: a.Version, Score: a.Score, Passed: a.Passed,
			Datetime: a.At.UTC().Format(time.RFC3339), Date: a.At.UTC().Format("2006-01-02 15:04 UTC"),
		})
	}
	return c.Render("team_member", page)
}

// quizzesPage is the catalogue of quizzes.
type quizzesPage struct {
	Page
	Groups []training.CatalogueGroup
}

// quizzes lists every live quiz in the reader's language, by module, with
// a signed-in learner's best scores. It is not a shared page: the scores
// are the reader's own.
func (s *Server) quizzes(c *fiber.Ctx) error {
	p := s.page(c, "")
	groups, err := s.svc.Catalogue(c.UserContext(), p.User, p.Lang)
	if err != nil {
		return err
	}
	p.Title, p.Nav = p.T("quizzes.title"), "quizzes"
	return c.Render("quizzes", quizzesPage{Page: p, Groups: groups})
}
