package training

import (
	"context"
	"strings"
	"time"

	"supportlab/app/supportlab"
)

// Assignments (SPEC): a team's trainers give it a quiz, a scenario or a
// module, with an optional due date. A member has done an assignment when
// they passed that quiz or scenario after it was assigned and after they
// joined the team; a module is done when every unit of it is read and its
// knowledge check is passed in that window (in either language).

// States of an assignment for one member.
const (
	AssignmentDone    = "done"    // passed, on time or without a due date
	AssignmentLate    = "late"    // passed after the due date
	AssignmentOverdue = "overdue" // not passed, and the due date is past
	AssignmentPending = "pending" // not passed yet, not overdue
)

// errNoAssignments is what assignments answer on a store without them.
var errNoAssignments = supportlab.NewError(supportlab.EUNAVAILABLE, "assignments.error.unavailable")

// AssignmentStatus is one assignment as it stands for one member.
type AssignmentStatus struct {
	*supportlab.Assignment
	State string
	// DoneAt is when the member passed it (zero when not done, or for a
	// module without a knowledge check, where reading is what counts).
	DoneAt time.Time
}

// Done reports whether the member has done the assignment, late or not.
func (st AssignmentStatus) Done() bool {
	return st.State == AssignmentDone || st.State == AssignmentLate
}

// AssignmentRequest is the assignment form as sent.
type AssignmentRequest struct {
	Kind, UID, Due string
}

// Assign gives a team a quiz, a scenario or a module; assigning an item
// the team already has changes its due date. The team's trainers and
// admins only.
func (s *Service) Assign(ctx context.Context, actor *supportlab.User, teamID int64, req AssignmentRequest) (*supportlab.Assignment, error) {
	team, err := s.trainedTeam(ctx, actor, teamID)
	if err != nil {
		return nil, err
	}
	if s.cfg.Assignments == nil {
		return nil, errNoAssignments
	}
	a := &supportlab.Assignment{TeamID: team.ID, Kind: strings.TrimSpace(req.Kind), UID: strings.TrimSpace(req.UID),
		Due: strings.TrimSpace(req.Due), CreatedBy: actor.ID}
	var fs []supportlab.FieldError
	add := func(field, key string, args ...any) {
		fs = append(fs, supportlab.FieldError{Field: field, Key: key, Args: args})
	}
	switch {
	case !supportlab.ValidAssignmentKind(a.Kind):
		add("kind", "assignments.error.kind")
	case a.UID == "":
		add("uid", "assignments.error.uid_required")
	case !s.assignable(a.Kind, a.UID):
		add("uid", "assignments.error.uid_unknown", "UID", shortValue(a.UID))
	}
	if a.Due != "" {
		if d, err := time.Parse(supportlab.DueLayout, a.Due); err != nil || d.Format(supportlab.DueLayout) != a.Due {
			add("due", "assignments.error.due", "Value", shortValue(a.Due))
		}
	}
	if err := supportlab.Invalid(fs); err != nil {
		return nil, err
	}
	if err := s.cfg.Assignments.SaveAssignment(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// assignable reports whether kind/uid names something learners can do: a
// live quiz or scenario, or a module in some language.
func (s *Service) assignable(kind, uid string) bool {
	switch kind {
	case supportlab.KindQuiz:
		_, err := s.Quiz(uid)
		return err == nil
	case supportlab.KindSandbox:
		_, err := s.Scenario(uid)
		return err == nil
	case supportlab.KindModule:
		for _, lang := range supportlab.Languages {
			if _, err := s.cfg.Curriculum.Module(lang, uid); err == nil {
				return true
			}
		}
	}
	return false
}

// Unassign deletes assignment id of a team; the work learners did stays.
func (s *Service) Unassign(ctx context.Context, actor *supportlab.User, teamID, id int64) error {
	team, err := s.trainedTeam(ctx, actor, teamID)
	if err != nil {
		return err
	}
	if s.cfg.Assignments == nil {
		return errNoAssignments
	}
	return s.cfg.Assignments.DeleteAssignment(ctx, team.ID, id)
}

// MyAssignments returns the assignments of every team the actor is a
// learner member of, each with its state for them; none for an anonymous
// visitor or on a store without assignments.
func (s *Service) MyAssignments(ctx context.Context, actor *supportlab.User) ([]AssignmentStatus, error) {
	if actor == nil || s.cfg.Assignments == nil {
		return nil, nil
	}
	list, err := s.cfg.Assignments.MemberAssignments(ctx, actor.ID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	byTeam := map[int64][]*supportlab.Assignment{}
	var teams []int64
	for _, a := range list {
		if byTeam[a.TeamID] == nil {
			teams = append(teams, a.TeamID)
		}
		byTeam[a.TeamID] = append(byTeam[a.TeamID], a)
	}
	var out []AssignmentStatus
	for _, teamID := range teams {
		states, err := s.assignmentStates(ctx, teamID, byTeam[teamID], []int64{actor.ID})
		if err != nil {
			return nil, err
		}
		out = append(out, states[actor.ID]...)
	}
	return out, nil
}

// assignmentStates works out the state of each of a team's assignments for
// each member of users, in the order of list.
func (s *Service) assignmentStates(ctx context.Context, teamID int64, list []*supportlab.Assignment, users []int64) (map[int64][]AssignmentStatus, error) {
	// One query per quiz or scenario, and per knowledge check of a module.
	var queries []supportlab.PassQuery
	type need struct {
		queries []int               // for a module: its checks, one per language
		units   []map[string]string // for a module: its unit slugs per language (as a set)
	}
	needs := make([]need, len(list))
	modules := false
	for i, a := range list {
		switch a.Kind {
		case supportlab.KindModule:
			modules = true
			for _, lang := range supportlab.Languages {
				m, err := s.cfg.Curriculum.Module(lang, a.UID)
				if err != nil {
					continue
				}
				units := map[string]string{}
				check := -1
				for _, u := range m.Units {
					units[u.Slug] = u.Quiz
					if u.Quiz != "" && check < 0 {
						check = len(queries)
						queries = append(queries, supportlab.PassQuery{Kind: supportlab.KindQuiz, UID: u.Quiz, Since: a.CreatedAt})
					}
				}
				needs[i].queries = append(needs[i].queries, check)
				needs[i].units = append(needs[i].units, units)
			}
		default:
			needs[i].queries = []int{len(queries)}
			queries = append(queries, supportlab.PassQuery{Kind: a.Kind, UID: a.UID, Since: a.CreatedAt})
		}
	}
	passes, err := s.cfg.Assignments.FirstPasses(ctx, teamID, users, queries)
	if err != nil {
		return nil, err
	}
	first := map[int64]map[int]time.Time{}
	for _, p := range passes {
		if first[p.UserID] == nil {
			first[p.UserID] = map[int]time.Time{}
		}
		first[p.UserID][p.Query] = p.At
	}
	now := s.cfg.Now()
	out := make(map[int64][]AssignmentStatus, len(users))
	for _, user := range users {
		var read map[string]map[string]bool
		if modules {
			if read, err = s.cfg.Progress.UnitsRead(ctx, user); err != nil {
				return nil, err
			}
		}
		for i, a := range list {
			var doneAt time.Time
			done := false
			switch a.Kind {
			case supportlab.KindModule:
				// Done in a language whose units are all read and whose
				// check, if it has one, is passed.
				for k, units := range needs[i].units {
					all := len(units) > 0
					for slug := range units {
						all = all && read[a.UID][slug]
					}
					if !all {
						continue
					}
					if q := needs[i].queries[k]; q < 0 {
						done = true
					} else if at, ok := first[user][q]; ok {
						if !done || at.Before(doneAt) {
							doneAt = at
						}
						done = true
					}
				}
			default:
				doneAt, done = first[user][needs[i].queries[0]]
			}
			out[user] = append(out[user], AssignmentStatus{Assignment: a, State: stateOf(a, done, doneAt, now), DoneAt: doneAt})
		}
	}
	return out, nil
}

// stateOf is the state of an assignment passed at doneAt (if done), now.
func stateOf(a *supportlab.Assignment, done bool, doneAt, now time.Time) string {
	end, due := a.DueEnd()
	switch {
	case done && due && !doneAt.IsZero() && !doneAt.Before(end):
		return AssignmentLate
	case done:
		return AssignmentDone
	case due && !now.Before(end):
		return AssignmentOverdue
	}
	return AssignmentPending
}
