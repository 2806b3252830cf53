package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
)

// route is one method and path the server answers.
type route struct {
	method   string
	path     string
	handlers []fiber.Handler
}

// routes registers every route of the application, in one table so that
// the whole surface is read in one place. POST routes check the CSRF token
// first; a known path asked with another method answers 405 with Allow.
func (s *Server) routes() {
	app := s.app
	app.Use(recover.New())
	app.Use(securityHeaders)
	staticFiles := filesystem.New(filesystem.Config{Root: http.FS(s.cfg.Static), MaxAge: 3600})
	app.Use("/static", func(c *fiber.Ctx) error {
		// A folder is not a page: answer 404, as for any missing file.
		if err := staticFiles(c); !errors.Is(err, fiber.ErrForbidden) {
			return err
		}
		return errNotFound
	})
	app.Get("/healthz", s.healthz)
	app.Use(s.language, s.loadUser, noStore)

	get := func(path string, h ...fiber.Handler) route { return route{fiber.MethodGet, path, h} }
	post := func(path string, h ...fiber.Handler) route {
		return route{fiber.MethodPost, path, append([]fiber.Handler{s.checkCSRF}, h...)}
	}
	table := []route{
		// Learning (learn.go, quiz.go).
		get("/", s.home),
		get("/learn/:module", s.module),
		get("/learn/:module/:unit", s.unit),
		get("/quizzes", s.quizzes),
		get("/quiz/:uid", s.quizForm),
		post("/quiz/:uid", s.quizSubmit),

		// Sandbox and drill (sandbox.go, drill.go): the drill's fixed paths
		// before /sandbox/:uid.
		get("/sandbox", s.sandboxList),
		get("/sandbox/drill", s.drillIntro),
		post("/sandbox/drill", s.drillStart),
		get("/sandbox/drill/step", s.drillStep),
		post("/sandbox/drill/step", s.drillAnswer),
		get("/sandbox/drill/summary", s.drillSummary),
		get("/sandbox/:uid", s.sandboxScenario),
		post("/sandbox/:uid", s.sandboxSubmit),

		// Accounts and the learner's own record (auth.go, me.go).
		get("/signup", s.signupForm),
		post("/signup", s.signupLimiter(), s.signupSubmit),
		get("/login", s.loginForm),
		post("/login", append(s.loginLimiters(), s.loginSubmit)...),
		post("/logout", s.logout),
		get("/me", s.me),
		get("/me/attempts/:id", s.attemptReview),

		// Teams and dashboards (teams.go, dashboard.go).
		get("/teams", s.teamsList),
		post("/teams", s.teamCreate),
		post("/teams/join", s.teamJoin),
		get("/teams/:id", s.teamDashboard),
		get("/teams/:id/scores.csv", s.teamScoresCSV),
		post("/teams/:id/code", s.teamRenewCode),
		post("/teams/:id/members/:userID/remove", s.teamRemoveMember),
		get("/teams/:id/members/:userID", s.teamMember),
		post("/teams/:id/assignments", s.teamAssign),
		post("/teams/:id/assignments/:aid/delete", s.teamUnassign),

		// Authoring (author.go, editor.go; the fixed paths before
		// /author/:uid) and account administration (admin.go).
		get("/author", s.author),
		post("/author/import", s.authorImport),
		get("/author/new", s.authorNew),
		post("/author/preview", s.authorPreview),
		post("/author/save", s.authorSave),
		get("/author/:uid", s.authorHistory),
		get("/author/:uid/edit", s.authorEdit),
		get("/author/:uid/versions/:n/source", s.authorSource),
		post("/author/:uid/restore", s.authorRestore),
		post("/author/:uid/retire", s.authorRetire),
		get("/admin/users", s.adminUsers),
		post("/admin/users/:id/role", s.adminSetRole),
		post("/admin/users/:id/disable", s.adminDisable),
		post("/admin/users/:id/enable", s.adminEnable),

		// JSON for integrations (api.go).
		get("/api/v1/me/attempts", s.apiMyAttempts),
		get("/api/v1/me/assignments", s.apiMyAssignments),
		get("/api/v1/teams", s.apiTeams),
		get("/api/v1/teams/:id/scores", s.apiTeamScores),
	}
	allowed := map[string][]string{}
	var paths []string
	for _, r := range table {
		if r.method == fiber.MethodGet {
			app.Get(r.path, r.handlers...) // and HEAD
		} else {
			app.Add(r.method, r.path, r.handlers...)
		}
		if _, ok := allowed[r.path]; !ok {
			paths = append(paths, r.path)
		}
		allowed[r.path] = append(allowed[r.path], r.method)
		if r.method == fiber.MethodGet {
			allowed[r.path] = append(allowed[r.path], fiber.MethodHead)
		}
	}
	for _, p := range paths {
		app.All(p, methodNotAllowed(strings.Join(allowed[p], ", ")))
	}
	app.Use(func(c *fiber.Ctx) error { return errNotFound })
}

// methodNotAllowed answers a known path asked with a method it does not
// take: 405, with the methods it does take in Allow.
func methodNotAllowed(allow string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderAllow, allow)
		return fiber.ErrMethodNotAllowed
	}
}
