package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"supportlab/app/supportlab"
)

// TestBrowserTrainerPagesAtTwoWidths visits the team pages (list,
// dashboard with a row menu open, a member's record), /me, the home page,
// the quiz catalogue and the authoring pages (imports, versions, editor),
// signed in as a team's learner, its trainer and an admin, in English and
// French, with a team of 25 learners whose attempts span several weeks.
// It reuses the walker of TestBrowserPagesAtTwoWidths: at 1280 and 390 px,
// a screenshot, no sideways scroll on the phone, one header row, and no
// serious or critical axe-core violation. Screenshots go to
// $SUPPORTLAB_SCREENSHOTS when set, else to a temporary folder (logged).
func TestBrowserTrainerPagesAtTwoWidths(t *testing.T) {
	if testing.Short() {
		t.Skip("browser walk-through of the trainers' pages: not in -short")
	}
	chrome, axeSrc, dir := pageWalkSetup(t)

	w := newTeamWorld(t)
	// Twenty-four more learners, so that item analysis judges questions
	// (20 first attempts) and the trend has full and thin weeks.
	qs := []string{"severity-services-down", "severity-eac-setting", "severity-password-howto", "severity-ceo-contact",
		"who-assigns-severity", "who-can-submit", "submit-request-steps", "lucerne-admin-role"}
	start := time.Now().UTC().Truncate(24 * time.Hour).Add(24*time.Hour + 9*time.Hour)
	for i := 0; i < 24; i++ {
		key := "l" + strconv.Itoa(i)
		c := w.addAccount(key, "Learner "+strconv.Itoa(i)+" Longer-Surname", supportlab.RoleLearner)
		if res := c.submit("/teams", "/teams/join", url.Values{"code": {w.code()}}); res.Status != http.StatusSeeOther {
			t.Fatalf("join: %d", res.Status)
		}
		week := time.Duration(i%4) * 7 * 24 * time.Hour
		w.addQuiz(w.ids[key], start.Add(week), qs[:1+i%len(qs)]...)
		w.addSandbox(w.ids[key], start.Add(week+time.Hour), 40+(i*7)%60, []string{"A", "B", "C"}[i%3])
	}
	// A thin week: one attempt, off the line.
	w.addQuiz(w.ids["l0"], start.Add(6*7*24*time.Hour), qs...)
	// The member's own attempts, through the forms, for /me.
	member := w.clients["member"]
	member.answerFirst("support-check-en")
	member.answerFirst("support-check-en")

	ctx := newLongBrowser(t, chrome, 10*time.Minute)
	host, _ := url.Parse(w.ts.URL)
	pw := &pageWalker{t: t, ctx: ctx, base: w.ts.URL, dir: dir, axe: axeSrc}
	memberPath := w.teamPath("/members/" + strconv.FormatInt(w.ids["member"], 10))
	for _, role := range []string{"member", "trainer", "admin"} {
		session := w.clients[role].sessionCookie()
		for _, lang := range []string{"en", "fr"} {
			pw.prefix = "team-" + role + "-" + lang
			if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				if _, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
					return err
				}
				_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "supportlab_session", Value: session, Domain: host.Hostname(), Path: "/"})
				return err
			})); err != nil {
				t.Fatal(err)
			}
			pw.visit("home", "/?lang="+lang)
			pw.visit("me", "/me")
			pw.visit("quizzes", "/quizzes")
			pw.visit("teams", "/teams")
			pw.visit("dashboard", w.teamPath(""))
			if role == "member" {
				continue
			}
			pw.run("dashboard-menu", `document.querySelector('.score-matrix .row-menu').open = true`)
			pw.visit("member", memberPath)
			pw.visit("author", "/author")
			pw.visit("author-versions", "/author/support-check-"+lang)
			pw.visit("author-edit", "/author/support-check-"+lang+"/edit")
		}
	}
}
