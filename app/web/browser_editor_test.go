package web_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"supportlab/app/supportlab"
)

// TestBrowserEditorLivePreview edits a quiz in a real browser: the preview
// follows the text as the trainer types (no button, no page load), problems
// come as "line N: message" and are announced in the status region, a
// problem's link puts the caret on its line, and Save stores the version.
// axe-core checks the editor and the versions page.
func TestBrowserEditorLivePreview(t *testing.T) {
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
	const password = "correct horse battery staple"
	if _, err := ts.DB.CreateUser(context.Background(), supportlab.NewUser{Email: "tess@example.com", Name: "Tess Trainer", Password: password, Role: supportlab.RoleTrainer}); err != nil {
		t.Fatal(err)
	}
	c := ts.newClient()
	c.login("tess@example.com", password)
	const uid = "live-preview-check"
	if res := c.save(editorQuiz(uid, 0, "Live preview"), "yaml", ""); res.Status != 303 {
		t.Fatalf("save v1: %d", res.Status)
	}

	ctx := newBrowser(t, chrome)
	host, _ := url.Parse(ts.URL)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "supportlab_session", Value: c.sessionCookie(), Domain: host.Hostname(), Path: "/"})
		return err
	})); err != nil {
		t.Fatal(err)
	}

	// Open the editor on version 1 and mark the page, to tell a live
	// preview from a page load.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/author/"+uid+"/edit"),
		chromedp.WaitVisible(chromedp.ID("editor-text")),
		chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`),
	); err != nil {
		t.Fatal(err)
	}
	checkAxe(t, ctx, axeSrc, "editor")

	waitFor := func(what, js string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		region, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('preview') || {}).outerHTML || ''`))
		t.Fatalf("%s never happened; the preview region is:\n%.1500s", what, region)
	}

	// Typing a new title: the preview shows it, without a page load.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.getElementById('editor-text');
  t.value = t.value.replace('title: "Live preview"', 'title: "Live previe"'); t.focus();
  t.setSelectionRange(t.value.indexOf('previe"') + 6, t.value.indexOf('previe"') + 6); })()`),
		chromedp.KeyEvent("w, edited"),
	); err != nil {
		t.Fatal(err)
	}
	waitFor("the typed title in the preview", `(document.querySelector('#preview .preview-title') || {}).textContent === 'Live preview, edited'`)

	// Typing a misspelt key: the problem replaces the quiz, with its line,
	// and the status region says so.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.getElementById('editor-text'); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`),
		chromedp.KeyEvent("shufle: true\n"),
	); err != nil {
		t.Fatal(err)
	}
	waitFor("a problem in the preview", `!!document.querySelector('#preview a[data-line]')`)
	problem, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#preview a[data-line]")))
	if err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("preview-status")))
	if err != nil {
		t.Fatal(err)
	}
	reloaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded !== true`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(problem, "line 22: ") || !strings.Contains(problem, `"shufle"`) {
		t.Errorf("problem %q, want line 22 and the misspelt key", problem)
	}
	if status != "1 problem to fix before saving" {
		t.Errorf("status region says %q", status)
	}
	if reloaded {
		t.Error("the page was loaded again: the preview is not live")
	}
	checkAxe(t, ctx, axeSrc, "editor with a problem")

	// The problem's link selects its line of the text.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#preview a[data-line]"))); err != nil {
		t.Fatal(err)
	}
	selected, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const t = document.activeElement; return t.id === 'editor-text' ? t.value.substring(t.selectionStart, t.selectionEnd) : 'focus on ' + t.id; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if selected != "shufle: true" {
		t.Errorf("the link selected %q, want the line of the problem", selected)
	}

	// Fixed and saved with the Save button: version 2, live.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.getElementById('editor-text'); t.value = t.value.replace('shufle: true\n', ''); t.dispatchEvent(new Event('input', {bubbles: true})); })()`),
	); err != nil {
		t.Fatal(err)
	}
	waitFor("the quiz back in the preview", `!!document.querySelector('#preview .preview-title')`)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.editor-form button[type=submit]:not([formaction])`)),
		chromedp.WaitVisible(chromedp.CSS(".versions")),
	); err != nil {
		t.Fatal(err)
	}
	checkAxe(t, ctx, axeSrc, "versions page")
	q, err := ts.Bank.Quiz(uid)
	if err != nil || q.Title != "Live preview, edited" || q.Version != 2 {
		t.Errorf("live quiz after saving: %+v %v", q, err)
	}
}
