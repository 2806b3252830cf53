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

// csrfProtect guards every unsafe request with a signed double-submit
// token. The browser keeps a random id in an HttpOnly, SameSite=Lax cookie;
// each form carries the HMAC of that id under the server secret in the
// `_csrf` field. A POST without the cookie, without the field or with a
// field that does not match is refused with 403.
//
// Nothing is stored on the server: a page view costs no database write, the
// tokens survive restarts (the secret is kept in the database) and a learner
// who leaves a quiz open for hours can still send it.
func (s *Server) csrfProtect(c *fiber.Ctx) error {
	id := c.Cookies(csrfCookie)
	valid := validCSRFID(id)
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		if !valid {
			id = newCSRFID()
			c.Cookie(&fiber.Cookie{
				Name: csrfCookie, Value: id, Path: "/", MaxAge: 400 * 24 * 3600,
				HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.SecureCookies,
			})
		}
		c.Locals(localCSRF, s.csrfToken(id))
		return c.Next()
	}
	if !valid {
		return errorMsg(supportlab.EFORBIDDEN, "error.text.csrf")
	}
	want := s.csrfToken(id)
	if !hmac.Equal([]byte(c.FormValue("_csrf")), []byte(want)) {
		return errorMsg(supportlab.EFORBIDDEN, "error.text.csrf")
	}
	c.Locals(localCSRF, want)
	if !formIsUTF8(c) {
		return errorMsg(supportlab.EINVALID, "error.text.bad_encoding")
	}
	return c.Next()
}

// formIsUTF8 reports whether every field name and value of the form (not
// uploaded files) is valid UTF-8: text that is not would be stored as
// garbage, shown as garbage and exported as garbage.
func formIsUTF8(c *fiber.Ctx) bool {
	ok := true
	if mf, err := c.MultipartForm(); err == nil {
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

// csrfToken is the form token of a browser id.
func (s *Server) csrfToken(id string) string {
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
