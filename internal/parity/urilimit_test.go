package parity_test

import (
	"bytes"
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	mcpgoserver "github.com/mark3labs/mcp-go/server"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// limitServers serves, on each backend (in the order of backends), with
// the URI limit maxURI (0: the default), the resource templates
// files://{+path}, whose own check lets everyone in, and secret://{+path},
// whose own check lets no one in (hidden), both of which match URIs of
// any length; both checks count their calls in checked, so that a count
// of zero shows that no template matched. Decisions go to rec.
func limitServers(t *testing.T, maxURI int, checked *atomic.Int64, rec *recorder) [2]string {
	t.Helper()
	counted := func(allow bool) func(authz.AuthContext) (bool, error) {
		return func(authz.AuthContext) (bool, error) {
			checked.Add(1)
			return allow, nil
		}
	}
	readMCPGo := func(_ context.Context, req mcpgo.ReadResourceRequest) ([]mcpgo.ResourceContents, error) {
		return []mcpgo.ResourceContents{mcpgo.TextResourceContents{URI: req.Params.URI, Text: "read"}}, nil
	}
	readGoSDK := func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, Text: "read"}}}, nil
	}
	m := runtime.NewServer("limit", "1.0.0", runtime.WithMaxURIBytes(maxURI), runtime.WithDecisionHook(rec.hook),
		runtime.WithServerOptions(mcpgoserver.WithResourceCapabilities(true, true)))
	g := gosdk.NewServer(&mcp.Implementation{Name: "limit", Version: "1.0.0"}, &mcp.ServerOptions{
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
	}, gosdk.WithMaxURIBytes(maxURI), gosdk.WithDecisionHook(rec.hook))
	for _, tc := range []struct {
		template string
		allow    bool
	}{{"files://{+path}", true}, {"secret://{+path}", false}} {
		m.AddResourceTemplate(mcpgo.NewResourceTemplate(tc.template, tc.template), readMCPGo, runtime.WithAuth(runtime.Check(counted(tc.allow))))
		g.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: tc.template, Name: tc.template}, readGoSDK, gosdk.WithAuth(gosdk.Check(counted(tc.allow))))
	}
	return serveBackends(t, m, g)
}

// TestParityURILimit: resources/read, resources/subscribe and
// resources/unsubscribe of URIs of 3 MiB (within the 4 MiB a body may
// hold) are refused before any template is matched (no template's check
// runs): answered byte for byte alike whether a visible template would
// serve the URI, a hidden one would, or nothing would, with JSON-RPC
// error -32600 naming the limit, on both backends; each refusal is
// recorded as one decision, the same on both, naming the URI as
// authz.RecordedURI cuts it and the limit as its rule.
func TestParityURILimit(t *testing.T) {
	var checked atomic.Int64
	rec := new(recorder)
	servers := limitServers(t, 0, &checked, rec)
	long := strings.Repeat("a", 3<<20)
	uris := []string{"files://host/" + long, "secret://host/" + long, "none://host/" + long}
	want := mcpwire.Error{Code: -32600, Message: "resource URI longer than 8192 bytes"}
	for _, method := range []string{"resources/read", "resources/subscribe", "resources/unsubscribe"} {
		t.Run(method, func(t *testing.T) {
			var first []byte
			var got [2][]authz.Decision
			for i, url := range servers {
				s := mcpwire.Connect(t, url, "reader")
				for _, uri := range uris {
					rec.take()
					answer := s.Call(method, map[string]any{"uri": uri})
					s.Next-- // every answer has the same id
					decisions := rec.take()
					if first == nil {
						first = answer
						if e := mcpwire.ErrorOf(t, answer); e == nil || e.Code != want.Code || e.Message != want.Message {
							t.Errorf("%s %.20s…: answered %.300s, want error %+v", backends[i].name, uri, answer, want)
						}
					} else if !bytes.Equal(answer, first) {
						t.Errorf("%s %.20s…: answered\n%.300s\nwhere %s %.20s… answered\n%.300s", backends[i].name, uri, answer, backends[0].name, uris[0], first)
					}
					if len(decisions) != 1 {
						t.Fatalf("%s %.20s…: %d decisions, want 1", backends[i].name, uri, len(decisions))
					}
					d := decisions[0]
					if d.Allowed || d.Method != method || d.Kind != authz.KindResource || d.Target != authz.RecordedURI(uri) || d.Rule.String() != "limit max_uri_bytes(8192)" {
						t.Errorf("%s %.20s…: decision %.300v", backends[i].name, uri, d)
					}
					got[i] = append(got[i], d)
				}
			}
			if diff := cmp.Diff(got[0], got[1], cmpopts.IgnoreFields(authz.Decision{}, "Time", "Duration", "SessionID")); diff != "" {
				t.Errorf("decisions (-mcp-go +go-sdk):\n%.3000s", diff)
			}
			if n := checked.Swap(0); n != 0 {
				t.Errorf("template checks ran %d times: a template was matched", n)
			}
		})
	}
}

// TestParityURILimitOption: WithMaxURIBytes sets the limit on both
// backends: a URI of exactly that many bytes is read (its template's check
// runs), one byte more is refused naming the limit, alike.
func TestParityURILimitOption(t *testing.T) {
	var checked atomic.Int64
	servers := limitServers(t, 100, &checked, new(recorder))
	at := "files://" + strings.Repeat("a", 100-len("files://"))
	want := mcpwire.Error{Code: -32600, Message: "resource URI longer than 100 bytes"}
	for i, url := range servers {
		s := mcpwire.Connect(t, url, "reader")
		if e := mcpwire.ErrorOf(t, s.Call("resources/read", map[string]any{"uri": at})); e != nil {
			t.Errorf("%s: read of %d bytes: %+v", backends[i].name, len(at), e)
		}
		if n := checked.Swap(0); n != 1 {
			t.Errorf("%s: read of %d bytes: the template's check ran %d times, want once", backends[i].name, len(at), n)
		}
		if e := mcpwire.ErrorOf(t, s.Call("resources/read", map[string]any{"uri": at + "a"})); e == nil || e.Code != want.Code || e.Message != want.Message {
			t.Errorf("%s: read of %d bytes: %+v, want %+v", backends[i].name, len(at)+1, e, want)
		}
		if n := checked.Swap(0); n != 0 {
			t.Errorf("%s: read of %d bytes: the template's check ran %d times", backends[i].name, len(at)+1, n)
		}
	}
}
