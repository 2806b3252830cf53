package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// csrfCookie holds a random id per browser; forms carry HMAC(secret, id).
const csrfCookie = "supportlab_csrf"

// csrfIDBytes is the size of the browser id: 32 random bytes.
const csrfIDBytes = 32

var errCSRF = supportlab.NewError(supportlab.EFORBIDDEN, "error.text.csrf")

// csrfOf gives the token a page's forms carry: a signed double-submit
// token. The browser keeps a random id in an HttpOnly, SameSite=Lax cookie
// (set here, the first time a page with a form is shown to it); each form
// carries the HMAC of that id under the server secret in the `_csrf` field.
//
// Nothing is stored on the server: a page view costs no database write, the
// tokens survive restarts (the secret is kept in the database) and a learner
// who leaves a quiz open for hours can still send it. A page without a form
// costs nothing at all.
func (s *Server) csrfOf(c *fiber.Ctx) string {
	if tok, ok := c.Locals(localCSRF).(string); ok {
		return tok
	}
	id := c.Cookies(csrfCookie)
	if !validCSRFID(id) {
		id = s.setCSRFCookie(c)
	}
	tok := s.csrfFor(id)
	c.Locals(localCSRF, tok)
	return tok
}

// checkCSRF guards a POST route: without the cookie, without the `_csrf`
// field in the body (never the query string, which leaks into logs and
// Referer headers) or with one that does not match, the request is
// refused with 403. Form text that is not UTF-8 is refused with 422.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	id := c.Cookies(csrfCookie)
	if !validCSRFID(id) {
		return errCSRF
	}
	if !hmac.Equal([]byte(bodyValue(c, "_csrf")), []byte(s.csrfFor(id))) {
		return errCSRF
	}
	if !formIsUTF8(c) {
		return supportlab.NewError(supportlab.EINVALID, "error.text.bad_encoding")
	}
	return c.Next()
}

// renewCSRF gives the browser a new id when who is signed in changes (sign
// in, sign out), so that a token seen before is worth nothing after.
func (s *Server) renewCSRF(c *fiber.Ctx) {
	c.Locals(localCSRF, s.csrfFor(s.setCSRFCookie(c)))
}

func (s *Server) setCSRFCookie(c *fiber.Ctx) string {
	id := newCSRFID()
	c.Cookie(&fiber.Cookie{
		Name: csrfCookie, Value: id, Path: "/", MaxAge: 400 * 24 * 3600,
		HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.SecureCookies,
	})
	return id
}

// formIsUTF8 reports whether every field name and value of the form (not
// uploaded files) is valid UTF-8: text that is not would be stored as
// garbage, shown as garbage and exported as garbage.
func formIsUTF8(c *fiber.Ctx) bool {
	ok := true
	if isMultipart(c) {
		mf, err := c.MultipartForm()
		if err != nil {
			return true // unreadable forms are refused where they are read
		}
		for k, vs := range mf.Value {
			ok = ok && utf8.ValidString(k)
			for _, v := range vs {
				ok = ok && utf8.ValidString(v)
			}
		}
		return ok
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		ok = ok && utf8.Valid(k) && utf8.Valid(v)
	})
	return ok
}

// csrfFor is the form token of a browser id.
func (s *Server) csrfFor(id string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("csrf\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func newCSRFID() string {
	b := make([]byte, csrfIDBytes)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// validCSRFID reports whether id looks like one newCSRFID made, so that a
// forged short or empty cookie is replaced rather than trusted.
func validCSRFID(id string) bool {
	b, err := base64.RawURLEncoding.DecodeString(id)
	return err == nil && len(b) == csrfIDBytes
}
