package web_test

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// benchmarkPage serves path through the app's handler in process, with no
// network, so that a CPU profile shows the app's own work:
//
//	go test -run XXX -bench Page -cpuprofile cpu.out ./app/web
func benchmarkPage(b *testing.B, path string) {
	ts := newTestServer(b)
	h := ts.App.App().Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI(path)
	ctx.Request.Header.SetMethod(fasthttp.MethodGet)
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

func BenchmarkLessonPage(b *testing.B) {
	benchmarkPage(b, "/learn/get-help-from-microsoft/severity-levels")
}

func BenchmarkQuizPage(b *testing.B) { benchmarkPage(b, "/quiz/support-check-en") }
