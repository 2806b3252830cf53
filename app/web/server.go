// Package web is SupportLab's HTTP adapter: server-rendered pages, forms and
// the JSON API, on Fiber. A handler decodes the request, calls one use case
// of training.Service, and renders the answer; it holds no rule of its own.
// Handlers follow post/redirect/get: parse the form, call, redirect with
// 303; refused input re-renders the same form with messages and status 422.
// Every error goes through handleError, which maps domain error codes to
// statuses and pages in the visitor's language.
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
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"

	"supportlab/app/locale"
	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// BodyLimit caps request bodies: forms are small, and an upload may hold a
// quiz file of supportlab.MaxImportBytes. The editor posts a file's text
// URL-encoded, which can take up to three bytes per byte of text.
const BodyLimit = 3*supportlab.MaxImportBytes + 64<<10

// Config is what the server needs; app/main.go wires it.
type Config struct {
	App    *training.Service
	Locale *locale.Catalog
	Views  fs.FS // templates: layouts/, partials/, *.html
	Static fs.FS

	// Ping checks the database for /healthz.
	Ping func(ctx context.Context) error
	// SessionStorage keeps sessions (under hashed ids), LimiterStorage the
	// rate-limit counters.
	SessionStorage fiber.Storage
	LimiterStorage fiber.Storage
	// SecureCookies marks cookies Secure; set it when served over TLS.
	SecureCookies bool
	// TrustedProxies are the reverse proxies (addresses or CIDR ranges)
	// whose X-Forwarded-For header names the client: the sign-in limits
	// count per client address, which behind a proxy would otherwise be
	// the proxy's, one limit shared by everybody. Empty trusts no header.
	TrustedProxies []string
	// Secret signs values the server hands to the browser and reads back.
	Secret []byte
	Logger *slog.Logger
}

// Server is the configured Fiber application.
type Server struct {
	cfg   Config
	app   *fiber.App
	svc   *training.Service
	log   *slog.Logger
	views pageViews
	// shared holds the skeletons of shared pages (shared.go), fragments
	// the rendered questions of each quiz (quiz.go).
	shared    skeletons
	fragments sync.Map
}

// New builds the server and loads every template, failing on a template
// error rather than on the first request that needs it.
func New(cfg Config) (*Server, error) {
	if len(cfg.Secret) < 16 {
		return nil, errors.New("web: the secret must be at least 16 bytes")
	}
	if cfg.App == nil {
		return nil, errors.New("web: no application service")
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
	engine.AddFunc(engine.LayoutName, func() template.HTML { return embedMarker })
	if err := engine.Load(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, svc: cfg.App, log: cfg.Logger, views: pageViews{engine}}
	s.app = fiber.New(fiber.Config{
		Views:        s.views,
		ViewsLayout:  "layouts/main",
		ErrorHandler: s.handleError,
		BodyLimit:    BodyLimit,
		// The client's address, for the sign-in limits: the connection's,
		// or, from a trusted proxy only, the one it forwards.
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
		EnableIPValidation:      true,
		DisableStartupMessage:   true,
		ReadTimeout:             30 * time.Second,
		WriteTimeout:            30 * time.Second,
		IdleTimeout:             120 * time.Second,
	})
	s.routes()
	return s, nil
}

// App returns the Fiber app, for Listen and for tests (app.Test).
func (s *Server) App() *fiber.App { return s.app }

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

// proxyHeader is the header that names the client behind the trusted
// proxies, "" (the connection's address) when there are none.
func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}
