package training

import (
	"context"
	"strings"

	"supportlab/app/supportlab"
)

// Team access is decided per call from the actor's account role and team
// role as they are now: admins see every team; a team's trainers see its
// dashboard while their account may still train; a learner member sees
// only team-wide figures; anyone else gets "not found", so that team ids
// reveal nothing.

// TeamAccess is what an actor may do with one team.
type TeamAccess int

// Levels of team access, from none to full.
const (
	TeamNoAccess TeamAccess = iota
	TeamMemberAccess
	TeamTrainerAccess
)

var (
	errTeamNotFound = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.team")
	errTeamTrainers = supportlab.NewError(supportlab.EFORBIDDEN, "error.text.team_trainers_only")
)

// teamAccess loads a team and what actor may do with it.
func (s *Service) teamAccess(ctx context.Context, actor *supportlab.User, teamID int64) (*supportlab.Team, TeamAccess, error) {
	if err := requireUser(actor); err != nil {
		return nil, TeamNoAccess, err
	}
	team, err := s.cfg.Teams.FindTeam(ctx, teamID)
	if supportlab.ErrorCode(err) == supportlab.ENOTFOUND {
		return nil, TeamNoAccess, errTeamNotFound
	} else if err != nil {
		return nil, TeamNoAccess, err
	}
	role, err := s.cfg.Teams.TeamRole(ctx, team.ID, actor.ID)
	if err != nil {
		return nil, TeamNoAccess, err
	}
	team.MyRole = role
	switch {
	case actor.IsAdmin():
		return team, TeamTrainerAccess, nil
	case role == supportlab.TeamRoleTrainer && actor.CanTrain():
		return team, TeamTrainerAccess, nil
	case role != "":
		// A member, or a trainer whose account was demoted: what any
		// member of the team sees, nothing more.
		return team, TeamMemberAccess, nil
	}
	return nil, TeamNoAccess, errTeamNotFound
}

// trainedTeam is teamAccess for actions only a team's trainers (and
// admins) may take: outsiders get ENOTFOUND, members EFORBIDDEN.
func (s *Service) trainedTeam(ctx context.Context, actor *supportlab.User, teamID int64) (*supportlab.Team, error) {
	team, access, err := s.teamAccess(ctx, actor, teamID)
	if err != nil {
		return nil, err
	}
	if access != TeamTrainerAccess {
		return nil, errTeamTrainers
	}
	return team, nil
}

// Teams lists what /teams and /api/v1/teams show: the actor's own teams,
// or every team for an admin (with their own role where they have one).
// Join codes are blanked where the actor may not share them.
func (s *Service) Teams(ctx context.Context, actor *supportlab.User) ([]*supportlab.Team, error) {
	if err := requireUser(actor); err != nil {
		return nil, err
	}
	mine, err := s.cfg.Teams.ListUserTeams(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	teams := mine
	if actor.IsAdmin() {
		if teams, err = s.cfg.Teams.ListTeams(ctx); err != nil {
			return nil, err
		}
		roles := map[int64]string{}
		for _, t := range mine {
			roles[t.ID] = t.MyRole
		}
		for _, t := range teams {
			t.MyRole = roles[t.ID]
		}
	}
	for _, t := range teams {
		if !actor.IsAdmin() && !(actor.CanTrain() && t.MyRole == supportlab.TeamRoleTrainer) {
			t.Code = ""
		}
	}
	return teams, nil
}

// CreateTeam makes a team trained by actor, who must be a trainer or admin.
func (s *Service) CreateTeam(ctx context.Context, actor *supportlab.User, name string) (*supportlab.Team, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if p := supportlab.NameProblem(name, supportlab.MaxTeamNameLength); p != "" {
		return nil, supportlab.Invalid([]supportlab.FieldError{{Field: "name", Key: "teams.error.name_" + p, Args: []any{"Max", supportlab.MaxTeamNameLength}}})
	}
	return s.cfg.Teams.CreateTeam(ctx, name, actor.ID)
}

// JoinTeam adds actor to the team whose code this is. joined is false when
// actor already was in it.
func (s *Service) JoinTeam(ctx context.Context, actor *supportlab.User, code string) (*supportlab.Team, bool, error) {
	if err := requireUser(actor); err != nil {
		return nil, false, err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, false, supportlab.Invalid([]supportlab.FieldError{{Field: "code", Key: "teams.error.code_required"}})
	}
	team, joined, err := s.cfg.Teams.JoinTeam(ctx, actor.ID, code)
	if supportlab.ErrorCode(err) == supportlab.EINVALID {
		return nil, false, supportlab.Invalid([]supportlab.FieldError{{Field: "code", Key: "teams.error.code_wrong"}})
	}
	return team, joined, err
}

// RenewTeamCode gives a team a new join code; the old one stops working.
func (s *Service) RenewTeamCode(ctx context.Context, actor *supportlab.User, teamID int64) error {
	team, err := s.trainedTeam(ctx, actor, teamID)
	if err != nil {
		return err
	}
	_, err = s.cfg.Teams.RenewTeamCode(ctx, team.ID)
	return err
}

// RemoveTeamMember takes a learner out of a team; their results stay.
func (s *Service) RemoveTeamMember(ctx context.Context, actor *supportlab.User, teamID, userID int64) error {
	team, err := s.trainedTeam(ctx, actor, teamID)
	if err != nil {
		return err
	}
	return s.cfg.Teams.RemoveTeamMember(ctx, team.ID, userID)
}

// TeamScores returns one row per member and attempted item, for the CSV
// export and the scores API.
func (s *Service) TeamScores(ctx context.Context, actor *supportlab.User, teamID int64) (*supportlab.Team, []supportlab.ItemScore, error) {
	team, err := s.trainedTeam(ctx, actor, teamID)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.cfg.Teams.TeamScores(ctx, team.ID)
	return team, rows, err
}

// Dashboard is a team's dashboard as actor may see it: trainers and admins
// get every figure, learner members the team-wide summary only.
type Dashboard struct {
	Team    *supportlab.Team
	Trainer bool
	Stats   *supportlab.TeamStats
	// Assignments are the team's assignments (the matrix's columns when
	// there are any), Status each member of the page's state for each of
	// them, in the same order. Trainers only.
	Assignments []*supportlab.Assignment
	Status      map[int64][]AssignmentStatus
	// Analyses is the item analysis of each quiz the team took, for one
	// version of each. Trainers only.
	Analyses []ItemAnalysis
}

// DashboardQuery is what part of a dashboard to compute: the members in
// [Offset, Offset+Limit) and, per quiz uid, the version whose item
// analysis to show (the newest with first attempts when absent).
type DashboardQuery struct {
	Offset, Limit int
	Versions      map[string]int
}

// TeamDashboard computes a team's dashboard.
func (s *Service) TeamDashboard(ctx context.Context, actor *supportlab.User, teamID int64, q DashboardQuery) (*Dashboard, error) {
	team, access, err := s.teamAccess(ctx, actor, teamID)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{Team: team, Trainer: access == TeamTrainerAccess}
	sq := supportlab.StatsQuery{Offset: q.Offset, Limit: q.Limit}
	if !d.Trainer {
		sq = supportlab.StatsQuery{SummaryOnly: true} // members see no one's row
		team.Code = ""
	}
	if d.Stats, err = s.cfg.Teams.TeamStats(ctx, team.ID, sq); err != nil {
		return nil, err
	}
	if !d.Trainer {
		return d, nil
	}
	if s.cfg.Assignments != nil {
		if d.Assignments, err = s.cfg.Assignments.TeamAssignments(ctx, team.ID); err != nil {
			return nil, err
		}
		if len(d.Assignments) > 0 && len(d.Stats.Members) > 0 {
			users := make([]int64, len(d.Stats.Members))
			for i, m := range d.Stats.Members {
				users[i] = m.UserID
			}
			if d.Status, err = s.assignmentStates(ctx, team.ID, d.Assignments, users); err != nil {
				return nil, err
			}
		}
	}
	if d.Analyses, err = s.itemAnalyses(ctx, d.Stats.Questions, q.Versions); err != nil {
		return nil, err
	}
	return d, nil
}
