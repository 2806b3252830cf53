package web

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Sessions. The browser holds a random id in an HttpOnly, SameSite=Lax
// cookie; the storage (sessions are kept under the hash of their id, see
// package hashedkeys) maps it to the signed-in account's id. That is the
// whole session: every request reads the account itself, so a change of
// role or a disabled account counts from the next request.

const (
	// sessionLifetime is how long a sign-in lasts.
	sessionLifetime = 14 * 24 * time.Hour
	// sessionIDBytes is the size of a session id: 32 random bytes.
	sessionIDBytes = 32
)

// sessionUserID returns the account id of the request's session, 0 when
// there is none (no cookie, an unknown or expired id).
func (s *Server) sessionUserID(c *fiber.Ctx) (int64, error) {
	id := c.Cookies(sessionCookie)
	if id == "" || len(id) > 64 {
		return 0, nil
	}
	v, err := s.cfg.SessionStorage.Get(id)
	if err != nil || v == nil {
		return 0, err
	}
	uid, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, nil // not a session this server wrote
	}
	return uid, nil
}

// startSession signs account uid in under a new session id, after ending
// the request's current session: an id planted in the browser before
// signing in is worth nothing after.
func (s *Server) startSession(c *fiber.Ctx, uid int64) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	b := make([]byte, sessionIDBytes)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	if err := s.cfg.SessionStorage.Set(id, []byte(strconv.FormatInt(uid, 10)), sessionLifetime); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: id, Path: "/", MaxAge: int(sessionLifetime / time.Second),
		HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.SecureCookies,
	})
	return nil
}

// endSession deletes the request's session, if any, and expires its cookie.
func (s *Server) endSession(c *fiber.Ctx) error {
	id := c.Cookies(sessionCookie)
	if id == "" {
		return nil
	}
	if err := s.cfg.SessionStorage.Delete(id); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.SecureCookies,
	})
	return nil
}
