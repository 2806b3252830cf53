package web_test

import (
	"net/url"
	"strings"
	"testing"
)

func TestSmokeQuizRoundTrip(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	if res := c.get("/healthz"); res.Status != 200 {
		t.Fatalf("healthz %d", res.Status)
	}
	res := c.submit("/quiz/support-check-en", "/quiz/support-check-en", url.Values{"q-lucerne-admin-role": {"0"}})
	if res.Status != 200 || !strings.Contains(res.Body, "%") {
		t.Fatalf("status %d body %.300s", res.Status, res.Body)
	}
	if res := c.post("/quiz/support-check-en", url.Values{"q-lucerne-admin-role": {"0"}}); res.Status != 403 {
		t.Fatalf("no csrf: status %d", res.Status)
	}
}
