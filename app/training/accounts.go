package training

import (
	"context"

	"supportlab/app/supportlab"
)

// SignUp creates a learner account (an admin for the first account of the
// database). Every problem of the form comes back at once, one per field.
func (s *Service) SignUp(ctx context.Context, nu supportlab.NewUser) (*supportlab.User, error) {
	nu.Role = ""
	if err := nu.Validate(); err != nil {
		return nil, err
	}
	return s.cfg.Users.CreateUser(ctx, nu)
}

// CreateAccount creates an account with the role given, for the `user
// create` command run by whoever runs the server.
func (s *Service) CreateAccount(ctx context.Context, nu supportlab.NewUser) (*supportlab.User, error) {
	if nu.Role == "" {
		nu.Role = supportlab.RoleLearner
	}
	if err := nu.Validate(); err != nil {
		return nil, err
	}
	return s.cfg.Users.CreateUser(ctx, nu)
}

// SignIn returns the account for email and password, or EUNAUTHORIZED
// (supportlab.ErrAccountDisabled for a disabled account).
func (s *Service) SignIn(ctx context.Context, email, password string) (*supportlab.User, error) {
	return s.cfg.Users.Authenticate(ctx, email, password)
}

// SessionUser returns the active account behind a session, as it is now:
// its role decides every access check of the request. A deleted or
// disabled account is ENOTFOUND, which ends the session.
func (s *Service) SessionUser(ctx context.Context, id int64) (*supportlab.User, error) {
	u, err := s.cfg.Users.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.account")
	}
	return u, nil
}

// Users lists every account, for admins.
func (s *Service) Users(ctx context.Context, actor *supportlab.User) ([]*supportlab.User, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	return s.cfg.Users.ListUsers(ctx)
}

// SetRole changes an account's role. The store refuses (ECONFLICT) a
// change that would leave no active admin. It reports whether actor is
// still an admin afterwards.
func (s *Service) SetRole(ctx context.Context, actor *supportlab.User, id int64, role string) (stillAdmin bool, err error) {
	if err := requireAdmin(actor); err != nil {
		return false, err
	}
	if !supportlab.ValidRole(role) {
		return true, supportlab.NewError(supportlab.EINVALID, "admin.error.role")
	}
	if err := s.cfg.Users.SetUserRole(ctx, id, role); err != nil {
		return true, err
	}
	return id != actor.ID || role == supportlab.RoleAdmin, nil
}

// SetDisabled disables or enables an account. A disabled account cannot
// sign in and its sessions end at their next request; its results stay.
func (s *Service) SetDisabled(ctx context.Context, actor *supportlab.User, id int64, disabled bool) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return s.cfg.Users.SetUserDisabled(ctx, id, disabled)
}
