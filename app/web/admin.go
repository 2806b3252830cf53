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
	Users  []adminUserRow
	Roles  []string
	Errors []string
}

type adminUserRow struct {
	*supportlab.User
	Self bool
}

func (s *Server) adminUsers(c *fiber.Ctx) error {
	if _, err := requireAdmin(c); err != nil {
		return err
	}
	return s.renderAdminUsers(c, fiber.StatusOK, "")
}

func (s *Server) renderAdminUsers(c *fiber.Ctx, status int, errID string) error {
	users, err := s.cfg.Users.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	me := currentUser(c)
	p := s.page(c, "")
	p.Title = p.T("admin.title")
	p.Nav = "admin"
	page := adminUsersPage{Page: p, Roles: supportlab.Roles}
	for _, u := range users {
		page.Users = append(page.Users, adminUserRow{User: u, Self: u.ID == me.ID})
	}
	if errID != "" {
		page.Errors = []string{p.T(errID)}
	}
	return c.Status(status).Render("admin_users", page)
}

// adminChange runs one change of the account in :id and answers the way
// every admin form does: back to the list with a message, the list again
// with status 422 when the change is refused.
func (s *Server) adminChange(c *fiber.Ctx, flashID string, change func(id int64) error) error {
	me, err := requireAdmin(c)
	if err != nil {
		return err
	}
	id, ok := paramID(c, "id")
	if !ok {
		return supportlab.Errorf(supportlab.ENOTFOUND, "There is no such account.")
	}
	err = change(id)
	switch supportlab.ErrorCode(err) {
	case "":
	case supportlab.ECONFLICT:
		return s.renderAdminUsers(c, fiber.StatusUnprocessableEntity, "admin.error.last_admin")
	case supportlab.EINVALID:
		return s.renderAdminUsers(c, fiber.StatusUnprocessableEntity, "admin.error.role")
	default:
		return err
	}
	flash(c, flashID)
	// An admin who just gave up their own admin role can no longer see the
	// list: send them home rather than to a 403.
	if id == me.ID {
		if u, err := s.cfg.Users.FindUserByID(c.UserContext(), id); err == nil && !u.IsAdmin() {
			return seeOther(c, "/")
		}
	}
	return seeOther(c, "/admin/users")
}

// adminSetRole changes an account's role; a role the form cannot offer is
// refused like any other invalid change.
func (s *Server) adminSetRole(c *fiber.Ctx) error {
	role := canonicalRole(strings.TrimSpace(c.FormValue("role")))
	return s.adminChange(c, "admin_role_changed", func(id int64) error {
		if role == "" {
			return supportlab.Errorf(supportlab.EINVALID, "There is no such role.")
		}
		return s.cfg.Users.SetUserRole(c.UserContext(), id, role)
	})
}

// canonicalRole returns the package-level string for a valid role, "" for
// anything else, so that nothing keeps Fiber's reused request memory.
func canonicalRole(r string) string {
	for _, v := range supportlab.Roles {
		if v == r {
			return v
		}
	}
	return ""
}

func (s *Server) adminDisable(c *fiber.Ctx) error {
	return s.adminChange(c, "admin_disabled", func(id int64) error {
		return s.cfg.Users.SetUserDisabled(c.UserContext(), id, true)
	})
}

func (s *Server) adminEnable(c *fiber.Ctx) error {
	return s.adminChange(c, "admin_enabled", func(id int64) error {
		return s.cfg.Users.SetUserDisabled(c.UserContext(), id, false)
	})
}
