package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"supportlab/app/supportlab"
)

// Sign-in limits: a few failed tries a minute against one account are
// plenty for a person who mistyped and far too few for anyone guessing its
// password. One address gets more, since a whole office can share it, but
// few enough to stop anyone spraying passwords over many accounts.
const (
	signInLimitAccount = 5
	signInLimitAddress = 20
	signInWindow       = time.Minute

	// Accounts created from one address in an hour: a class signing up
	// together fits; a script filling the database does not.
	signUpLimitAddress = 30
	signUpWindow       = time.Hour
)

// authForm is the sign-up or sign-in form as the learner filled it in,
// re-shown with messages when something is wrong. The password is never
// sent back.
type authForm struct {
	Email string
	Name  string
	Next  string
	// Field messages, shown next to their input: catalogue ids until
	// renderAuth translates them.
	EmailError, NameError, PasswordError string
	// Alert is a message about the whole form (a catalogue id).
	Alert string
	// Errors lists every message, for the summary at the top of the form.
	Errors []string
}

type authPage struct {
	Page
	Form        authForm
	MinPassword int
}

// safeNext returns next if it is a path on this site, else "". It stops
// /login?next= from sending someone to another site after signing in.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return ""
	}
	// Browsers read a backslash as a slash ("/\\evil.example"), and control
	// characters have no place in a path.
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return ""
		}
	}
	return strings.Clone(next)
}

// renderAuth shows the sign-up or sign-in page with status.
func (s *Server) renderAuth(c *fiber.Ctx, view string, status int, form authForm) error {
	p := s.page(c, "")
	p.Title = p.T("auth." + view + ".title")
	p.Nav = view
	// In the order of the fields on the sign-up form.
	for _, id := range []*string{&form.Alert, &form.NameError, &form.EmailError, &form.PasswordError} {
		if *id != "" {
			*id = p.T(*id, "Min", supportlab.MinPasswordLength, "Max", supportlab.MaxPasswordBytes, "MaxName", supportlab.MaxNameLength)
			form.Errors = append(form.Errors, *id)
		}
	}
	return c.Status(status).Render(view, authPage{Page: p, Form: form, MinPassword: supportlab.MinPasswordLength})
}

func (s *Server) signupForm(c *fiber.Ctx) error {
	return s.renderAuth(c, "signup", fiber.StatusOK, authForm{Next: safeNext(c.Query("next"))})
}

// signupSubmit creates an account and signs it in. The form checks what it
// can say field by field, in the page's language; the store checks again
// and has the last word (a taken email, an address it cannot accept).
func (s *Server) signupSubmit(c *fiber.Ctx) error {
	form := authFormValues(c)
	password := c.FormValue("password")
	switch {
	case form.Email == "":
		form.EmailError = "auth.error.email_required"
	case !strings.Contains(form.Email, "@"):
		form.EmailError = "auth.error.email_invalid"
	}
	switch {
	case form.Name == "":
		form.NameError = "auth.error.name_required"
	case utf8.RuneCountInString(form.Name) > supportlab.MaxNameLength:
		form.NameError = "auth.error.name_too_long"
	}
	switch {
	case utf8.RuneCountInString(password) < supportlab.MinPasswordLength:
		form.PasswordError = "auth.error.password_too_short"
	case len(password) > supportlab.MaxPasswordBytes:
		form.PasswordError = "auth.error.password_too_long"
	}
	if form.EmailError != "" || form.NameError != "" || form.PasswordError != "" {
		return s.renderAuth(c, "signup", fiber.StatusUnprocessableEntity, form)
	}

	u, err := s.cfg.Users.CreateUser(c.UserContext(), supportlab.NewUser{Email: form.Email, Name: form.Name, Password: password})
	switch supportlab.ErrorCode(err) {
	case "":
	case supportlab.ECONFLICT:
		form.EmailError = "auth.error.email_taken"
		return s.renderAuth(c, "signup", fiber.StatusConflict, form)
	case supportlab.EINVALID:
		// The form checked name and password by the same rules; what the
		// store refuses beyond them is the address.
		form.EmailError = "auth.error.email_invalid"
		return s.renderAuth(c, "signup", fiber.StatusUnprocessableEntity, form)
	default:
		return err
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	flash(c, "signed_up")
	return seeOther(c, nextOr(form.Next, "/"))
}

func nextOr(next, def string) string {
	if next == "" {
		return def
	}
	return next
}

// signIn starts a session for u under a new session id, so that an id
// planted in the browser before signing in is worth nothing after.
func (s *Server) signIn(c *fiber.Ctx, u *supportlab.User) error {
	sess, err := s.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Regenerate(); err != nil {
		return err
	}
	sess.Set("uid", u.ID)
	return sess.Save()
}

func (s *Server) loginForm(c *fiber.Ctx) error {
	return s.renderAuth(c, "login", fiber.StatusOK, authForm{Next: safeNext(c.Query("next"))})
}

// authFormValues reads the sign-up or sign-in form as the learner sent it
// (the sign-in form has no name), for checking and re-showing it.
func authFormValues(c *fiber.Ctx) authForm {
	return authForm{
		Email: strings.Clone(strings.TrimSpace(c.FormValue("email"))),
		Name:  strings.Clone(strings.TrimSpace(c.FormValue("name"))),
		Next:  safeNext(c.FormValue("next")),
	}
}

func (s *Server) loginSubmit(c *fiber.Ctx) error {
	form := authFormValues(c)
	password := c.FormValue("password")
	if form.Email == "" {
		form.EmailError = "auth.error.email_required"
	}
	if password == "" {
		form.PasswordError = "auth.error.password_required"
	}
	if form.EmailError != "" || form.PasswordError != "" {
		return s.renderAuth(c, "login", fiber.StatusUnprocessableEntity, form)
	}
	u, err := s.cfg.Users.Authenticate(c.UserContext(), form.Email, password)
	if supportlab.ErrorCode(err) == supportlab.EUNAUTHORIZED {
		form.Alert = "auth.error.bad_credentials"
		if errors.Is(err, supportlab.ErrAccountDisabled) {
			form.Alert = "auth.error.disabled"
		}
		return s.renderAuth(c, "login", fiber.StatusUnauthorized, form)
	} else if err != nil {
		return err
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	flash(c, "signed_in")
	return seeOther(c, nextOr(form.Next, "/"))
}

// loginLimiters count failed sign-ins (a successful one is not counted)
// per client address and per email, in the limiter storage so that a
// restart does not reset them. The request over the limit gets the form
// back with status 429 and a message saying how long to wait.
func (s *Server) loginLimiters() []fiber.Handler {
	tooMany := func(c *fiber.Ctx) error {
		form := authFormValues(c)
		form.Alert = "auth.error.too_many"
		return s.renderAuth(c, "login", fiber.StatusTooManyRequests, form)
	}
	limits := []struct {
		max int
		key func(c *fiber.Ctx) string
	}{
		{signInLimitAddress, func(c *fiber.Ctx) string { return "login-ip:" + c.IP() }},
		{signInLimitAccount, func(c *fiber.Ctx) string {
			email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
			sum := sha256.Sum256([]byte(email))
			return "login-email:" + hex.EncodeToString(sum[:])
		}},
	}
	var hs []fiber.Handler
	for _, l := range limits {
		hs = append(hs, limiter.New(limiter.Config{
			Max:                    l.max,
			Expiration:             signInWindow,
			KeyGenerator:           l.key,
			LimitReached:           tooMany,
			SkipSuccessfulRequests: true,
			Storage:                s.cfg.LimiterStorage,
		}))
	}
	return hs
}

// signupLimiter counts accounts created per client address (refused
// sign-ups are not counted) and re-shows the form with 429 past the limit.
func (s *Server) signupLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        signUpLimitAddress,
		Expiration: signUpWindow,
		KeyGenerator: func(c *fiber.Ctx) string {
			return "signup-ip:" + c.IP()
		},
		LimitReached: func(c *fiber.Ctx) error {
			form := authFormValues(c)
			form.Alert = "auth.error.too_many_signups"
			return s.renderAuth(c, "signup", fiber.StatusTooManyRequests, form)
		},
		SkipFailedRequests: true,
		Storage:            s.cfg.LimiterStorage,
	})
}

// logout ends the session: its data is deleted and the cookie expired.
func (s *Server) logout(c *fiber.Ctx) error {
	sess, err := s.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Destroy(); err != nil {
		return err
	}
	flash(c, "signed_out")
	return seeOther(c, "/")
}
