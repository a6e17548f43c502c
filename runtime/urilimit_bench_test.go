package runtime_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yosida95/uritemplate/v3"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// BenchmarkTemplateMatch measures what runtime.DefaultMaxURIBytes bounds:
// the resource template matcher both SDKs use (uritemplate's Match, which
// mcp-go runs on resources/read for each template until one matches, and
// go-sdk likewise) on files://{+path} with URIs of several lengths, each
// alternated in one loop with a URI of 64 bytes, reporting the ratio of
// their times as long/short. The limit is a choice on this curve: the
// time grows with the length, so the ratio at the limit is the most one
// request may cost per template against an ordinary URI.
func BenchmarkTemplateMatch(b *testing.B) {
	tmpl := uritemplate.MustNew("files://{+path}")
	uri := func(n int) string { return "files://host/" + strings.Repeat("a", n-len("files://host/")) }
	short := uri(64)
	for _, n := range []int{2 << 10, runtime.DefaultMaxURIBytes, 64 << 10, 1 << 20} {
		long := uri(n)
		b.Run(fmt.Sprintf("bytes=%d", n), func(b *testing.B) {
			var base, cost time.Duration
			timed := func(u string) time.Duration {
				t0 := time.Now()
				if tmpl.Match(u) == nil {
					b.Fatal("no match")
				}
				return time.Since(t0)
			}
			for b.Loop() {
				base += timed(short)
				cost += timed(long)
			}
			b.ReportMetric(float64(cost)/float64(base), "long/short")
		})
	}
}

// BenchmarkReadLongURI measures an in-process resources/read of a URI of
// 3 MiB, refused at the request entry for its length, against a read of
// a short URI that a files://{+path} template serves, alternated in one
// loop, reporting refused/short. What the limit leaves of a hostile URI's
// cost is carrying and decoding the message (client and server, in
// process), a few tens of milliseconds for 3 MiB, where matching it took
// seconds per template (BenchmarkTemplateMatch).
func BenchmarkReadLongURI(b *testing.B) {
	var reached atomic.Int64
	c := connect(b, limitServer(&reached))
	ctx := as(tokRead)
	short := map[string]any{"uri": "files://host/a"}
	long := map[string]any{"uri": hostileURIs()[0]}
	var base, cost time.Duration
	for b.Loop() {
		t0 := time.Now()
		rawCall(b, c, ctx, "resources/read", short)
		t1 := time.Now()
		rawCall(b, c, ctx, "resources/read", long)
		base, cost = base+t1.Sub(t0), cost+time.Since(t1)
	}
	b.ReportMetric(float64(cost)/float64(base), "refused/short")
}
