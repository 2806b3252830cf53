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
