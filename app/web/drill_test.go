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

var (
	drillUIDField  = regexp.MustCompile(`name="uid" value="([^"]+)"`)
	drillStepField = regexp.MustCompile(`name="step" value="([^"]+)"`)
)

// drillCurrent reads the scenario uid and the step index the step page asks.
func drillCurrent(t *testing.T, c *client) (uid, step string) {
	t.Helper()
	res := c.get("/sandbox/drill/step")
	if res.Status != http.StatusOK {
		t.Fatalf("step page: status %d (location %s)", res.Status, res.Header.Get("Location"))
	}
	u, s := drillUIDField.FindStringSubmatch(res.Body), drillStepField.FindStringSubmatch(res.Body)
	if u == nil || s == nil {
		t.Fatalf("step page has no uid or step: %.500s", res.Body)
	}
	return u[1], s[1]
}

// wrongAnswer takes the opposite decision to the expected one: 0 points.
func wrongAnswer(t *testing.T, ts *testServer, uid string) url.Values {
	sc, err := ts.Bank.Scenario(uid)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Expect.Action == supportlab.ActionHandleInHouse {
		return url.Values{"action": {"open-request"}, "product": {"domains"}, "severity": {"C"}}
	}
	return url.Values{"action": {"handle-in-house"}}
}

func TestDrillRunsTenScenariosToASummary(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.get("/sandbox?lang=fr")
	c.signup("drill@example.com", "Drill", "correct horse battery staple")

	if res := c.get("/sandbox/drill/step"); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/sandbox/drill" {
		t.Fatalf("step without a drill: status %d location %q", res.Status, res.Header.Get("Location"))
	}
	intro := c.get("/sandbox/drill")
	if intro.Status != http.StatusOK || !strings.Contains(intro.Body, `action="/sandbox/drill"`) {
		t.Fatalf("intro: status %d", intro.Status)
	}
	res := c.submit("/sandbox/drill", "/sandbox/drill", nil)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/sandbox/drill/step" {
		t.Fatalf("start: status %d location %q", res.Status, res.Header.Get("Location"))
	}

	seen := map[string]bool{}
	for i := 0; i < 10; i++ {
		uid, step := drillCurrent(t, c)
		if step != strconv.Itoa(i) {
			t.Fatalf("step %d: page says step %s", i, step)
		}
		if !strings.HasSuffix(uid, "-fr") {
			t.Errorf("French drill asks %s", uid)
		}
		if seen[uid] {
			t.Errorf("scenario %s asked twice", uid)
		}
		seen[uid] = true
		ans := perfectAnswer(t, ts, uid)
		if i == 0 {
			ans = wrongAnswer(t, ts, uid)
		}
		if i == 3 {
			// A rejected answer does not count as a step; the page keeps the drill.
			bad := c.submit("/sandbox/drill/step", "/sandbox/drill/step", url.Values{"step": {step}, "product": {"nope"}})
			if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `name="uid" value="`+uid+`"`) {
				t.Fatalf("invalid drill answer: status %d", bad.Status)
			}
		}
		ans.Set("step", step)
		ans.Set("uid", uid)
		res := c.submit("/sandbox/drill/step", "/sandbox/drill/step", ans)
		want := "/sandbox/drill/step"
		if i == 9 {
			want = "/sandbox/drill/summary"
		}
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("answer %d: status %d location %q", i, res.Status, res.Header.Get("Location"))
		}
		if i == 1 {
			// An answer re-sent from the page of a step already answered is not counted.
			ans.Set("step", "0")
			if res := c.submit("/sandbox/drill/step", "/sandbox/drill/step", ans); res.Status != http.StatusSeeOther {
				t.Fatalf("stale answer: status %d", res.Status)
			}
			if page := c.get("/sandbox/drill/step"); !strings.Contains(page.Body, "Situation 3 sur 10") {
				t.Fatalf("stale answer moved the drill: %.300s", page.Body)
			}
		}
	}

	// Reloading the summary works; the step page sends there once done.
	if res := c.get("/sandbox/drill/step"); res.Header.Get("Location") != "/sandbox/drill/summary" {
		t.Errorf("finished drill: step redirects to %q", res.Header.Get("Location"))
	}
	for range 2 {
		sum := c.get("/sandbox/drill/summary")
		if sum.Status != http.StatusOK {
			t.Fatalf("summary: status %d", sum.Status)
		}
		// One wrong (0) and nine perfect (100): average 90, nine passed.
		for _, want := range []string{"Score moyen\u00a0: 90/100", "9 réussie(s) sur 10", "900 points sur 1000"} {
			if !strings.Contains(sum.Body, want) {
				t.Errorf("summary lacks %q", want)
			}
		}
		if n := strings.Count(sum.Body, `<tr class="is-`); n != 10 {
			t.Errorf("summary has %d rows, want 10", n)
		}
		for uid := range seen {
			if !strings.Contains(sum.Body, `href="/sandbox/`+uid+`"`) {
				t.Errorf("summary lacks %s", uid)
			}
		}
	}

	list, err := ts.DB.ListAttempts(context.Background(), userID(t, ts, "drill@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 10 {
		t.Errorf("%d drill attempts stored, want 10", len(list))
	}
}

func TestDrillRunningScoreAndAnonymous(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.get("/sandbox?lang=en")
	c.submit("/sandbox/drill", "/sandbox/drill", nil)
	uid, step := drillCurrent(t, c)
	ans := perfectAnswer(t, ts, uid)
	ans.Set("step", step)
	c.submit("/sandbox/drill/step", "/sandbox/drill/step", ans)
	page := c.get("/sandbox/drill/step")
	for _, want := range []string{"Situation 2 of 10", "100 points after 1 situation", "Previous situation"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("step page lacks %q", want)
		}
	}
	if intro := c.get("/sandbox/drill"); !strings.Contains(intro.Body, "1 of 10 situations answered") {
		t.Error("intro does not offer to continue the drill")
	}
	if res := c.get("/sandbox/drill/summary"); res.Header.Get("Location") != "/sandbox/drill/step" {
		t.Errorf("unfinished summary redirects to %q", res.Header.Get("Location"))
	}
}

func TestDrillRejectsAForgedCookie(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	// A cookie not signed by the server is no drill at all.
	forged := "eyJpIjoiMSIsImwiOiJlbiIsInUiOlsidGVuYW50LXdpZGUtbWFpbC1vdXRhZ2UiXSwicyI6WzEwMF0sImMiOlsiQSJdfQ.c2lnbmF0dXJl"
	res := c.get("/sandbox/drill/summary", "Cookie", "supportlab_drill="+forged)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/sandbox/drill" {
		t.Fatalf("forged drill: status %d location %q", res.Status, res.Header.Get("Location"))
	}
}
