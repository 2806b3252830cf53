package supportlab

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"time"
)

// Roles inside a team. They are separate from account roles: a trainer
// account trains only the teams it created (admins see every team), and
// anyone who joins with the code is a member whose results the team follows.
const (
	TeamRoleTrainer = "trainer"
	TeamRoleMember  = "member"
)

// MaxTeamNameLength bounds team names: they show in lists and headings.
const MaxTeamNameLength = 100

// Team is a group of learners followed by its trainers. Code is the join
// code learners type on /teams; it is only shown to the team's trainers
// and to admins.
type Team struct {
	ID        int64
	Name      string
	Code      string
	CreatedAt time.Time
	// Members counts learner members (not trainers).
	Members int
	// MyRole is the role of the user the team was listed for: trainer,
	// member, or "" when an admin sees a team outside their own.
	MyRole string
}

// ItemScore is one learner's results on one quiz or scenario: the row of
// scores.csv and /api/v1/teams/<id>/scores.
type ItemScore struct {
	UserID   int64
	Learner  string
	Email    string
	Kind     string
	UID      string
	Best     int
	Attempts int
	Passed   bool
	Last     time.Time
}

// LearnerScores puts each learner's item rows (from items, keyed by user
// id, each in the order wanted) after the learner's name and email, in the
// learners' order: how both stores assemble the scores export from a sorted
// list of learners and their unsorted items, so that only the learners are
// sorted. A learner without items has no row.
func LearnerScores(learners []ItemScore, items map[int64][]ItemScore) []ItemScore {
	n := 0
	for _, list := range items {
		n += len(list)
	}
	out := make([]ItemScore, 0, n)
	for _, l := range learners {
		for _, s := range items[l.UserID] {
			s.Learner, s.Email = l.Learner, l.Email
			out = append(out, s)
		}
	}
	return out
}

// StatsQuery selects the page of members the dashboard's matrix shows
// (none when Limit is 0); the team-wide aggregates always cover every member.
type StatsQuery struct {
	Offset int
	Limit  int
	// SummaryOnly asks for the member count and the daily figures only:
	// what a learner member may see of their team.
	SummaryOnly bool
}

// TeamStats is everything the trainer dashboard shows, aggregated by the
// store: nothing in it grows with the number of attempts.
type TeamStats struct {
	// MemberCount is the number of learner members, Attempts their attempts.
	MemberCount int
	Attempts    int
	// Items are the quizzes and scenarios the team has attempted: the
	// columns of the matrix.
	Items []TeamItem
	// Members is the requested page of learners with their results; each
	// member's Scores holds only the items they attempted.
	Members []MemberScores
	// Days is the team's attempts per UTC day, oldest first.
	Days []DayScore
	// Questions are the sums behind item analysis, per quiz, version and
	// question, over each member's first attempt at each quiz; ordered by
	// quiz, version and question id.
	Questions []QuestionStat
	// Confusion counts sandbox attempts by expected and chosen triage.
	Confusion ConfusionMatrix
}

// StatsStep is one query of a store's TeamStats, filling its own fields of
// the result and no other.
type StatsStep func(*TeamStats) error

// GatherTeamStats runs a store's steps at once (the summary steps always,
// the others unless q.SummaryOnly) into one TeamStats: they are independent
// reads, so the dashboard waits for the slowest, not for their sum. Each
// sees the database as of its own start; an attempt stored meanwhile may
// show in one figure and not yet in another.
func GatherTeamStats(q StatsQuery, summary, full []StatsStep) (*TeamStats, error) {
	steps := summary
	if !q.SummaryOnly {
		steps = append(slices.Clip(steps), full...)
	}
	st := &TeamStats{}
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = step(st)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return st, nil
}

// AddMemberScore adds one row of the members' page, as the stores read it
// in the page's order: a member (once per row of theirs) and one of their
// items, or nil for a member without attempts.
func (st *TeamStats) AddMemberScore(userID int64, name, email string, item *ItemScore) {
	if len(st.Members) == 0 || st.Members[len(st.Members)-1].UserID != userID {
		st.Members = append(st.Members, MemberScores{UserID: userID, Name: name, Email: email, Scores: map[string]ItemScore{}})
	}
	if item == nil {
		return
	}
	item.UserID, item.Learner, item.Email = userID, name, email
	st.Members[len(st.Members)-1].Scores[BestKey(item.Kind, item.UID)] = *item
}

// AddDay adds the team's attempts of one day, in order.
func (st *TeamStats) AddDay(d DayScore) {
	st.Attempts += d.Attempts
	st.Days = append(st.Days, d)
}

// TeamItem is one quiz or scenario the team has attempted.
type TeamItem struct {
	Kind string
	UID  string
	// Learners is how many members tried it, Passed how many passed it,
	// MeanBest the mean of their best scores.
	Learners int
	Passed   int
	MeanBest float64
}

// MemberScores is one learner's row of the matrix.
type MemberScores struct {
	UserID int64
	Name   string
	Email  string
	Scores map[string]ItemScore // by BestKey(kind, uid)
}

// DayScore is the team's attempts of one UTC day.
type DayScore struct {
	Day      time.Time
	Attempts int
	SumScore int
}

// QuestionStat holds, for one question of one quiz, the sums from which
// facility and discrimination follow: X is the question's mark (0 or 1) and
// Y the rest of the attempt (the attempt's total minus X), over N first
// attempts. Keeping sums rather than marks lets SQL do the work. A
// learner's first attempt at a quiz counts for the version it answered, so
// that a question edited between versions is judged on its own wording.
type QuestionStat struct {
	QuizUID    string
	Version    int
	QuestionID string
	N          int
	SumX       float64
	SumY       float64
	SumXY      float64
	SumX2      float64
	SumY2      float64
}

// Facility is Moodle's facility index: the mean mark on the question as a
// percentage of its maximum (1). ok is false with no attempt.
func (q QuestionStat) Facility() (pct float64, ok bool) {
	if q.N == 0 {
		return 0, false
	}
	return 100 * q.SumX / float64(q.N), true
}

// Discrimination is Moodle's discrimination index: the Pearson correlation,
// from −1 to 1, between the mark on this question and the mark on the rest
// of the attempt. It is undefined (ok false) when either varies not at
// all, for example when everybody got the question right.
func (q QuestionStat) Discrimination() (r float64, ok bool) {
	n := float64(q.N)
	if q.N < 2 {
		return 0, false
	}
	cov := n*q.SumXY - q.SumX*q.SumY
	vx := n*q.SumX2 - q.SumX*q.SumX
	vy := n*q.SumY2 - q.SumY*q.SumY
	if vx <= 0 || vy <= 0 {
		return 0, false
	}
	return cov / math.Sqrt(vx*vy), true
}

// TriageClasses are the rows and columns of the confusion matrix, most
// severe first, then "handle in-house".
var TriageClasses = []string{"A", "B", "C", "in-house"}

// TriageIndex is the position of class in TriageClasses, or -1.
func TriageIndex(class string) int { return slices.Index(TriageClasses, class) }

// ConfusionMatrix counts sandbox attempts: Counts[expected][chosen], both
// indexed by TriageClasses.
type ConfusionMatrix struct {
	Counts [4][4]int
}

// Total is the number of attempts counted.
func (m ConfusionMatrix) Total() int {
	t := 0
	for _, row := range m.Counts {
		for _, n := range row {
			t += n
		}
	}
	return t
}

// TeamService stores teams and computes their statistics.
type TeamService interface {
	// CreateTeam makes a team with a fresh join code; trainerID becomes its
	// trainer.
	CreateTeam(ctx context.Context, name string, trainerID int64) (*Team, error)
	// FindTeam returns a team, or ENOTFOUND.
	FindTeam(ctx context.Context, id int64) (*Team, error)
	// ListTeams returns every team, for admins.
	ListTeams(ctx context.Context) ([]*Team, error)
	// ListUserTeams returns the teams a user belongs to or trains, with
	// MyRole set.
	ListUserTeams(ctx context.Context, userID int64) ([]*Team, error)
	// TeamRole returns the user's role in the team, "" if none.
	TeamRole(ctx context.Context, teamID, userID int64) (string, error)
	// TrainsMember reports whether trainerID is a trainer of a team that
	// memberID belongs to as a member: who may review another's attempts.
	TrainsMember(ctx context.Context, trainerID, memberID int64) (bool, error)
	// JoinTeam adds the user to the team whose code this is. joined is
	// false when the user already was in it. A wrong code is EINVALID.
	JoinTeam(ctx context.Context, userID int64, code string) (team *Team, joined bool, err error)
	// RenewTeamCode gives the team a new join code; the old one stops working.
	RenewTeamCode(ctx context.Context, teamID int64) (string, error)
	// RemoveTeamMember takes a learner out of a team; their results stay.
	RemoveTeamMember(ctx context.Context, teamID, userID int64) error
	// TeamScores returns one row per member and attempted item, ordered by
	// learner then item.
	TeamScores(ctx context.Context, teamID int64) ([]ItemScore, error)
	// TeamStats computes the dashboard.
	TeamStats(ctx context.Context, teamID int64, q StatsQuery) (*TeamStats, error)
}
