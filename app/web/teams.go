package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// Teams: trainers create a team and share its join code; learners join on
// /teams. What each user may do with a team is decided by training.Service.

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
	return s.renderTeams(c, fiber.StatusOK, teamsForm{}, nil)
}

// renderTeams shows the user's teams with the join form and, for trainers,
// the create form; err, when set, holds the problems of the form sent.
func (s *Server) renderTeams(c *fiber.Ctx, status int, form teamsForm, err error) error {
	u := currentUser(c)
	teams, terr := s.svc.Teams(c.UserContext(), u)
	if terr != nil {
		return terr
	}
	p := s.page(c, "")
	p.Title, p.Nav = p.T("teams.title"), "teams"
	page := teamsPage{Page: p, Teams: teams, AllTeams: u.IsAdmin(), CanCreate: u.CanTrain(), Form: form, MaxName: supportlab.MaxTeamNameLength}
	if byField, list := p.fieldMessages(err); byField != nil {
		page.Form.CodeError, page.Form.NameError, page.Errors = byField["code"], byField["name"], list
	}
	return c.Status(status).Render("teams", page)
}

func (s *Server) teamCreate(c *fiber.Ctx) error {
	form := teamsForm{Name: strings.TrimSpace(bodyValue(c, "name"))}
	team, err := s.svc.CreateTeam(c.UserContext(), currentUser(c), form.Name)
	if supportlab.ErrorCode(err) == supportlab.EINVALID {
		return s.renderTeams(c, fiber.StatusUnprocessableEntity, form, err)
	} else if err != nil {
		return err
	}
	s.flash(c, "teams_created")
	return seeOther(c, teamURL(team.ID))
}

func (s *Server) teamJoin(c *fiber.Ctx) error {
	form := teamsForm{Code: strings.TrimSpace(bodyValue(c, "code"))}
	team, joined, err := s.svc.JoinTeam(c.UserContext(), currentUser(c), form.Code)
	if supportlab.ErrorCode(err) == supportlab.EINVALID {
		return s.renderTeams(c, fiber.StatusUnprocessableEntity, form, err)
	} else if err != nil {
		return err
	}
	if joined {
		s.flash(c, "teams_joined")
	} else {
		s.flash(c, "teams_already_member")
	}
	return seeOther(c, teamURL(team.ID))
}

// teamURL is a team's dashboard.
func teamURL(id int64) string { return "/teams/" + strconv.FormatInt(id, 10) }

func (s *Server) teamRenewCode(c *fiber.Ctx) error {
	id := paramID(c, "id")
	if err := s.svc.RenewTeamCode(c.UserContext(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "teams_code_renewed")
	return seeOther(c, teamURL(id))
}

func (s *Server) teamRemoveMember(c *fiber.Ctx) error {
	id := paramID(c, "id")
	userID := paramID(c, "userID")
	if err := s.svc.RemoveTeamMember(c.UserContext(), currentUser(c), id, userID); err != nil {
		return err
	}
	s.flash(c, "teams_member_removed")
	to := teamURL(id)
	if p, err := strconv.Atoi(bodyValue(c, "page")); err == nil && p > 1 {
		to += "?page=" + strconv.Itoa(p)
	}
	return seeOther(c, to)
}

// teamScoresCSV exports one row per member and item. Cells that a
// spreadsheet would run as a formula are prefixed with a quote.
func (s *Server) teamScoresCSV(c *fiber.Ctx) error {
	id := paramID(c, "id")
	team, rows, err := s.svc.TeamScores(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="team-`+strconv.FormatInt(team.ID, 10)+`-scores.csv"`)
	return c.Send(scoresCSV(rows))
}
