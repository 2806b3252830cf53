package supportlab

import (
	"context"
	"slices"
	"time"
)

// Kinds of assignment: a quiz and a sandbox scenario are the items attempts
// are made at (KindQuiz, KindSandbox); a module is a lesson module, done
// when its units are read and its knowledge check is passed.
const KindModule = "module"

// AssignmentKinds lists what a trainer can assign, in the order forms offer it.
var AssignmentKinds = []string{KindQuiz, KindSandbox, KindModule}

// ValidAssignmentKind reports whether k is one of AssignmentKinds.
func ValidAssignmentKind(k string) bool { return slices.Contains(AssignmentKinds, k) }

// DueLayout is how a due date is written in forms, the API and the store
// (SPEC: YYYY-MM-DD).
const DueLayout = time.DateOnly

// Assignment is work a trainer gave a team: a quiz, a scenario or a module,
// with an optional due date. A member has done it when they passed it after
// it was assigned (and after they joined the team: the join-date rule of
// the team's scores).
type Assignment struct {
	ID     int64
	TeamID int64
	// TeamName is filled when assignments are listed for a member, who
	// sees those of every team they belong to.
	TeamName string
	Kind     string
	UID      string // quiz or scenario uid, or module slug
	// Due is the day it is due ("" for none), as DueLayout.
	Due       string
	CreatedAt time.Time
	CreatedBy int64
	// JoinedAt is when the member it was listed for joined the team; zero
	// when listed for the team.
	JoinedAt time.Time
}

// DueEnd is the end of the due day (UTC): work passed before it is on
// time. ok is false without a due date.
func (a *Assignment) DueEnd() (end time.Time, ok bool) {
	if a.Due == "" {
		return time.Time{}, false
	}
	d, err := time.Parse(DueLayout, a.Due)
	if err != nil {
		return time.Time{}, false
	}
	return d.AddDate(0, 0, 1), true
}

// Since is the moment from which a member's attempts count towards the
// assignment: when it was assigned, or when the member joined if later.
func (a *Assignment) Since() time.Time {
	if a.JoinedAt.After(a.CreatedAt) {
		return a.JoinedAt
	}
	return a.CreatedAt
}

// PassQuery asks for the first passed attempt at one quiz or scenario made
// at or after Since.
type PassQuery struct {
	Kind, UID string
	Since     time.Time
}

// FirstPass is the answer to one PassQuery for one member: Query is the
// index of the query, At the time of the member's first passed attempt.
type FirstPass struct {
	UserID int64
	Query  int
	At     time.Time
}

// AssignmentService stores assignments and answers the question every
// view of them asks: did the member pass this since then?
type AssignmentService interface {
	// SaveAssignment assigns a.Kind/a.UID to a.TeamID: a new assignment
	// (a.ID and a.CreatedAt are set), or, when the team already has that
	// item assigned, a new due date for it (a gets the stored ID and
	// CreatedAt, so that earlier work still counts).
	SaveAssignment(ctx context.Context, a *Assignment) error
	// DeleteAssignment removes assignment id of team teamID, or gives
	// ENOTFOUND.
	DeleteAssignment(ctx context.Context, teamID, id int64) error
	// TeamAssignments lists a team's assignments, oldest first.
	TeamAssignments(ctx context.Context, teamID int64) ([]*Assignment, error)
	// MemberAssignments lists the assignments of every team userID is a
	// learner member of, with TeamName and JoinedAt, by team then age.
	MemberAssignments(ctx context.Context, userID int64) ([]*Assignment, error)
	// FirstPasses answers each query for each of userIDs who is a learner
	// member of teamID, counting only attempts made at or after both the
	// query's Since and the time the member joined the team. Queries
	// nobody passed give no row.
	FirstPasses(ctx context.Context, teamID int64, userIDs []int64, queries []PassQuery) ([]FirstPass, error)
}
