package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/locale"
	"supportlab/app/supportlab"
)

// Locals keys.
const (
	localLang = "lang"
	localUser = "user"
	localCSRF = "csrf"
)

// sessionCookie names the session cookie.
const sessionCookie = "supportlab_session"

// securityHeaders sets the headers every answer carries.
func securityHeaders(c *fiber.Ctx) error {
	setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders is securityHeaders for answers made outside the
// middleware chain (handleError).
func setSecurityHeaders(c *fiber.Ctx) {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
}

// personalPrefixes are the paths whose pages hold personal data: no cache
// (a shared computer's browser, a proxy) may keep them.
var personalPrefixes = []string{"/me", "/teams", "/admin", "/author", "/api"}

// noStore marks pages with personal data Cache-Control: no-store.
func noStore(c *fiber.Ctx) error {
	path := c.Path()
	for _, p := range personalPrefixes {
		if rest, ok := strings.CutPrefix(path, p); ok && (rest == "" || rest[0] == '/' || rest[0] == '.') {
			c.Set(fiber.HeaderCacheControl, "no-store")
			break
		}
	}
	return c.Next()
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

func currentLang(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	return "en"
}

// loadUser puts the signed-in user, as the store has them now, in the
// request's locals: every access check of the request uses that role.
func (s *Server) loadUser(c *fiber.Ctx) error {
	id, err := s.sessionUserID(c)
	if err != nil {
		return err
	} else if id == 0 {
		return c.Next()
	}
	u, err := s.svc.SessionUser(c.UserContext(), id)
	switch supportlab.ErrorCode(err) {
	case "":
		c.Locals(localUser, u)
	case supportlab.EINTERNAL:
		return err
	default:
		if err := s.endSession(c); err != nil {
			return err
		}
	}
	return c.Next()
}

// currentUser returns the signed-in user or nil.
func currentUser(c *fiber.Ctx) *supportlab.User {
	u, _ := c.Locals(localUser).(*supportlab.User)
	return u
}

// redirectToSignIn sends a signed-out visitor to the sign-in page, which
// brings them back to this page afterwards.
func redirectToSignIn(c *fiber.Ctx) error {
	return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}
