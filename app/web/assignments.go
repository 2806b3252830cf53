package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// Assignments: a team's trainers give it work on the dashboard; members see
// it on the home page, on /me and in /api/v1/me/assignments. What is done,
// late or missing is decided by training.Service.

// assignmentColumn is one assignment as the dashboard lists it and, when
// the team has assignments, one column of the matrix.
type assignmentColumn struct {
	ID                  int64
	Kind, UID           string
	Title, Link         string
	Due                 string // as typed (YYYY-MM-DD), "" for none
	Done, Late, Missing int    // members of the page in each state
	Pending             int
}

// count adds one member in state to the column's totals.
func (col *assignmentColumn) count(state string) {
	switch state {
	case training.AssignmentDone:
		col.Done++
	case training.AssignmentLate:
		col.Late++
	case training.AssignmentOverdue:
		col.Missing++
	default:
		col.Pending++
	}
}

// assignmentCell is one member's state for one assignment in the matrix:
// the state's class and words, and, for a quiz or scenario, their best
// score since joining.
type assignmentCell struct {
	State, Label string
	Has          bool
	Best         int
	Attempts     int
}

func newAssignmentCell(p Page, st training.AssignmentStatus) assignmentCell {
	return assignmentCell{State: st.State, Label: p.T("assignments.matrix." + st.State)}
}

// assignmentTitle names what an assignment is about, with a link to it
// when learners can open it: a quiz or scenario by its title, a module by
// its title in the page's language (or another one).
func (s *Server) assignmentTitle(p Page, kind, uid string) (title, link string) {
	if kind != supportlab.KindModule {
		title, live := s.svc.ItemTitle(kind, uid)
		if live {
			link = "/quiz/" + uid
			if kind == supportlab.KindSandbox {
				link = "/sandbox/" + uid
			}
		}
		return title, link
	}
	for _, lang := range append([]string{p.Lang}, supportlab.Languages...) {
		if m, err := s.svc.Module(lang, uid); err == nil {
			return m.Title, "/learn/" + uid
		}
	}
	return uid, ""
}

// assignmentColumns lists a team's assignments for the dashboard.
func (s *Server) assignmentColumns(p Page, list []*supportlab.Assignment) []assignmentColumn {
	out := make([]assignmentColumn, 0, len(list))
	for _, a := range list {
		title, link := s.assignmentTitle(p, a.Kind, a.UID)
		out = append(out, assignmentColumn{ID: a.ID, Kind: a.Kind, UID: a.UID, Title: title, Link: link, Due: a.Due})
	}
	return out
}

// assignOption is one choice of the assignment form's lists.
type assignOption struct {
	Value, Label, Lang string
}

// assignForm is the assignment form: what was sent, its problems, and the
// quizzes, scenarios and modules a trainer can choose from.
type assignForm struct {
	training.AssignmentRequest
	Errors                      map[string]string
	ErrorList                   []string
	Quizzes, Scenarios, Modules []assignOption
}

// Err returns the problem of a field, or "".
func (f assignForm) Err(field string) string { return f.Errors[field] }

// newAssignForm fills the form's lists: live quizzes and scenarios of every
// language (a team may learn in both), modules in the page's language.
func (s *Server) newAssignForm(p Page, req training.AssignmentRequest, err error) assignForm {
	f := assignForm{AssignmentRequest: req}
	f.Errors, f.ErrorList = p.fieldMessages(err)
	for _, q := range s.svc.Quizzes("") {
		f.Quizzes = append(f.Quizzes, assignOption{Value: q.UID, Label: q.Title, Lang: q.Lang})
	}
	for _, sc := range s.svc.Scenarios("") {
		f.Scenarios = append(f.Scenarios, assignOption{Value: sc.UID, Label: sc.Title, Lang: sc.Lang})
	}
	for _, m := range s.svc.Modules(p.Lang) {
		f.Modules = append(f.Modules, assignOption{Value: m.Slug, Label: m.Title, Lang: m.Lang})
	}
	return f
}

// teamAssign gives the team a quiz, a scenario or a module. A refused form
// comes back on the dashboard with its problems (422).
func (s *Server) teamAssign(c *fiber.Ctx) error {
	id := paramID(c, "id")
	req := training.AssignmentRequest{
		Kind: strings.TrimSpace(bodyValue(c, "kind")),
		UID:  strings.TrimSpace(bodyValue(c, "uid")),
		Due:  strings.TrimSpace(bodyValue(c, "due")),
	}
	_, err := s.svc.Assign(c.UserContext(), currentUser(c), id, req)
	if supportlab.ErrorCode(err) == supportlab.EINVALID {
		return s.renderDashboard(c, fiber.StatusUnprocessableEntity, id, 1, req, err)
	} else if err != nil {
		return err
	}
	s.flash(c, "assignments_saved")
	return seeOther(c, teamURL(id)+"#assignments")
}

// teamUnassign deletes one of the team's assignments.
func (s *Server) teamUnassign(c *fiber.Ctx) error {
	id := paramID(c, "id")
	if err := s.svc.Unassign(c.UserContext(), currentUser(c), id, paramID(c, "aid")); err != nil {
		return err
	}
	s.flash(c, "assignments_deleted")
	return seeOther(c, teamURL(id)+"#assignments")
}

// myAssignmentView is one of the learner's assignments as / and /me show it.
type myAssignmentView struct {
	Team        string
	Kind        string
	Title, Link string
	State       string
	Due         string // the due date as shown, "" for none
	DueISO      string // for <time datetime>
}

// myAssignments lists the signed-in learner's assignments for a page; none
// for a visitor.
func (s *Server) myAssignments(c *fiber.Ctx, p Page) ([]myAssignmentView, error) {
	list, err := s.svc.MyAssignments(c.UserContext(), p.User)
	if err != nil {
		return nil, err
	}
	out := make([]myAssignmentView, 0, len(list))
	for _, st := range list {
		title, link := s.assignmentTitle(p, st.Kind, st.UID)
		v := myAssignmentView{Team: st.TeamName, Kind: st.Kind, Title: title, Link: link, State: st.State, DueISO: st.Due}
		if d, err := time.Parse(supportlab.DueLayout, st.Due); err == nil {
			v.Due = formatDate(d, p.Lang)
		}
		out = append(out, v)
	}
	return out, nil
}

// formatDate writes a day the way a reader of lang expects: "12 March 2026"
// or "12 mars 2026".
func formatDate(d time.Time, lang string) string {
	months := map[string][]string{
		"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	}
	names, ok := months[lang]
	if !ok {
		names = months["en"]
	}
	day := d.Format("2")
	if lang == "fr" && d.Day() == 1 {
		day = "1er"
	}
	return day + "\u00a0" + names[d.Month()-1] + "\u00a0" + d.Format("2006")
}

// apiAssignment is one assignment in /api/v1/me/assignments (SPEC).
type apiAssignment struct {
	Team int64   `json:"team"`
	Kind string  `json:"kind"`
	UID  string  `json:"uid"`
	Due  *string `json:"due"`
	Done bool    `json:"done"`
}

// apiMyAssignments lists the signed-in learner's assignments; [] for none.
func (s *Server) apiMyAssignments(c *fiber.Ctx) error {
	u := currentUser(c)
	if u == nil {
		return supportlab.NewError(supportlab.EUNAUTHORIZED, "error.text.Unauthorized")
	}
	list, err := s.svc.MyAssignments(c.UserContext(), u)
	if err != nil {
		return err
	}
	out := make([]apiAssignment, 0, len(list))
	for _, st := range list {
		a := apiAssignment{Team: st.TeamID, Kind: st.Kind, UID: st.UID, Done: st.Done()}
		if st.Due != "" {
			due := st.Due
			a.Due = &due
		}
		out = append(out, a)
	}
	return c.JSON(out)
}

// Columns is the number of the matrix's columns: assignments, or items.
func (p teamPage) Columns() int {
	if len(p.Assignments) > 0 {
		return len(p.Assignments)
	}
	return len(p.Items)
}

// MinAttempts is the number of first attempts item analysis needs.
func (p teamPage) MinAttempts() int { return supportlab.MinItemAnalysisAttempts }

// assignView is the assign-forms partial's data.
type assignView struct {
	P      Page
	TeamID int64
	F      assignForm
}

// AssignView is what the dashboard hands the assign-forms partial.
func (p teamPage) AssignView() assignView {
	return assignView{P: p.Page, TeamID: p.Team.ID, F: p.Assign}
}

// Options returns the choices of the form for kind.
func (f assignForm) Options(kind string) []assignOption {
	switch kind {
	case supportlab.KindQuiz:
		return f.Quizzes
	case supportlab.KindSandbox:
		return f.Scenarios
	}
	return f.Modules
}

// Kinds lists the kinds of assignment, one form each.
func (f assignForm) Kinds() []string { return supportlab.AssignmentKinds }

// myAssignmentsView is the my-assignments partial's data.
type myAssignmentsView struct {
	P    Page
	List []myAssignmentView
}

// MyAssignmentsOf is what / and /me hand the my-assignments partial.
func (p Page) MyAssignmentsOf(list []myAssignmentView) myAssignmentsView {
	return myAssignmentsView{P: p, List: list}
}
