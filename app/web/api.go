package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// apiAttempt is one attempt as GET /api/v1/me/attempts publishes it (SPEC:
// "JSON for integrations"). Sandbox attempts add their score parts and the
// learner's answer; the title and description typed in the sandbox stay
// out of the API.
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
// empty list is [], and a signed-out caller gets 401 with a JSON error.
func (s *Server) apiMyAttempts(c *fiber.Ctx) error {
	u, err := requireUser(c)
	if err != nil {
		return err
	}
	attempts, err := s.cfg.Attempts.ListAttempts(c.UserContext(), u.ID)
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
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}
