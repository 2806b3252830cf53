package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"supportlab/app/supportlab"
)

// TestBrowserPagesAtTwoWidths visits the learner's pages (lessons, quiz,
// result and review, sandbox list, scenario and result, the drill, sign-in
// and sign-up, an error page) and the accounts page, signed out and signed
// in as a learner, a trainer and an admin, in English and French. On each
// page, at 1280 px and at 390 px, it takes a full-page screenshot, checks
// that the header keeps one row, that the page does not scroll sideways on
// the phone and runs axe-core (serious and critical violations fail). The
// screenshots go to $SUPPORTLAB_SCREENSHOTS when set (kept), else to a
// temporary folder removed after the test; the test logs the folder.
func TestBrowserPagesAtTwoWidths(t *testing.T) {
	if testing.Short() {
		t.Skip("browser walk-through of every page: not in -short")
	}
	chrome, axeSrc, dir := pageWalkSetup(t)

	ts := newTestServer(t)
	const password = "correct horse battery staple"
	sessions, clients := map[string]string{}, map[string]*client{}
	for _, a := range []struct{ key, name, role string }{
		{"admin", "Ada Admin", supportlab.RoleAdmin},
		{"trainer", "Tess Trainer", supportlab.RoleTrainer},
		{"learner", "Léa Learner-Longname", supportlab.RoleLearner},
	} {
		email := a.key + "@example.com"
		if _, err := ts.DB.CreateUser(context.Background(), supportlab.NewUser{Email: email, Name: a.name, Password: password, Role: a.role}); err != nil {
			t.Fatal(err)
		}
		c := ts.newClient()
		c.login(email, password)
		sessions[a.key], clients[a.key] = c.sessionCookie(), c
	}
	// The learner is in the trainer's team, so that the trainer may open
	// the learner's reviews.
	res := clients["trainer"].submit("/teams", "/teams", url.Values{"name": {"Helpdesk"}})
	teamID, err := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/teams/"), 10, 64)
	if err != nil {
		t.Fatalf("create team: %d %q", res.Status, res.Header.Get("Location"))
	}
	team, err := ts.DB.FindTeam(context.Background(), teamID)
	if err != nil {
		t.Fatal(err)
	}
	if res := clients["learner"].submit("/teams", "/teams/join", url.Values{"code": {team.Code}}); res.Status != http.StatusSeeOther {
		t.Fatalf("join: %d", res.Status)
	}

	ctx := newLongBrowser(t, chrome, 10*time.Minute)
	host, _ := url.Parse(ts.URL)
	w := &pageWalker{t: t, ctx: ctx, base: ts.URL, dir: dir, axe: axeSrc}

	// The learner's reviews, for the admin to open too.
	learnerReviews := map[string][]string{}
	for _, role := range []string{"anonymous", "learner", "trainer", "admin"} {
		for _, lang := range []string{"en", "fr"} {
			w.prefix = role + "-" + lang
			if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				if _, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
					return err
				}
				if s := sessions[role]; s != "" {
					_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "supportlab_session", Value: s, Domain: host.Hostname(), Path: "/"})
					return err
				}
				return nil
			})); err != nil {
				t.Fatal(err)
			}
			quiz, scenario := "support-check-"+lang, "tenant-wide-mail-outage"
			if lang == "fr" {
				scenario += "-fr"
			}
			w.visit("home", "/?lang="+lang)
			w.visit("module", "/learn/get-help-from-microsoft")
			w.visit("unit", "/learn/get-help-from-microsoft/severity-levels")
			w.visit("unit-check", "/learn/get-help-from-microsoft/knowledge-check")
			w.visit("quiz", "/quiz/"+quiz)
			// Answer: the first choice of each question, then send.
			w.submit("quiz-result", `(() => { document.querySelectorAll('.quiz-form fieldset').forEach(f => { const i = f.querySelector('input'); if (i) i.checked = true; }); document.querySelector('.quiz-form').requestSubmit(); })()`)
			if role == "learner" {
				learnerReviews[lang] = append(learnerReviews[lang], w.path())
			}
			w.visit("sandbox", "/sandbox")
			w.visit("sandbox-filtered", "/sandbox?product=exchange-online&severity=A")
			w.visit("scenario", "/sandbox/"+scenario)
			// The decision beside the situation: keep it in-house (wrong here).
			w.submit("scenario-inhouse-result", `(() => { document.getElementById('sr-action-handle-in-house').click(); document.querySelector('.decision-send button').click(); })()`)
			w.visit("scenario-form", "/sandbox/"+scenario+"?view=new-request")
			// Refused: a title longer than the form allows.
			w.submit("scenario-refused", `(() => { const f = document.querySelector('form.sr-form'); f.elements.title.value = 'x'.repeat(201); f.requestSubmit(); })()`)
			w.visit("scenario-form", "/sandbox/"+scenario+"?view=new-request")
			// Open a request with the wrong severity and product.
			w.submit("scenario-result", `(() => { const f = document.querySelector('form.sr-form');
  f.elements.action.value = 'open-request'; f.elements.product.value = 'microsoft-teams'; f.elements.severity.value = 'B';
  f.elements.title.value = 'Mail down'; f.elements.description.value = 'Nobody can send mail since this morning, for every user of the company.';
  f.requestSubmit(); })()`)
			if role == "learner" {
				learnerReviews[lang] = append(learnerReviews[lang], w.path())
			}
			w.visit("drill", "/sandbox/drill")
			w.drill()
			w.visit("error-404", "/no-such-page")
			switch role {
			case "anonymous":
				w.visit("login", "/login")
				w.visit("signup", "/signup")
			case "trainer":
				for i, r := range learnerReviews[lang] {
					w.visit(fmt.Sprintf("learner-review-%d", i+1), r)
				}
			case "admin":
				w.visit("admin-users", "/admin/users")
				w.run("admin-users-menu", `document.querySelectorAll('.row-menu')[1].open = true`)
				// One menu open at a time; Escape closes it, focus back on its button.
				open, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
  const m = document.querySelectorAll('.row-menu');
  m[0].querySelector('summary').click();
  await new Promise(r => setTimeout(r, 50));
  const one = [...m].filter(d => d.open).length;
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}));
  return one + ' ' + [...m].filter(d => d.open).length + ' ' + document.activeElement.tagName;
})()`, chromedp.EvalAwaitPromise))
				if err != nil || open != "1 0 SUMMARY" {
					t.Errorf("%s row menus: open after a second one, open after Escape, focus = %q (%v), want \"1 0 SUMMARY\"", w.prefix, open, err)
				}
				w.visit("admin-users-search", "/admin/users?q=learner")
				for i, r := range learnerReviews[lang] {
					w.visit(fmt.Sprintf("learner-review-%d", i+1), r)
				}
			}
		}
	}
}

// newLongBrowser is newBrowser with a longer deadline: the walk-through
// visits a few hundred pages.
func newLongBrowser(t *testing.T, chrome string, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelTimeout)
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	return bctx
}

// pageWalker visits pages in one tab and checks each at both widths.
type pageWalker struct {
	t      *testing.T
	ctx    context.Context
	base   string
	dir    string
	axe    string
	prefix string // role-lang, for names
}

// widths are the two the design is checked at: a laptop and a phone.
var widths = []int64{1280, 390}

// visit loads path at each width (so that the page's script runs at that
// width too) and checks it.
func (w *pageWalker) visit(name, path string) {
	w.t.Helper()
	for _, width := range widths {
		if err := chromedp.Do(w.ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(w.base+path)); err != nil {
			w.t.Fatalf("%s %s: %v", w.prefix, path, err)
		}
		w.checkAt(name, width)
	}
	if err := chromedp.Do(w.ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		w.t.Fatal(err)
	}
}

// submit runs script, which sends a form, and checks the page it leads to.
func (w *pageWalker) submit(name, script string) {
	w.t.Helper()
	if _, err := chromedp.Run(w.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[chromedp.Void](script))); err != nil {
		w.t.Fatalf("%s %s: %v", w.prefix, name, err)
	}
	w.check(name)
}

// run runs script on the current page (no navigation) and checks the page.
func (w *pageWalker) run(name, script string) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, chromedp.Evaluate[chromedp.Void](script)); err != nil {
		w.t.Fatalf("%s %s: %v", w.prefix, name, err)
	}
	w.check(name)
}

// path is the current page's path.
func (w *pageWalker) path() string {
	loc, err := chromedp.Run(w.ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		w.t.Fatal(err)
	}
	return loc
}

// drill starts a drill, answers one step, checks the second step, answers
// the rest (every third in-house, the others as requests of descending
// severity) and checks the summary.
func (w *pageWalker) drill() {
	w.t.Helper()
	const answer = `(async (steps) => {
  const field = (h, n) => { const m = h.match(new RegExp('name="' + n + '" value="([^"]*)"')); return m ? m[1].replace(/&amp;/g, '&') : ''; };
  let h = await (await fetch('/sandbox/drill/step')).text();
  if (!h.includes('name="step"')) {
    const intro = await (await fetch('/sandbox/drill')).text();
    await fetch('/sandbox/drill', {method: 'POST', body: new URLSearchParams({_csrf: field(intro, '_csrf')})});
  }
  for (let i = 0; i < steps; i++) {
    h = await (await fetch('/sandbox/drill/step')).text();
    if (!h.includes('name="step"')) break;
    const n = Number(field(h, 'step'));
    const f = {_csrf: field(h, '_csrf'), drill: field(h, 'drill'), uid: field(h, 'uid'), step: field(h, 'step'),
      action: n % 3 === 0 ? 'handle-in-house' : 'open-request', product: 'exchange-online', severity: ['A', 'B', 'C'][n % 3],
      title: 'Mail is down', description: 'Since nine this morning nobody in the company can send or receive mail.'};
    await fetch('/sandbox/drill/step', {method: 'POST', body: new URLSearchParams(f)});
  }
  return true;
})(STEPS)`
	for _, step := range []struct {
		name, path string
		steps      int
	}{{"drill-step", "/sandbox/drill/step", 1}, {"drill-summary", "/sandbox/drill/summary", 10}} {
		if _, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](strings.Replace(answer, "STEPS", fmt.Sprint(step.steps), 1), chromedp.EvalAwaitPromise)); err != nil {
			w.t.Fatalf("%s drill: %v", w.prefix, err)
		}
		w.visit(step.name, step.path)
	}
}

// check checks the current page at each width, resizing the window: for a
// page that answers a form, which cannot be loaded again.
func (w *pageWalker) check(name string) {
	w.t.Helper()
	for _, width := range widths {
		if err := chromedp.Do(w.ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			w.t.Fatal(err)
		}
		w.checkAt(name, width)
	}
	if err := chromedp.Do(w.ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		w.t.Fatal(err)
	}
}

// checkAt screenshots the current page, checks that it does not scroll
// sideways on a phone, and runs axe-core.
func (w *pageWalker) checkAt(name string, width int64) {
	w.t.Helper()
	full := w.prefix + "-" + name
	if width < 600 {
		type sizes struct {
			Scroll int      `json:"scroll"`
			Inner  int      `json:"inner"`
			Wide   []string `json:"wide"`
		}
		s, err := chromedp.Run(w.ctx, chromedp.Evaluate[sizes](`(() => {
  const inner = window.innerWidth, wide = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.right > inner + 1 && wide.length < 5 && getComputedStyle(e).position !== 'absolute') wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' ' + Math.round(r.right));
  }
  return {scroll: document.documentElement.scrollWidth, inner, wide};
})()`))
		if err != nil {
			w.t.Fatal(err)
		}
		if s.Scroll > s.Inner {
			w.t.Errorf("%s at %d px scrolls sideways: scrollWidth %d > innerWidth %d; wide: %s", full, width, s.Scroll, s.Inner, strings.Join(s.Wide, ", "))
		}
	}
	// The header keeps one row: its height is that of one row.
	if h, err := chromedp.Run(w.ctx, chromedp.Evaluate[float64](`document.querySelector('.header-row').getBoundingClientRect().height`)); err != nil || h > 72 {
		w.t.Errorf("%s at %d px: the header is %.0f px high (%v), more than one row", full, width, h, err)
	}
	png, err := chromedp.Run(w.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.dir, fmt.Sprintf("%s-%d.png", full, width)), png, 0o644); err != nil {
		w.t.Fatal(err)
	}
	checkAxe(w.t, w.ctx, w.axe, fmt.Sprintf("%s %d", full, width))
}

// pageWalkSetup is what a walk through pages needs: the Chromium to drive,
// axe-core's source ("" when it is not installed: the walk then skips its
// audits, or fails under CI, see browserTools), and the folder the
// screenshots go to: $SUPPORTLAB_SCREENSHOTS when set (kept), else a
// temporary folder; the test logs which.
func pageWalkSetup(t *testing.T) (chrome, axeSrc, dir string) {
	t.Helper()
	chrome, axePath := browserTools(t)
	if axePath != "" {
		b, err := os.ReadFile(axePath)
		if err != nil {
			t.Fatal(err)
		}
		axeSrc = string(b)
	}
	dir = os.Getenv("SUPPORTLAB_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return chrome, axeSrc, dir
}
