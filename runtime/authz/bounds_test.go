package authz_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

var truncateCases = []struct {
	s    string
	max  int
	want string
}{
	{"", 4, ""},
	{"abcd", 4, "abcd"}, // max bytes: kept whole
	{"abcde", 4, "abcd…[1 bytes truncated]"},
	{"abcé", 4, "abc…[2 bytes truncated]"},                      // é is 2 bytes: not split
	{"ab€x", 4, "ab…[4 bytes truncated]"},                       // € is 3 bytes
	{"a😀bc", 4, "a…[6 bytes truncated]"},                        // 😀 is 4 bytes
	{"😀😀", 4, "😀…[4 bytes truncated]"},                          // a cut between two characters
	{"\x80\x80\x80\x80\x80\x80", 4, "\x80…[5 bytes truncated]"}, // not UTF-8: the cut moves back at most 3 bytes
}

func TestTruncate(t *testing.T) {
	for _, tc := range truncateCases {
		if got := authz.Truncate(tc.s, tc.max); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
	}
}

// FuzzTruncate: a string of at most max bytes is kept; a longer one is
// recorded as a prefix of at most max bytes (at least max-3), followed by
// the marker that counts the rest, which together are longer than max;
// valid UTF-8 stays valid.
func FuzzTruncate(f *testing.F) {
	for _, tc := range truncateCases {
		f.Add(tc.s, tc.max)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1<<20 {
			return
		}
		got := authz.Truncate(s, max)
		if len(s) <= max {
			if got != s {
				t.Errorf("Truncate(%q, %d) = %q, want it whole", s, max, got)
			}
			return
		}
		i := strings.LastIndex(got, "…[")
		if i < 0 {
			t.Fatalf("Truncate(%q, %d) = %q: no marker", s, max, got)
		}
		prefix := got[:i]
		if !strings.HasPrefix(s, prefix) || len(prefix) > max || len(prefix) < max-3 {
			t.Errorf("Truncate(%q, %d) = %q: kept %q", s, max, got, prefix)
		}
		if want := prefix + "…[" + strconv.Itoa(len(s)-len(prefix)) + " bytes truncated]"; got != want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", s, max, got, want)
		}
		if len(got) <= max {
			t.Errorf("Truncate(%q, %d) = %q: no longer than max, as a value kept whole", s, max, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("Truncate(%q, %d) = %q: not UTF-8", s, max, got)
		}
	})
}

// TestRecordedURI: a URI is redacted before it is cut, so that a password
// longer than the cut is not recorded in part.
func TestRecordedURI(t *testing.T) {
	password := strings.Repeat("p", 3<<20)
	if got, want := authz.RecordedURI("files://alice:"+password+"@host/a"), "files://alice:xxxxx@host/a"; got != want {
		t.Errorf("RecordedURI of a URI with a 3 MiB password = %.60q… (%d bytes), want %q", got, len(got), want)
	}
	uri := "files://alice:" + password + "@host/" + strings.Repeat("a", 3<<20)
	want := authz.Truncate("files://alice:xxxxx@host/"+strings.Repeat("a", 3<<20), authz.MaxRecordedURI)
	if got := authz.RecordedURI(uri); got != want || strings.Contains(got, "ppp") {
		t.Errorf("RecordedURI of 6 MiB = %.60q… (%d bytes), want %d bytes", got, len(got), len(want))
	}
	if got := authz.RecordedName(strings.Repeat("n", 3<<20)); len(got) != authz.MaxRecordedName+len("…[3145472 bytes truncated]") {
		t.Errorf("RecordedName of 3 MiB: %d bytes", len(got))
	}
}

// TestDecisionRecorded: a decision holds what it took from a request
// bounded: a tool or prompt name to MaxRecordedName bytes, a resource URI
// (and the name of a resource, which can be its URI) to MaxRecordedURI
// bytes, after redaction; a short one as it is.
func TestDecisionRecorded(t *testing.T) {
	name := strings.Repeat("n", 3<<20)
	uri := "files://alice:pw@host/" + strings.Repeat("a", 3<<20)
	cutURI := authz.Truncate(authz.RedactURI(uri), authz.MaxRecordedURI)
	for _, tc := range []struct{ in, want authz.Decision }{
		{
			authz.Decision{Kind: authz.KindTool, Name: name, Target: name},
			authz.Decision{Kind: authz.KindTool, Name: authz.Truncate(name, authz.MaxRecordedName), Target: authz.Truncate(name, authz.MaxRecordedName)},
		},
		{
			authz.Decision{Kind: authz.KindPrompt, Name: "greet", Target: "greet"},
			authz.Decision{Kind: authz.KindPrompt, Name: "greet", Target: "greet"},
		},
		{
			authz.Decision{Kind: authz.KindResourceTemplate, Name: "files", URI: "files://{+path}", Target: uri},
			authz.Decision{Kind: authz.KindResourceTemplate, Name: "files", URI: "files://{+path}", Target: cutURI},
		},
		{
			authz.Decision{Kind: authz.KindResource, Name: uri, URI: uri, Target: uri},
			authz.Decision{Kind: authz.KindResource, Name: cutURI, URI: cutURI, Target: cutURI},
		},
		{
			// A stateless server's request carries the session ID its
			// header says, which nothing checked.
			authz.Decision{Kind: authz.KindTool, Name: "greet", Target: "greet", SessionID: strings.Repeat("s", 1<<20)},
			authz.Decision{Kind: authz.KindTool, Name: "greet", Target: "greet", SessionID: authz.OtherSessionID},
		},
		{
			authz.Decision{Kind: authz.KindTool, Name: "greet", Target: "greet", SessionID: `mcp-session-\u00e9`},
			authz.Decision{Kind: authz.KindTool, Name: "greet", Target: "greet", SessionID: `mcp-session-\u00e9`},
		},
		{
			authz.Decision{Kind: authz.KindTool, Name: "greet", Target: "greet", SessionID: "mcp-session-é\n"},
			authz.Decision{Kind: authz.KindTool, Name: "greet", Target: "greet", SessionID: authz.OtherSessionID},
		},
		{
			authz.Decision{Kind: authz.KindResource, Name: "feed", URI: "https://bot:pw@example.com/feed", Target: "https://bot:pw@example.com/feed"},
			authz.Decision{Kind: authz.KindResource, Name: "feed", URI: "https://bot:xxxxx@example.com/feed", Target: "https://bot:xxxxx@example.com/feed"},
		},
	} {
		got := tc.in.Recorded()
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Recorded of %.60q (-want +got):\n%.2000s", tc.in.Target, diff)
		}
		if line := got.String(); len(line) > 2*authz.MaxRecordedURI+200 {
			t.Errorf("String of the recorded decision: %d bytes", len(line))
		}
	}
}

// TestRecordedShortAllocs: recording a short name, URI or decision (the
// common case) allocates nothing.
func TestRecordedShortAllocs(t *testing.T) {
	tool := authz.Decision{Kind: authz.KindTool, Name: "get_weather", Target: "get_weather", Method: "tools/call", SessionID: "mcp-session-1d4c1b8e-5f0a-4b7e-9a51-0c3d2e6f7a89"}
	read := authz.Decision{Kind: authz.KindResourceTemplate, Name: "files", URI: "files://{+path}", Target: "files://docs/readme.md", Method: "resources/read"}
	var sink authz.Decision
	var s string
	for name, f := range map[string]func(){
		"RecordedName":          func() { s = authz.RecordedName("get_weather") },
		"RecordedURI":           func() { s = authz.RecordedURI("files://docs/readme.md") },
		"Recorded (tool)":       func() { sink = tool.Recorded() },
		"Recorded (resource)":   func() { sink = read.Recorded() },
		"Truncate (max bytes)":  func() { s = authz.Truncate("abcd", 4) },
		"Recorded (empty list)": func() { sink = authz.Decision{Method: "tools/list", Kind: authz.KindTool}.Recorded() },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations, want 0", name, n)
		}
	}
	_, _ = sink, s
}

// BenchmarkDecisionRecorded measures Recorded against Redacted, what the
// runtimes called before names and URIs were bounded, on the same short
// decisions: the ratio is the cost of the bound in the common case.
func BenchmarkDecisionRecorded(b *testing.B) {
	for _, d := range []authz.Decision{
		{Kind: authz.KindTool, Name: "get_weather", Target: "get_weather", Method: "tools/call"},
		{Kind: authz.KindResourceTemplate, Name: "files", URI: "files://{+path}", Target: "files://docs/readme.md", Method: "resources/read"},
	} {
		b.Run(authz.KindLabel(d.Kind)+"/Redacted", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = d.Redacted()
			}
		})
		b.Run(authz.KindLabel(d.Kind)+"/Recorded", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = d.Recorded()
			}
		})
	}
}

// TestFailedCheckLogBounded: the log line of a check that failed names
// the component it was asked about as records hold it: a resource URI a
// client asked for (the component a middleware decides about when no
// component of the runtime serves the URI), or a tool name, of 3 MiB is
// cut, with the marker of the cut.
func TestFailedCheckLogBounded(t *testing.T) {
	long := strings.Repeat("a", 3<<20)
	failing := func(context.Context, authz.AuthContext) (bool, error) { return false, errors.New("store down") }
	for _, comp := range []*authz.Component{
		{Kind: authz.KindResource, Name: "files://host/" + long, URI: "files://host/" + long},
		{Kind: authz.KindTool, Name: long},
	} {
		log := captureLog(t)
		ac := authz.AuthContext{Component: comp}
		if ok, _ := authz.RunAuthChecks(context.Background(), ac, authz.AuthCheck(failing)); ok {
			t.Fatal("a failing check passed")
		}
		if ok, _ := authz.RunCallCheck(context.Background(), ac, "check(owns)", failing); ok {
			t.Fatal("a failing call check passed")
		}
		out := log.String()
		if n := strings.Count(out, " bytes truncated]"); n != 2 || len(out) > 2*(authz.MaxRecordedURI+300) {
			t.Errorf("%s: log of %d bytes, %d cut names:\n%.1000s", comp.Kind, len(out), n, out)
		}
	}
}
