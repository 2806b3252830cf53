package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"supportlab/app/supportlab"
)

// TestReviewNavigationGridAndChoices checks the result page: a grid that
// links to every question with its state in text, each question's anchor,
// every choice once, and the module in the breadcrumb.
func TestReviewNavigationGridAndChoices(t *testing.T) {
	ts := newTestServer(t)
	q := ts.quiz(checkUID)
	ids := allIDs(q)
	// Right on the first question, wrong on the second, nothing after.
	answers := func(id string, qq *supportlab.Question) []int {
		switch indexOf(ids, id) {
		case 0:
			return rightChoices(qq)
		case 1:
			return firstWrong(qq)
		}
		return nil
	}
	res := ts.newClient().submit("/quiz/"+checkUID, "/quiz/"+checkUID, answerForm(q, ids, answers))
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	body := mainOf(res.Body)
	module := ts.module("en")
	mustContain(t, "result page", body,
		`<a href="/learn/`+moduleSlug+`">`+module.Title+`</a>`,
		`<nav class="qnav"`,
		`href="#q-1"><span class="qnav-n" aria-hidden="true">1</span><span class="qnav-mark" aria-hidden="true">✓</span><span class="visually-hidden">Question 1: Right</span>`,
		`<span class="visually-hidden">Question 2: Wrong</span>`,
		`<span class="visually-hidden">Question 3: Not answered</span>`,
	)
	for n := range ids {
		id := `id="q-` + strconv.Itoa(n+1) + `"`
		if strings.Count(body, id) != 1 {
			t.Errorf("the page has %d %s, want 1", strings.Count(body, id), id)
		}
	}
	// A right question's choices are folded, a wrong one's open.
	items := strings.Split(body, `<li class="result `)[1:]
	if !strings.Contains(items[0], `<details class="result-details">`) || !strings.Contains(items[1], `<details class="result-details" open>`) {
		t.Error("right questions should be folded and wrong ones open")
	}
	// Every choice once: its text appears once in its question.
	for n, qq := range q.Questions[:3] {
		for _, ch := range qq.Choices {
			if c := strings.Count(items[n], string(ch.ContentHTML)); c != 1 {
				t.Errorf("question %d shows a choice %d times, want once", n+1, c)
			}
		}
	}
}

// TestQuizSaysSelectAllOnce: a multiple-answer question whose text ends
// with "Select all that apply." says it once, under the text.
func TestQuizSaysSelectAllOnce(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct{ uid, lang, hint string }{
		{"before-you-file-check-en", "en", "Select all that apply."},
		{"before-you-file-check-fr", "fr", "Sélectionnez toutes les réponses qui s&#39;appliquent."},
	} {
		q := ts.quiz(tc.uid)
		res := ts.newClient().get("/quiz/" + tc.uid + "?lang=" + tc.lang)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: status %d", tc.uid, res.Status)
		}
		multiple := 0
		for _, qq := range q.Questions {
			if qq.Multiple() {
				multiple++
			}
		}
		if multiple == 0 {
			t.Fatalf("%s has no multiple-answer question", tc.uid)
		}
		if got := strings.Count(res.Body, tc.hint); got != multiple {
			t.Errorf("%s: the hint shows %d times for %d multiple-answer questions", tc.uid, got, multiple)
		}
		if got := strings.Count(res.Body, `<span class="q-hint">`); got != multiple {
			t.Errorf("%s: %d hints in the legends, want %d", tc.uid, got, multiple)
		}
	}
}

// TestSandboxListFiltersAndRecord checks the GET filters of the scenario
// list and, signed in, how many scenarios were passed.
func TestSandboxListFiltersAndRecord(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	all := ts.Bank.Scenarios("en")
	count := func(body string) int { return strings.Count(body, `<li class="card`) }
	if res := c.get("/sandbox?lang=en"); count(res.Body) != len(all) {
		t.Fatalf("unfiltered list shows %d of %d", count(res.Body), len(all))
	}
	byProduct, bySeverity := 0, 0
	for _, sc := range all {
		if sc.Area == "exchange-online" {
			byProduct++
		}
		if sc.Expect.Action == supportlab.ActionHandleInHouse || sc.Expect.Severity == "A" {
			bySeverity++
		}
	}
	res := c.get("/sandbox?product=exchange-online")
	if count(res.Body) != byProduct || !strings.Contains(res.Body, `<option value="exchange-online" selected>`) {
		t.Errorf("product filter: %d shown, want %d (option kept: %v)", count(res.Body), byProduct, strings.Contains(res.Body, `value="exchange-online" selected`))
	}
	res = c.get("/sandbox?severity=A")
	if count(res.Body) != bySeverity {
		t.Errorf("severity filter: %d shown, want %d (severity A and every in-house one)", count(res.Body), bySeverity)
	}
	if res := c.get("/sandbox?product=nonsense&severity=Z"); count(res.Body) != len(all) {
		t.Errorf("unknown filters should be ignored: %d shown", count(res.Body))
	}
	c.signup("lea@example.com", "Léa", testPassword)
	if res := c.submit("/sandbox/"+requestScenario, "/sandbox/"+requestScenario, perfectAnswer(t, ts, requestScenario)); res.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.Status)
	}
	res = c.get("/sandbox")
	mustContain(t, "sandbox list", res.Body, `<strong>1</strong> of `+strconv.Itoa(len(all))+` scenarios passed`, `<progress max="`+strconv.Itoa(len(all))+`" value="1"`)
}

// TestSandboxDecisionIsOneControl: the scenario page asks the decision once
// (the action radios, beside the situation, tied to the request form), and
// New service request opens with "open a request" chosen.
func TestSandboxDecisionIsOneControl(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	res := c.get("/sandbox/" + requestScenario + "?lang=en")
	for _, a := range supportlab.Actions {
		if n := strings.Count(res.Body, `name="action" value="`+a+`"`); n != 1 {
			t.Errorf("%d controls send action %s, want 1", n, a)
		}
	}
	mustContain(t, "scenario page", res.Body, `value="handle-in-house" form="sr-form"`, `<button type="submit" form="sr-form"`, `id="sr-form"`)
	if strings.Contains(res.Body, `value="open-request" checked`) {
		t.Error("a decision is checked before the learner made one")
	}
	res = c.get("/sandbox/" + requestScenario + "?view=new-request")
	mustContain(t, "new request", res.Body, `value="open-request" checked form="sr-form"`, `class="ac-close"`)
	// The decision sent from beside the situation is scored.
	res = c.submit("/sandbox/"+inHouseScenario, "/sandbox/"+inHouseScenario, url.Values{"action": {supportlab.ActionHandleInHouse}})
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "100/100") {
		t.Fatalf("in-house decision: status %d", res.Status)
	}
	// The result's score is a stacked bar of its parts, numbers in text.
	res = c.submit("/sandbox/"+requestScenario, "/sandbox/"+requestScenario, url.Values{"action": {"open-request"}, "product": {"microsoft-teams"}, "severity": {"B"}})
	mustContain(t, "result", res.Body,
		`<rect class="bar-part bar-action" x="0" y="0" width="20" height="10"/>`,
		`<rect class="bar-max" x="20" y="0" width="50"`, `<rect class="bar-part bar-severity" x="20" y="0" width="10" height="10"/>`,
		`<rect class="bar-max" x="90" y="0" width="10"`,
		`<span class="part-name">Severity</span> <span class="part-points">10/50</span>`)
	if strings.Contains(res.Body, `bar-part bar-product`) {
		t.Error("a product part with no points is drawn")
	}
}

// TestAdminUsersSearchAndMenu: the accounts page searches by name or
// email, puts each account's changes in a row menu and offers no Disable on
// the admin's own row.
func TestAdminUsersSearchAndMenu(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.newClient()
	admin.signup("ada@example.com", "Ada Admin", testPassword)
	for _, u := range []struct{ email, name string }{{"tess@example.com", "Tess Trainer"}, {"mia@example.org", "Mia Member"}} {
		if _, err := ts.DB.CreateUser(context.Background(), supportlab.NewUser{Email: u.email, Name: u.name, Password: testPassword, Role: supportlab.RoleLearner}); err != nil {
			t.Fatal(err)
		}
	}
	res := admin.get("/admin/users")
	if n := strings.Count(res.Body, `<details class="row-menu">`); n != 3 {
		t.Errorf("%d row menus, want 3", n)
	}
	self := ts.userByEmail("ada@example.com")
	if strings.Contains(res.Body, `/admin/users/`+strconv.FormatInt(self.ID, 10)+`/disable`) {
		t.Error("the admin's own row offers Disable")
	}
	mustContain(t, "accounts", res.Body, "You cannot disable your own account.", `/admin/users/`+strconv.FormatInt(ts.userByEmail("mia@example.org").ID, 10)+`/disable`)
	res = admin.get("/admin/users?q=EXAMPLE.ORG")
	mustContain(t, "search", res.Body, "Mia Member", `value="EXAMPLE.ORG"`, "1 of 3 accounts match")
	mustNotContain(t, "search", mainOf(res.Body), "Tess Trainer")
	res = admin.get("/admin/users?q=nobody")
	mustContain(t, "empty search", res.Body, "No account matches this search.")
}

// TestErrorPagesKeepTheSignedInHeader: a page that does not exist, a
// refused form and a page the role may not see keep the visitor's menu.
func TestErrorPagesKeepTheSignedInHeader(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.signup("ada@example.com", "Ada Admin", testPassword)
	learner := ts.newClient()
	learner.signup("lea@example.com", "Léa Learner", testPassword)
	header := regexp.MustCompile(`(?s)<header class="site-header">.*?</header>`)
	for _, tc := range []struct {
		who    *client
		name   string
		method string
		path   string
		status int
	}{
		{c, "Ada Admin", http.MethodGet, "/no-such-page", http.StatusNotFound},
		{c, "Ada Admin", http.MethodGet, "/me/attempts/999", http.StatusNotFound},
		{learner, "Léa Learner", http.MethodGet, "/admin/users", http.StatusForbidden},
		{learner, "Léa Learner", http.MethodPost, "/quiz/" + checkUID, http.StatusForbidden},
		{learner, "Léa Learner", http.MethodPut, "/sandbox", http.StatusMethodNotAllowed},
	} {
		req, _ := http.NewRequest(tc.method, ts.URL+tc.path, nil)
		res := tc.who.do(req)
		if res.Status != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, res.Status, tc.status)
			continue
		}
		h := header.FindString(res.Body)
		for _, want := range []string{tc.name, `action="/logout"`, `href="/teams"`} {
			if !strings.Contains(h, want) {
				t.Errorf("%s %s (%d): the header lacks %q", tc.method, tc.path, tc.status, want)
			}
		}
	}
}
