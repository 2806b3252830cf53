package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser tests drive a real headless Chromium against the real test
// server: what a keyboard user and a screen reader meet is only visible in
// a browser (focus order, hidden fields, computed contrast). The keyboard
// checks need Chromium; the axe checks need axe-core too. A developer
// without Chromium gets a skip with the reason, and one without axe-core
// still gets the keyboard checks, with only the axe checks skipped. CI
// (CI=true) gets a failure for either missing, because a skipped
// accessibility check there would pass silently for ever.

// defaultAxePath is where `npm install --prefix /tmp/axe axe-core@4` puts
// the script (.ci/run does that); AXE_CORE_JS overrides it.
const defaultAxePath = "/tmp/axe/node_modules/axe-core/axe.min.js"

// browserTools finds Chromium, or skips (fails on CI) the test, and
// axe-core. axe is "" when axe-core is missing: the keyboard checks still
// run and checkAxe skips; on CI the test is marked failed but goes on, so
// that the keyboard checks report too.
func browserTools(t *testing.T) (chrome, axe string) {
	t.Helper()
	onCI := os.Getenv("CI") == "true"
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if onCI {
			t.Fatalf("%s (CI=true: the CI machine must install it, see .ci/run)", msg)
		}
		t.Skipf("%s; skipping the browser test (on CI it fails instead)", msg)
	}
	for _, c := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(c); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		missing("Chromium not found (looked for /usr/bin/chromium, chromium, chromium-browser, google-chrome)")
	}
	axe = os.Getenv("AXE_CORE_JS")
	if axe == "" {
		axe = defaultAxePath
	}
	if _, err := os.Stat(axe); err != nil {
		msg := fmt.Sprintf("axe-core not found at %s (set AXE_CORE_JS or run: npm install --prefix /tmp/axe axe-core@4)", axe)
		if onCI {
			t.Errorf("%s (CI=true: the CI machine must install it, see .ci/run); the keyboard checks still run", msg)
		} else {
			t.Logf("%s; the keyboard checks run, the axe checks skip (on CI this fails)", msg)
		}
		return chrome, ""
	}
	return chrome, axe
}

// newBrowser starts a headless Chromium with a fresh profile and no
// background network traffic, and returns a tab. Everything stops when the
// test ends or after a minute, whichever comes first.
func newBrowser(t *testing.T, chrome string) context.Context {
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
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	// Cleanups run last-in first-out: the browser is gone before
	// t.TempDir removes its profile.
	t.Cleanup(cancelTimeout)
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	return bctx
}

// axeViolation is the part of an axe-core result the failure message needs.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeScript runs the WCAG 2.0/2.1 level A and AA rules on the page and
// keeps the serious and critical violations.
const axeScript = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations']
}).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' '))})))`

// checkAxe injects axe-core into the current page and reports every serious
// or critical violation with its rule, impact and elements. It runs as the
// subtest "axe <name>", which skips when axeSrc is empty (no axe-core): the
// keyboard checks around it go on either way.
func checkAxe(t *testing.T, ctx context.Context, axeSrc, name string) {
	t.Helper()
	t.Run("axe "+name, func(t *testing.T) {
		if axeSrc == "" {
			t.Skip("axe-core not found (see AXE_CORE_JS); skipping the axe check")
		}
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSrc)); err != nil {
			t.Fatalf("%s: loading axe-core: %v", name, err)
		}
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeScript, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: running axe-core: %v", name, err)
		}
		for _, v := range vs {
			t.Errorf("%s: axe %s (%s): %s; elements: %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Targets, " | "))
		}
	})
}

// activeElement describes the focused element: its id, or its tag and text.
const activeElement = `(() => { const e = document.activeElement;
  if (!e || e === document.body) return 'body';
  return e.id ? '#' + e.id : e.tagName.toLowerCase() + ':' + (e.textContent || '').trim(); })()`

// tabTo presses Tab until the focused element matches the CSS selector,
// and fails after max presses. It returns the element's description.
func tabTo(t *testing.T, ctx context.Context, selector string, max int) string {
	t.Helper()
	var seen []string
	for range max {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, selector)))
		if err != nil {
			t.Fatal(err)
		}
		active, err := chromedp.Run(ctx, chromedp.Evaluate[string](activeElement))
		if err != nil {
			t.Fatal(err)
		}
		if found {
			return active
		}
		seen = append(seen, active)
	}
	t.Fatalf("%d presses of Tab never reached %s; focus went through: %s", max, selector, strings.Join(seen, ", "))
	return ""
}

// TestBrowserKeyboardQuizAndAxe answers a knowledge check with the keyboard
// alone, then runs axe-core on the main page types in both languages. The
// keyboard part needs only Chromium; each axe check is a subtest that skips
// without axe-core.
func TestBrowserKeyboardQuizAndAxe(t *testing.T) {
	chrome, axePath := browserTools(t)
	var axeSrc string
	if axePath != "" {
		b, err := os.ReadFile(axePath)
		if err != nil {
			t.Fatal(err)
		}
		axeSrc = string(b)
	}
	ts := newTestServer(t)
	ctx := newBrowser(t, chrome)

	const unit = "/learn/get-help-from-microsoft/knowledge-check"
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+unit+"?lang=en")); err != nil {
		t.Fatal(err)
	}
	checkAxe(t, ctx, axeSrc, "en "+unit)

	// Keyboard only. The first Tab lands on the skip link, and Enter on it
	// moves focus to the main content, past the site navigation.
	tabTo(t, ctx, "a.skip-link", 1)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if a, _ := chromedp.Run(ctx, chromedp.Evaluate[string](activeElement)); a != "#main" {
		t.Fatalf("Enter on the skip link focused %q, want #main", a)
	}

	// Tab to the first choice of the first question, Space to choose it.
	choice := tabTo(t, ctx, ".quiz-form .question input", 20)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(" ")); err != nil {
		t.Fatal(err)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.checked`))
	if err != nil || !checked {
		t.Fatalf("Space on %s did not check it (err %v)", choice, err)
	}

	// Tab on to the submit button (one stop per radio group, one per
	// checkbox: no trap on the way) and press Enter.
	tabTo(t, ctx, ".quiz-form button[type=submit]", 60)
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
		t.Fatalf("submitting with Enter: %v", err)
	}

	score, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".score-card .score")))
	if err != nil {
		t.Fatalf("no score on the page after submitting: %v", err)
	}
	if !regexp.MustCompile(`\d+%`).MatchString(score) {
		t.Errorf("score card says %q, want a percentage", score)
	}
	// The answered question shows the chosen choice with its explanation;
	// the others say they were not answered.
	answered, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.results .explained li').length`))
	if err != nil || answered == 0 {
		t.Errorf("the result lists no explained choice for the answered %s (err %v)", choice, err)
	}
	checkAxe(t, ctx, axeSrc, "en quiz result")

	// axe-core on the other page types, in both languages.
	for _, lang := range []string{"en", "fr"} {
		scenario := "/sandbox/tenant-wide-mail-outage"
		if lang == "fr" {
			scenario += "-fr"
		}
		for _, path := range []string{"/", unit, scenario + "?view=new-request", "/signup"} {
			if lang == "en" && path == unit {
				continue // done above
			}
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path+sep+"lang="+lang)); err != nil {
				t.Fatal(err)
			}
			checkAxe(t, ctx, axeSrc, lang+" "+path)
		}
	}
}
