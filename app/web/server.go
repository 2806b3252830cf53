// Package web is SupportLab's HTTP interface: server-rendered pages, forms
// and the JSON API, on Fiber. Handlers follow post/redirect/get: parse the
// form, validate, store, redirect with 303; invalid input re-renders the same
// form with messages and status 422. Every error goes through one handler
// that maps domain error codes to statuses and pages.
package web

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
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

	// Ping checks the database for /healthz.
	Ping func(ctx context.Context) error
	// Storage keeps sessions, CSRF tokens and rate-limit counters.
	SessionStorage fiber.Storage
	CSRFStorage    fiber.Storage
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
	if err := engine.Load(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger}
	s.app = fiber.New(fiber.Config{
		Views:                 engine,
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

// App returns the Fiber app, for Listen and for tests (app.Test).
func (s *Server) App() *fiber.App { return s.app }

func (s *Server) routes() {
	app := s.app
	app.Use(recover.New())
	app.Use(securityHeaders)
	app.Use("/static", filesystem.New(filesystem.Config{
		Root:   http.FS(s.cfg.Static),
		MaxAge: 3600,
	}))
	app.Get("/healthz", s.healthz)
	app.Use(s.language)
	app.Use(csrf.New(csrf.Config{
		KeyLookup:      "form:_csrf",
		CookieName:     "supportlab_csrf",
		CookieSameSite: "Lax",
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.SecureCookies,
		CookiePath:     "/",
		Expiration:     24 * time.Hour,
		Storage:        s.cfg.CSRFStorage,
		ContextKey:     localCSRF,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return supportlab.Errorf(supportlab.EFORBIDDEN, "This form has expired or did not come from SupportLab. Go back, reload the page and send it again.")
		},
	}))
	app.Use(s.loadUser)

	app.Get("/", s.home)
	app.Get("/learn/:module", s.module)
	app.Get("/learn/:module/:unit", s.unit)
	app.Get("/quiz/:uid", s.quizForm)
	app.Post("/quiz/:uid", s.quizSubmit)

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
// JSON under /api/), with the status the error's code calls for. Only
// internal errors are logged; their details never reach the browser.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status, msg := fiber.StatusInternalServerError, ""
	var fe *fiber.Error
	var de *supportlab.Error
	switch {
	case errors.As(err, &de):
		status, msg = statusOf(de.Code), de.Message
	case errors.As(err, &fe):
		status, msg = fe.Code, fe.Message
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		msg = ""
	}
	if strings.HasPrefix(c.Path(), "/api/") {
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
