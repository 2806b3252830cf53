package web_test

import (
	"net/url"
	"testing"

	"github.com/valyala/fasthttp"
)

// benchmarkPage serves path through the app's handler in process, with no
// network, so that a CPU profile shows the app's own work:
//
//	go test -run XXX -bench Page -cpuprofile cpu.out ./app/web
func benchmarkPage(b *testing.B, path string, signedIn bool) {
	ts := newTestServer(b)
	h := ts.App.App().Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI(path)
	ctx.Request.Header.SetMethod(fasthttp.MethodGet)
	if signedIn {
		c := ts.newClient()
		c.signup("ada@example.com", "Ada", testPassword)
		u, _ := url.Parse(ts.URL)
		for _, ck := range c.hc.Jar.Cookies(u) {
			if ck.Name == "flash" {
				continue // shown once, by the first page after sign-up
			}
			ctx.Request.Header.SetCookie(ck.Name, ck.Value)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ctx.Response.Reset()
		h(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusOK {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}

const benchLesson = "/learn/get-help-from-microsoft/severity-levels"

func BenchmarkLessonPage(b *testing.B)         { benchmarkPage(b, benchLesson, false) }
func BenchmarkLessonPageSignedIn(b *testing.B) { benchmarkPage(b, benchLesson, true) }
func BenchmarkQuizPage(b *testing.B)           { benchmarkPage(b, "/quiz/support-check-en", false) }
func BenchmarkQuizPageSignedIn(b *testing.B)   { benchmarkPage(b, "/quiz/support-check-en", true) }

// BenchmarkQuizSubmit is signed-in learners' quiz POSTs, 32 at a time,
// each stored before its 303 to the review: what group commit is for.
func BenchmarkQuizSubmit(b *testing.B) {
	ts := newTestServer(b)
	h := ts.App.App().Handler()
	c := ts.newClient()
	c.signup("ada@example.com", "Ada", testPassword)
	token := c.csrf("/quiz/support-check-en")
	u, _ := url.Parse(ts.URL)
	cookies := c.hc.Jar.Cookies(u)
	body := url.Values{"_csrf": {token}, "q-lucerne-admin-role": {"1"}}.Encode()
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/quiz/support-check-en")
		ctx.Request.Header.SetMethod(fasthttp.MethodPost)
		ctx.Request.Header.SetContentType("application/x-www-form-urlencoded")
		for _, ck := range cookies {
			ctx.Request.Header.SetCookie(ck.Name, ck.Value)
		}
		for pb.Next() {
			ctx.Request.SetBodyString(body)
			ctx.Response.Reset()
			h(&ctx)
			if ctx.Response.StatusCode() != fasthttp.StatusSeeOther {
				b.Errorf("status %d", ctx.Response.StatusCode())
				return
			}
		}
	})
}
