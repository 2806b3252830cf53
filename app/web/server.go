// Package web is SupportLab's HTTP interface: server-rendered pages, forms
// and the JSON API, on Fiber. Handlers follow post/redirect/get: parse the
// form, validate, store, redirect with 303; invalid input re-renders the same
// form with messages and status 422. Every error goes through one handler
// that maps domain error codes to statuses and pages.
package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/gofiber/template/html/v2"

	"supportlab/app/lessons"
	"supportlab/app/locale"
	"supportlab/app/quizbank"
	"supportlab/app/supportlab"
)

// BodyLimit caps request bodies: forms are small, quiz uploads a few KB.
const BodyLimit = 1 << 20

// Config is what the server needs; app/main.go wires it.
type Config struct {
	Lessons *lessons.Catalog
	Bank    *quizbank.Bank
	Locale  *locale.Catalog
	Views   fs.FS // templates: layouts/, partials/, *.html
	Static  fs.FS

	Users    supportlab.UserService
	Attempts supportlab.AttemptService
	Progress supportlab.ProgressService
	Imports  supportlab.ImportService
	Teams    supportlab.TeamService

	// Ping checks the database for /healthz.
	Ping func(ctx context.Context) error
	// Storage keeps sessions and rate-limit counters.
	SessionStorage fiber.Storage
	LimiterStorage fiber.Storage
	// SecureCookies marks cookies Secure; set it when served over TLS.
	SecureCookies bool
	// Secret signs values the server hands to the browser and reads back.
	Secret []byte
	Logger *slog.Logger
}

// Server is the configured Fiber application.
type Server struct {
	cfg      Config
	app      *fiber.App
	sessions *session.Store
	log      *slog.Logger
}

// Locals keys.
const (
	localLang = "lang"
	localUser = "user"
	localCSRF = "csrf"
)

// New builds the server and loads every template, failing on a template
// error rather than on the first request that needs it.
func New(cfg Config) (*Server, error) {
	if len(cfg.Secret) < 16 {
		return nil, errors.New("web: the secret must be at least 16 bytes")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	engine := html.NewFileSystem(http.FS(cfg.Views), ".html")
	engine.AddFunc("add", func(a, b int) int { return a + b })
	engine.AddFunc("dict", func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			if k, ok := kv[i].(string); ok {
				m[k] = kv[i+1]
			}
		}
		return m
	})
	engine.AddFunc("percent", func(n, d int) int {
		if d == 0 {
			return 0
		}
		return n * 100 / d
	})
	engine.AddFunc(engine.LayoutName, func() template.HTML { return embedMarker })
	if err := engine.Load(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger}
	s.app = fiber.New(fiber.Config{
		Views:                 pageViews{engine},
		ViewsLayout:           "layouts/main",
		ErrorHandler:          s.handleError,
		BodyLimit:             BodyLimit,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
	})
	s.sessions = session.New(session.Config{
		Storage:        cfg.SessionStorage,
		Expiration:     14 * 24 * time.Hour,
		KeyLookup:      "cookie:supportlab_session",
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		CookieSecure:   cfg.SecureCookies,
		CookiePath:     "/",
	})
	s.routes()
	return s, nil
}

// pageViews renders a page into a buffer, then the layout around it.
//
// The html engine's own layout support is not used: it writes straight to
// the response, prints a failing page's error into the page with status 200
// (its {{embed}} returns the error as a value) and serialises every render
// behind one lock while it swaps template functions. Here a template error is
// an error (a logged 500 that shows nothing of it) and renders run in
// parallel: {{embed}} is a constant marker that the page replaces.
type pageViews struct{ *html.Engine }

// embedMarker is what {{embed}} prints in a layout. It holds NUL bytes, which
// html/template never lets through from data, so only the layout can make it.
const embedMarker = "\x00supportlab:embed\x00"

// Render implements fiber.Views.
func (v pageViews) Render(out io.Writer, name string, binding any, layout ...string) error {
	page := v.Templates.Lookup(name)
	if page == nil {
		return fmt.Errorf("render: no template %q", name)
	}
	var body bytes.Buffer
	if err := page.Execute(&body, binding); err != nil {
		return err
	}
	if len(layout) == 0 || layout[0] == "" {
		_, err := out.Write(body.Bytes())
		return err
	}
	lay := v.Templates.Lookup(layout[0])
	if lay == nil {
		return fmt.Errorf("render: no layout %q", layout[0])
	}
	var frame bytes.Buffer
	if err := lay.Execute(&frame, binding); err != nil {
		return err
	}
	before, after, ok := bytes.Cut(frame.Bytes(), []byte(embedMarker))
	if !ok {
		return fmt.Errorf("render: layout %q has no {{embed}}", layout[0])
	}
	for _, part := range [][]byte{before, body.Bytes(), after} {
		if _, err := out.Write(part); err != nil {
			return err
		}
	}
	return nil
}

// App returns the Fiber app, for Listen and for tests (app.Test).
func (s *Server) App() *fiber.App { return s.app }

func (s *Server) routes() {
	app := s.app
	app.Use(recover.New())
	app.Use(securityHeaders)
	staticFiles := filesystem.New(filesystem.Config{
		Root:   http.FS(s.cfg.Static),
		MaxAge: 3600,
	})
	app.Use("/static", func(c *fiber.Ctx) error {
		// A folder is not a page: answer 404, as for any missing file.
		if err := staticFiles(c); !errors.Is(err, fiber.ErrForbidden) {
			return err
		}
		return supportlab.Errorf(supportlab.ENOTFOUND, "This page does not exist.")
	})
	app.Get("/healthz", s.healthz)
	app.Use(s.language)
	app.Use(s.csrfProtect)
	app.Use(s.loadUser)

	app.Get("/", s.home)
	app.Get("/learn/:module", s.module)
	app.Get("/learn/:module/:unit", s.unit)
	app.Get("/quiz/:uid", s.quizForm)
	app.Post("/quiz/:uid", s.quizSubmit)

	// Sandbox: the drill's fixed paths before /sandbox/:uid.
	app.Get("/sandbox", s.sandboxList)
	app.Get("/sandbox/drill", s.drillIntro)
	app.Post("/sandbox/drill", s.drillStart)
	app.Get("/sandbox/drill/step", s.drillStep)
	app.Post("/sandbox/drill/step", s.drillAnswer)
	app.Get("/sandbox/drill/summary", s.drillSummary)
	app.Get("/sandbox/:uid", s.sandboxScenario)
	app.Post("/sandbox/:uid", s.sandboxSubmit)
	s.authorRoutes(app)

	// Accounts and the learner's own record (auth.go, me.go, api.go).
	app.Get("/signup", s.signupForm)
	app.Post("/signup", s.signupLimiter(), s.signupSubmit)
	app.Get("/login", s.loginForm)
	app.Post("/login", append(s.loginLimiters(), s.loginSubmit)...)
	app.Post("/logout", s.logout)
	app.Get("/me", s.me)
	app.Get("/api/v1/me/attempts", s.apiMyAttempts)

	// Teams, dashboards, account administration and the teams API (teams.go, admin.go).
	s.teamRoutes()

	app.Use(func(c *fiber.Ctx) error {
		return supportlab.Errorf(supportlab.ENOTFOUND, "This page does not exist.")
	})
}

func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	return c.Next()
}

func (s *Server) healthz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if s.cfg.Ping != nil {
		if err := s.cfg.Ping(ctx); err != nil {
			s.log.Error("healthz", "err", err)
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
		}
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// language picks the request's language: ?lang= (remembered in a cookie),
// then the cookie, then Accept-Language, then English.
func (s *Server) language(c *fiber.Ctx) error {
	lang := canonicalLang(c.Query("lang"))
	if lang != "" {
		c.Cookie(&fiber.Cookie{
			Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: "Lax", HTTPOnly: true, Secure: s.cfg.SecureCookies,
		})
	} else if lang = canonicalLang(c.Cookies("lang")); lang == "" {
		lang = canonicalLang(locale.Negotiate(c.Get(fiber.HeaderAcceptLanguage)))
	}
	if lang == "" {
		lang = "en"
	}
	c.Locals(localLang, lang)
	c.Vary(fiber.HeaderAcceptLanguage)
	return c.Next()
}

// canonicalLang returns the package-level string for a supported language,
// so that nothing keeps a reference to Fiber's reused request memory.
func canonicalLang(v string) string {
	for _, l := range supportlab.Languages {
		if l == v {
			return l
		}
	}
	return ""
}

// loadUser puts the signed-in user, if any, in the request's locals.
func (s *Server) loadUser(c *fiber.Ctx) error {
	if s.cfg.Users == nil || c.Cookies("supportlab_session") == "" {
		return c.Next()
	}
	sess, err := s.sessions.Get(c)
	if err != nil {
		return c.Next()
	}
	id, ok := sess.Get("uid").(int64)
	if !ok || id == 0 {
		return c.Next()
	}
	u, err := s.cfg.Users.FindUserByID(c.UserContext(), id)
	if err != nil || u.Disabled {
		if supportlab.ErrorCode(err) == supportlab.EINTERNAL {
			return err
		}
		_ = sess.Destroy()
		return c.Next()
	}
	c.Locals(localUser, u)
	return c.Next()
}

// currentUser returns the signed-in user or nil.
func currentUser(c *fiber.Ctx) *supportlab.User {
	u, _ := c.Locals(localUser).(*supportlab.User)
	return u
}

// Access errors. Their messages are catalogue ids, so that the error page
// speaks the visitor's language.
var (
	errSignIn       = errorMsg(supportlab.EUNAUTHORIZED, "error.text.Unauthorized")
	errTrainersOnly = errorMsg(supportlab.EFORBIDDEN, "error.text.trainers_only")
	errAdminsOnly   = errorMsg(supportlab.EFORBIDDEN, "error.text.admins_only")
)

// requireUser returns the signed-in user, or errSignIn: JSON and forms get
// 401, a page asked for with GET the sign-in page (see handleError).
func requireUser(c *fiber.Ctx) (*supportlab.User, error) {
	if u := currentUser(c); u != nil {
		return u, nil
	}
	return nil, errSignIn
}

// requireTrainer returns the signed-in trainer or admin; anonymous visitors
// get errSignIn and learners 403.
func requireTrainer(c *fiber.Ctx) (*supportlab.User, error) {
	u, err := requireUser(c)
	if err == nil && !u.CanTrain() {
		return nil, errTrainersOnly
	}
	return u, err
}

// requireAdmin returns the signed-in admin; anonymous visitors get
// errSignIn and everyone else 403.
func requireAdmin(c *fiber.Ctx) (*supportlab.User, error) {
	u, err := requireUser(c)
	if err == nil && !u.IsAdmin() {
		return nil, errAdminsOnly
	}
	return u, err
}

// redirectToSignIn sends a signed-out visitor to the sign-in page, which
// brings them back to this page afterwards.
func redirectToSignIn(c *fiber.Ctx) error {
	return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

func currentLang(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	return "en"
}

// statusOf maps a domain error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case supportlab.ENOTFOUND:
		return fiber.StatusNotFound
	case supportlab.EINVALID:
		return fiber.StatusUnprocessableEntity
	case supportlab.ECONFLICT:
		return fiber.StatusConflict
	case supportlab.EUNAUTHORIZED:
		return fiber.StatusUnauthorized
	case supportlab.EFORBIDDEN:
		return fiber.StatusForbidden
	case supportlab.ETOOMANY:
		return fiber.StatusTooManyRequests
	}
	return fiber.StatusInternalServerError
}

// handleError is the one place errors become responses: an error page (or
// JSON under /api/), with the status the error's code calls for, except
// that a signed-out visitor asking for a page is sent to sign in. Only
// internal errors are logged; their details never reach the browser.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status, msg := fiber.StatusInternalServerError, ""
	var fe *fiber.Error
	var de *supportlab.Error
	var me *msgError
	switch {
	case errors.As(err, &me):
		status, msg = statusOf(me.code), s.cfg.Locale.Translator(currentLang(c)).T(me.id, me.pairs...)
	case errors.As(err, &de):
		status, msg = statusOf(de.Code), de.Message
	case errors.As(err, &fe):
		status, msg = fe.Code, fe.Message
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		msg = ""
	}
	api := strings.HasPrefix(c.Path(), "/api/")
	if status == fiber.StatusUnauthorized && !api && (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) {
		return redirectToSignIn(c)
	}
	if api {
		if msg == "" {
			msg = http.StatusText(status)
		}
		return c.Status(status).JSON(fiber.Map{"error": msg})
	}
	p := s.page(c, "")
	p.Title = p.T("error.title." + statusKey(status))
	if msg == "" || status == fiber.StatusNotFound {
		msg = p.T("error.text." + statusKey(status))
	}
	c.Status(status)
	if rerr := c.Render("error", errorPage{Page: p, Status: status, Message: msg}); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		return c.Status(status).SendString(http.StatusText(status))
	}
	return nil
}

// msgError is an error whose message is a catalogue id, so that the page
// that reports it speaks the learner's language. code is a supportlab error
// code and picks the status.
type msgError struct {
	code  string
	id    string
	pairs []any
}

// errorMsg returns a msgError: errorMsg(supportlab.EINVALID, "quiz.error.x", "N", 3).
func errorMsg(code, id string, pairs ...any) error {
	return &msgError{code: code, id: id, pairs: pairs}
}

func (e *msgError) Error() string { return "supportlab: " + e.code + ": " + e.id }

func statusKey(status int) string {
	switch status {
	case 400, 401, 403, 404, 405, 409, 413, 422, 429, 503:
		return http.StatusText(status)
	}
	if status >= 500 {
		return http.StatusText(500)
	}
	return http.StatusText(400)
}

type errorPage struct {
	Page
	Status  int
	Message string
}
