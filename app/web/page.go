package web

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/locale"
	"supportlab/app/supportlab"
)

// Page holds what every page's layout needs. Page types embed it, so that
// templates reach the translator as {{.T "key"}} at any depth of data.
type Page struct {
	Title string
	Lang  string
	User  *supportlab.User
	Flash string
	// Path is the current path, for the language switch and sign-in return.
	Path string
	// Nav names the main-menu entry to mark as current.
	Nav string
	tr  *locale.Translator
	// csrf gives the token of the page's forms; it is a function so that a
	// page without a form issues no CSRF cookie.
	csrf func() string
}

// CSRF is the token the page's forms carry in their _csrf field.
func (p Page) CSRF() string {
	if p.csrf == nil {
		return ""
	}
	return p.csrf()
}

// T translates a message id of the interface catalogue.
func (p Page) T(id string, pairs ...any) string { return p.tr.T(id, pairs...) }

// TN translates a message with plural forms.
func (p Page) TN(id string, n int, pairs ...any) string { return p.tr.TN(id, n, pairs...) }

// OtherLang is the language the switch offers.
func (p Page) OtherLang() string {
	if p.Lang == "fr" {
		return "en"
	}
	return "fr"
}

// LangURL is the current page in another language.
func (p Page) LangURL(lang string) string {
	return p.Path + "?lang=" + url.QueryEscape(lang)
}

// page builds the shared part of a page for the request.
func (s *Server) page(c *fiber.Ctx, title string) Page {
	lang := currentLang(c)
	p := Page{
		Title: title,
		Lang:  lang,
		User:  currentUser(c),
		Path:  string([]byte(c.Path())),
		tr:    s.cfg.Locale.Translator(lang),
		csrf:  func() string { return s.csrfOf(c) },
	}
	if f := c.Cookies("flash"); f != "" {
		// Only known messages are shown: the cookie carries a message id.
		if msg := p.T("flash." + f); msg != "flash."+f {
			p.Flash = msg
		}
		// Expire it on the path it was set for, or it would show again.
		c.Cookie(&fiber.Cookie{Name: "flash", Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0), SameSite: "Lax", HTTPOnly: true, Secure: s.cfg.SecureCookies})
	}
	return p
}

// flash sets a one-time message (a catalogue id under "flash.") shown by
// the next page, as part of a post/redirect/get.
func (s *Server) flash(c *fiber.Ctx, id string) {
	c.Cookie(&fiber.Cookie{Name: "flash", Value: id, Path: "/", MaxAge: 60, SameSite: "Lax", HTTPOnly: true, Secure: s.cfg.SecureCookies})
}

// seeOther redirects after a successful POST.
func seeOther(c *fiber.Ctx, to string) error {
	return c.Redirect(to, fiber.StatusSeeOther)
}

// signInHintView is the sign-in-hint partial's data.
type signInHintView struct {
	P     Page
	Hint  string // catalogue id of the invitation to sign in
	Saved bool   // the attempt was saved: say so instead
	Class string // CSS class of the paragraph, "note" when empty
}

// SignInHint is what a page hands the sign-in-hint partial.
func (p Page) SignInHint(hint string, saved bool, class string) signInHintView {
	return signInHintView{P: p, Hint: hint, Saved: saved, Class: class}
}
