package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

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
	case supportlab.EUNAVAILABLE:
		return fiber.StatusServiceUnavailable
	}
	return fiber.StatusInternalServerError
}

// errNotFound is the answer to an address with nothing at it.
var errNotFound = supportlab.NewError(supportlab.ENOTFOUND, "error.text.Not Found")

// handleError is the one place errors become responses: an error page (or
// JSON under /api/), with the status the error's code calls for and its
// message in the visitor's language, except that a signed-out visitor
// asking for a page is sent to sign in. Fiber's own refusals (413, 431,
// 400, 405) come here too, so they get the security headers. Only internal
// errors are logged; their details never reach the browser.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	setSecurityHeaders(c)
	tr := s.cfg.Locale.Translator(currentLang(c))
	status, msg := fiber.StatusInternalServerError, ""
	var fe *fiber.Error
	if de := supportlab.AsError(err); de != nil {
		status, msg = statusOf(de.Code), tr.T(de.Key, de.Args...)
	} else if errors.As(err, &fe) {
		status = fe.Code
	}
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "1")
	}
	if status >= 500 && status != fiber.StatusServiceUnavailable {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		msg = ""
	}
	api := strings.HasPrefix(c.Path(), "/api/")
	if status == fiber.StatusUnauthorized && !api && (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) {
		return redirectToSignIn(c)
	}
	if msg == "" || status == fiber.StatusNotFound {
		// A missing page is a missing page, whatever is missing: the
		// generic text says so without naming what was looked for.
		msg = tr.T("error.text." + statusKey(status))
	}
	if api {
		return c.Status(status).JSON(fiber.Map{"error": msg})
	}
	p := s.page(c, "")
	p.Title = p.T("error.title." + statusKey(status))
	c.Status(status)
	if rerr := c.Render("error", errorPage{Page: p, Status: status, Message: msg}); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		return c.Status(status).SendString(http.StatusText(status))
	}
	return nil
}

// statusKey is the catalogue suffix of a status's title and text.
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
