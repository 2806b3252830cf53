package training

import (
	"context"
	"sort"

	"supportlab/app/supportlab"
)

// MemberRecord is one learner's record as a team's trainer sees it (SPEC
// /teams/<id>/members/<userID>): every attempt, each reviewable, progress
// through the modules, and the team's assignments as they stand for them.
type MemberRecord struct {
	Team        *supportlab.Team
	Learner     *supportlab.User
	Attempts    []*supportlab.Attempt
	Modules     []ModuleProgress
	Assignments []AssignmentStatus
}

// errNoMember is what a user who is not a learner member of the team gives.
var errNoMember = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.member")

// TeamMemberRecord returns the record of learner userID of team teamID, with
// modules in lang. Only the team's trainers and admins see it; to anyone
// else, members of the team included, the page does not exist.
func (s *Service) TeamMemberRecord(ctx context.Context, actor *supportlab.User, teamID, userID int64, lang string) (*MemberRecord, error) {
	team, access, err := s.teamAccess(ctx, actor, teamID)
	if err != nil {
		return nil, err
	}
	if access != TeamTrainerAccess {
		return nil, errTeamNotFound
	}
	role, err := s.cfg.Teams.TeamRole(ctx, team.ID, userID)
	if err != nil {
		return nil, err
	}
	if role != supportlab.TeamRoleMember {
		return nil, errNoMember
	}
	learner, err := s.cfg.Users.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	rec := &MemberRecord{Team: team, Learner: learner}
	if rec.Attempts, err = s.cfg.Attempts.ListAttempts(ctx, userID); err != nil {
		return nil, err
	}
	best, err := s.cfg.Attempts.BestScores(ctx, userID)
	if err != nil {
		return nil, err
	}
	if rec.Modules, err = s.progress(ctx, learner, s.cfg.Curriculum.Modules(lang), best); err != nil {
		return nil, err
	}
	if s.cfg.Assignments != nil {
		list, err := s.cfg.Assignments.TeamAssignments(ctx, team.ID)
		if err != nil {
			return nil, err
		}
		if len(list) > 0 {
			states, err := s.assignmentStates(ctx, team.ID, list, []int64{userID})
			if err != nil {
				return nil, err
			}
			rec.Assignments = states[userID]
		}
	}
	return rec, nil
}

// CatalogueGroup is the quizzes of one lesson module (Module nil: quizzes
// that belong to no module of the language).
type CatalogueGroup struct {
	Module  *supportlab.Module
	Quizzes []CatalogueQuiz
}

// CatalogueQuiz is a quiz of the catalogue with the actor's best score.
type CatalogueQuiz struct {
	Quiz  *supportlab.Quiz
	Best  int
	Tried bool
}

// Catalogue lists every live quiz of lang, shipped or imported, grouped by
// lesson module in the modules' order (quizzes of no module last), each
// group by title, with a signed-in actor's best scores.
func (s *Service) Catalogue(ctx context.Context, actor *supportlab.User, lang string) ([]CatalogueGroup, error) {
	best, err := s.BestScores(ctx, actor)
	if err != nil {
		return nil, err
	}
	modules := s.cfg.Curriculum.Modules(lang)
	groups := make([]CatalogueGroup, len(modules)+1)
	index := map[string]int{}
	for i, m := range modules {
		groups[i].Module = m
		index[m.Slug] = i
	}
	for _, q := range s.Quizzes(lang) {
		i, ok := index[q.Module]
		if !ok {
			i = len(modules)
		}
		b, tried := best[supportlab.BestKey(supportlab.KindQuiz, q.UID)]
		groups[i].Quizzes = append(groups[i].Quizzes, CatalogueQuiz{Quiz: q, Best: b, Tried: tried})
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Quizzes) == 0 {
			continue
		}
		sort.SliceStable(g.Quizzes, func(a, b int) bool { return g.Quizzes[a].Quiz.Title < g.Quizzes[b].Quiz.Title })
		out = append(out, g)
	}
	return out, nil
}
