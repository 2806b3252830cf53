package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// JSON for integrations (SPEC): the same session cookie as the pages; 401
// when signed out, 403 when not allowed, errors as {"error": "..."}.

// apiAttempt is one attempt as GET /api/v1/me/attempts publishes it.
// Sandbox attempts add their score parts and the learner's answer; the
// title and description typed in the sandbox stay out of the API.
type apiAttempt struct {
	Kind    string                    `json:"kind"`
	UID     string                    `json:"uid"`
	Version int                       `json:"version"`
	Score   int                       `json:"score"`
	Passed  bool                      `json:"passed"`
	At      string                    `json:"at"`
	Parts   *supportlab.SandboxParts  `json:"parts,omitempty"`
	Answer  *supportlab.SandboxAnswer `json:"answer,omitempty"`
}

// apiMyAttempts lists the signed-in learner's attempts, newest first; an
// empty list is [].
func (s *Server) apiMyAttempts(c *fiber.Ctx) error {
	attempts, err := s.svc.MyAttempts(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	out := make([]apiAttempt, 0, len(attempts))
	for _, a := range attempts {
		item := apiAttempt{
			Kind: a.Kind, UID: a.UID, Version: a.Version, Score: a.Score, Passed: a.Passed,
			At: a.At.UTC().Format(time.RFC3339),
		}
		if a.Kind == supportlab.KindSandbox {
			item.Parts, item.Answer = a.Parts, a.Answer
		}
		out = append(out, item)
	}
	return c.JSON(out)
}

// apiTeam is a team in /api/v1/teams; code only for its trainers and admins.
type apiTeam struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

func (s *Server) apiTeams(c *fiber.Ctx) error {
	teams, err := s.svc.Teams(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	out := make([]apiTeam, 0, len(teams))
	for _, t := range teams {
		out = append(out, apiTeam{ID: t.ID, Name: t.Name, Code: t.Code})
	}
	return c.JSON(out)
}

// apiTeamScores answers like the team's pages: 404 to a stranger, 403 to a
// learner member.
func (s *Server) apiTeamScores(c *fiber.Ctx) error {
	id := paramID(c, "id")
	_, rows, err := s.svc.TeamScores(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(scoresJSON(rows))
}
