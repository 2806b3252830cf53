package web

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

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
	// Field messages, shown next to their input.
	EmailError, NameError, PasswordError string
	// Errors lists every message, for the summary at the top of the form,
	// in the order of the fields.
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

// renderAuth shows the sign-up or sign-in page with status; err, when
// set, says what was wrong: per field, or about the whole form.
func (s *Server) renderAuth(c *fiber.Ctx, view string, status int, form authForm, err error) error {
	p := s.page(c, "")
	p.Title = p.T("auth." + view + ".title")
	p.Nav = view
	if byField, list := p.fieldMessages(err); byField != nil {
		form.NameError, form.EmailError, form.PasswordError = byField["name"], byField["email"], byField["password"]
		form.Errors = list
	} else if de := supportlab.AsError(err); de != nil {
		form.Errors = []string{p.T(de.Key, de.Args...)}
		if de.Code == supportlab.ECONFLICT {
			form.EmailError = form.Errors[0]
		}
	}
	return c.Status(status).Render(view, authPage{Page: p, Form: form, MinPassword: supportlab.MinPasswordLength})
}

func (s *Server) signupForm(c *fiber.Ctx) error {
	return s.renderAuth(c, "signup", fiber.StatusOK, authForm{Next: safeNext(c.Query("next"))}, nil)
}

// authFormValues reads the sign-up or sign-in form as the learner sent it
// (the sign-in form has no name), for checking and re-showing it.
func authFormValues(c *fiber.Ctx) authForm {
	return authForm{
		Email: strings.TrimSpace(bodyValue(c, "email")),
		Name:  strings.TrimSpace(bodyValue(c, "name")),
		Next:  safeNext(bodyValue(c, "next")),
	}
}

// signupSubmit creates an account and signs it in.
func (s *Server) signupSubmit(c *fiber.Ctx) error {
	form := authFormValues(c)
	u, err := s.svc.SignUp(c.UserContext(), supportlab.NewUser{Email: form.Email, Name: form.Name, Password: bodyValue(c, "password")})
	switch supportlab.ErrorCode(err) {
	case "":
	case supportlab.EINVALID, supportlab.ECONFLICT:
		return s.renderAuth(c, "signup", statusOf(supportlab.ErrorCode(err)), form, err)
	default:
		return err
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	s.flash(c, "signed_up")
	return seeOther(c, nextOr(form.Next, "/"))
}

func nextOr(next, def string) string {
	if next == "" {
		return def
	}
	return next
}

// signIn starts a session for u under a new session id, so that an id
// planted in the browser before signing in is worth nothing after, and
// gives the browser a new CSRF id for the same reason.
func (s *Server) signIn(c *fiber.Ctx, u *supportlab.User) error {
	if err := s.startSession(c, u.ID); err != nil {
		return err
	}
	s.renewCSRF(c)
	return nil
}

func (s *Server) loginForm(c *fiber.Ctx) error {
	return s.renderAuth(c, "login", fiber.StatusOK, authForm{Next: safeNext(c.Query("next"))}, nil)
}

func (s *Server) loginSubmit(c *fiber.Ctx) error {
	form := authFormValues(c)
	password := bodyValue(c, "password")
	var fields []supportlab.FieldError
	if form.Email == "" {
		fields = append(fields, supportlab.FieldError{Field: "email", Key: "auth.error.email_required"})
	}
	if password == "" {
		fields = append(fields, supportlab.FieldError{Field: "password", Key: "auth.error.password_required"})
	}
	if err := supportlab.Invalid(fields); err != nil {
		return s.renderAuth(c, "login", fiber.StatusUnprocessableEntity, form, err)
	}
	u, err := s.svc.SignIn(c.UserContext(), form.Email, password)
	if supportlab.ErrorCode(err) == supportlab.EUNAUTHORIZED {
		return s.renderAuth(c, "login", fiber.StatusUnauthorized, form, err)
	} else if err != nil {
		return err
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	s.flash(c, "signed_in")
	return seeOther(c, nextOr(form.Next, "/"))
}

// loginLimiters count failed sign-ins (a successful one is not counted),
// in the limiter storage so that a restart does not reset them: per client
// address, and per account and address together. Counting per account
// alone would let a stranger lock anyone out by failing on purpose; per
// account and address, the owner signing in from their own address, with
// no failures there, always gets through. The request over a limit gets
// the form back with status 429 and a message saying how long to wait.
func (s *Server) loginLimiters() []fiber.Handler {
	tooMany := func(c *fiber.Ctx) error {
		return s.renderAuth(c, "login", fiber.StatusTooManyRequests, authFormValues(c), supportlab.NewError(supportlab.ETOOMANY, "auth.error.too_many"))
	}
	limits := []struct {
		max int
		key func(c *fiber.Ctx) string
	}{
		{signInLimitAddress, func(c *fiber.Ctx) string { return "login-ip:" + c.IP() }},
		{signInLimitAccount, func(c *fiber.Ctx) string {
			email := strings.ToLower(strings.TrimSpace(bodyValue(c, "email")))
			sum := sha256.Sum256([]byte(email + "\x00" + c.IP()))
			return "login-account-ip:" + hex.EncodeToString(sum[:])
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
			return s.renderAuth(c, "signup", fiber.StatusTooManyRequests, authFormValues(c), supportlab.NewError(supportlab.ETOOMANY, "auth.error.too_many_signups"))
		},
		SkipFailedRequests: true,
		Storage:            s.cfg.LimiterStorage,
	})
}

// logout ends the session: its data is deleted, the cookie expired, and
// the browser gets a new CSRF id.
func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	s.renewCSRF(c)
	s.flash(c, "signed_out")
	return seeOther(c, "/")
}
