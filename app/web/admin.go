package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// Account administration: admins list accounts, change roles and disable or
// enable them. A disabled account cannot sign in and its sessions end, but
// its results stay in its teams' figures. The store refuses any change that
// would leave no active admin; the page explains it.

type adminUsersPage struct {
	Page
	Users  []adminUserRow // the accounts the search keeps
	All    int            // every account
	Query  string         // the search (?q=), "" for all
	Roles  []string
	Errors []string
}

type adminUserRow struct {
	*supportlab.User
	Self bool
}

func (s *Server) adminUsers(c *fiber.Ctx) error {
	return s.renderAdminUsers(c, fiber.StatusOK, nil)
}

// renderAdminUsers shows the accounts; refused, when set, is the change
// that was refused.
func (s *Server) renderAdminUsers(c *fiber.Ctx, status int, refused error) error {
	me := currentUser(c)
	users, err := s.svc.Users(c.UserContext(), me)
	if err != nil {
		return err
	}
	p := s.page(c, "")
	p.Title, p.Nav = p.T("admin.title"), "admin"
	page := adminUsersPage{Page: p, Roles: supportlab.Roles, All: len(users)}
	page.Query = strings.TrimSpace(strings.Clone(c.Query("q")))
	for _, u := range users {
		if matchesUser(u, page.Query) {
			page.Users = append(page.Users, adminUserRow{User: u, Self: u.ID == me.ID})
		}
	}
	if de := supportlab.AsError(refused); de != nil {
		page.Errors = []string{p.T(de.Key, de.Args...)}
	}
	return c.Status(status).Render("admin_users", page)
}

// matchesUser reports whether the search q (any case) is in u's name or
// email; an empty search keeps everyone.
func matchesUser(u *supportlab.User, q string) bool {
	if q == "" {
		return true
	}
	q = strings.ToLower(q)
	return strings.Contains(strings.ToLower(u.Name), q) || strings.Contains(strings.ToLower(u.Email), q)
}

// adminChange runs one change of the account in :id and answers the way
// every admin form does: back to the list with a message, the list again
// with status 422 when the change is refused. An admin who just gave up
// their own admin role can no longer see the list: they are sent home
// rather than to a 403.
func (s *Server) adminChange(c *fiber.Ctx, flashID string, change func(id int64) (stillAdmin bool, err error)) error {
	id := paramID(c, "id")
	stillAdmin, err := change(id)
	switch supportlab.ErrorCode(err) {
	case "":
	case supportlab.ECONFLICT, supportlab.EINVALID:
		return s.renderAdminUsers(c, fiber.StatusUnprocessableEntity, err)
	default:
		return err
	}
	s.flash(c, flashID)
	if !stillAdmin {
		return seeOther(c, "/")
	}
	return seeOther(c, "/admin/users")
}

// adminSetRole changes an account's role.
func (s *Server) adminSetRole(c *fiber.Ctx) error {
	role := canonicalRole(strings.TrimSpace(bodyValue(c, "role")))
	return s.adminChange(c, "admin_role_changed", func(id int64) (bool, error) {
		return s.svc.SetRole(c.UserContext(), currentUser(c), id, role)
	})
}

func (s *Server) adminDisable(c *fiber.Ctx) error {
	return s.adminChange(c, "admin_disabled", func(id int64) (bool, error) {
		return true, s.svc.SetDisabled(c.UserContext(), currentUser(c), id, true)
	})
}

func (s *Server) adminEnable(c *fiber.Ctx) error {
	return s.adminChange(c, "admin_enabled", func(id int64) (bool, error) {
		return true, s.svc.SetDisabled(c.UserContext(), currentUser(c), id, false)
	})
}
