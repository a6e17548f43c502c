package authz_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

var redactCases = []struct{ uri, want string }{
	{"notes://alice:hunter2@host/a", "notes://alice:xxxxx@host/a"},
	{"https://alice:hunter2@example.com:8443/x?q=1#f", "https://alice:xxxxx@example.com:8443/x?q=1#f"},
	{"s3://key:se:cr:et@bucket/obj", "s3://key:xxxxx@bucket/obj"},        // the password runs from the first ":"
	{"s3://key:p@ss@bucket/obj", "s3://key:xxxxx@bucket/obj"},            // the userinfo ends at the last "@"
	{"notes://alice:@host/a", "notes://alice:xxxxx@host/a"},              // an empty password too, as url.URL.Redacted
	{"notes://alice:hunter2@host", "notes://alice:xxxxx@host"},           // no path
	{"notes://alice:hunter2@host?x=@y", "notes://alice:xxxxx@host?x=@y"}, // the query is not the authority
	{"//alice:hunter2@host/a", "//alice:xxxxx@host/a"},
	{"notes://alice:hunter2@host/%zz", "notes://alice:xxxxx@host/%zz"},         // url.Parse refuses it
	{"notes://alice:hunter2@bad host/a b", "notes://alice:xxxxx@bad host/a b"}, // likewise
	{"notes://alice:xxxxx@host/a", "notes://alice:xxxxx@host/a"},
	{"notes://alice@host/a", "notes://alice@host/a"}, // a user name alone is kept
	{"notes://host/a@b:c", "notes://host/a@b:c"},     // "@" in the path
	{"notes://host/a?u=alice:pw@h", "notes://host/a?u=alice:pw@h"},
	{"mailto:alice:pw@example.com", "mailto:alice:pw@example.com"}, // no authority
	{"1notes://alice:pw@host", "1notes://alice:pw@host"},           // not a scheme
	{"users://{id}/profile", "users://{id}/profile"},
	{"", ""},
}

func TestRedactURI(t *testing.T) {
	for _, tc := range redactCases {
		if got := authz.RedactURI(tc.uri); got != tc.want {
			t.Errorf("RedactURI(%q) = %q, want %q", tc.uri, got, tc.want)
		}
	}
}

// TestRedactURIAsURL: for every URI that net/url parses and writes back
// unchanged, RedactURI agrees with url.URL.Redacted.
func TestRedactURIAsURL(t *testing.T) {
	n := 0
	for _, tc := range redactCases {
		u, err := url.Parse(tc.uri)
		if err != nil || u.String() != tc.uri {
			continue
		}
		n++
		if got, want := authz.RedactURI(tc.uri), u.Redacted(); got != want {
			t.Errorf("RedactURI(%q) = %q, url.URL.Redacted %q", tc.uri, got, want)
		}
	}
	if n < 8 {
		t.Fatalf("only %d cases compared", n)
	}
}

// FuzzRedactURI: whatever a client sends, the password url.Parse would
// find is not in what RedactURI returns, and a URI net/url writes back
// unchanged is redacted as url.URL.Redacted redacts it.
func FuzzRedactURI(f *testing.F) {
	for _, tc := range redactCases {
		f.Add(tc.uri)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		got := authz.RedactURI(uri)
		if authz.RedactURI(got) != got {
			t.Errorf("RedactURI(%q) = %q, which RedactURI changes again", uri, got)
		}
		u, err := url.Parse(uri)
		if err != nil || u.User == nil {
			return
		}
		if _, ok := u.User.Password(); ok {
			r, err := url.Parse(got)
			if err != nil {
				t.Fatalf("RedactURI(%q) = %q, which url.Parse refuses: %v", uri, got, err)
			}
			if pw, _ := r.User.Password(); pw != authz.RedactedPassword {
				t.Errorf("RedactURI(%q) = %q, whose password is %q", uri, got, pw)
			}
		}
		if u.String() == uri {
			if want := u.Redacted(); got != want {
				t.Errorf("RedactURI(%q) = %q, url.URL.Redacted %q", uri, got, want)
			}
		}
	})
}

func BenchmarkRedactURI(b *testing.B) {
	for _, uri := range []string{"users://alice/profile", "users://alice:hunter2@host/profile"} {
		b.Run(uri, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = authz.RedactURI(uri)
			}
		})
	}
}

// TestFailedCheckLogRedactsURI: the log line of a check that failed names
// a resource by its URI, which can be the one a client asked for (the
// component a middleware decides about when no component of the runtime
// serves the URI), with its password redacted.
func TestFailedCheckLogRedactsURI(t *testing.T) {
	log := captureLog(t)
	ctx := context.Background()
	const uri = "files://alice:hunter2@host/a"
	ac := authz.AuthContext{Component: &authz.Component{Kind: authz.KindResource, Name: uri, URI: uri}}
	failing := func(context.Context, authz.AuthContext) (bool, error) { return false, errors.New("store down") }
	panicking := func(context.Context, authz.AuthContext) (bool, error) { panic("store gone") }
	if ok, _ := authz.RunAuthChecks(ctx, ac, authz.AuthCheck(failing)); ok {
		t.Fatal("a failing check passed")
	}
	if ok, _ := authz.RunCallCheck(ctx, ac, "check(owns)", failing); ok {
		t.Fatal("a failing call check passed")
	}
	if ok, _ := authz.RunCallCheck(ctx, ac, "check(owns)", panicking); ok {
		t.Fatal("a panicking call check passed")
	}
	if out := log.String(); strings.Contains(out, "hunter2") || strings.Count(out, "files://alice:xxxxx@host/a") != 3 {
		t.Errorf("log:\n%s", out)
	}
}

// TestDecisionRedacted: a decision about a resource holds its URIs
// redacted (the one asked for, and a declared one, which the server
// wrote); names of tools and prompts are not URIs and stay as they are.
func TestDecisionRedacted(t *testing.T) {
	for _, tc := range []struct{ in, want authz.Decision }{
		{
			authz.Decision{Kind: authz.KindResourceTemplate, Name: "files", URI: "files://{+path}", Target: "files://alice:pw@host/a"},
			authz.Decision{Kind: authz.KindResourceTemplate, Name: "files", URI: "files://{+path}", Target: "files://alice:xxxxx@host/a"},
		},
		{
			authz.Decision{Kind: authz.KindResource, Name: "https://bot:pw@example.com/feed", URI: "https://bot:pw@example.com/feed", Target: "https://bot:pw@example.com/feed"},
			authz.Decision{Kind: authz.KindResource, Name: "https://bot:xxxxx@example.com/feed", URI: "https://bot:xxxxx@example.com/feed", Target: "https://bot:xxxxx@example.com/feed"},
		},
		{
			authz.Decision{Kind: authz.KindTool, Name: "//a:b@c", Target: "//a:b@c"},
			authz.Decision{Kind: authz.KindTool, Name: "//a:b@c", Target: "//a:b@c"},
		},
	} {
		if diff := cmp.Diff(tc.want, tc.in.Redacted()); diff != "" {
			t.Errorf("Redacted (-want +got):\n%s", diff)
		}
	}
}
