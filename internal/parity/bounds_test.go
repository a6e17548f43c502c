package parity_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
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

// hostileURISize is the length of the URIs the bound tests send: as long
// as a server takes by default (authz.DefaultMaxURIBytes, with room for
// the scheme and host), four times what is recorded.
const hostileURISize = authz.DefaultMaxURIBytes - 64

// maxRecordedLine bounds a log line made of a hostile request: a URI cut
// to authz.MaxRecordedURI bytes appears in it at most twice (Target and
// Name of a template read), JSON-escaped, beside a few short attributes.
const maxRecordedLine = 3*authz.MaxRecordedURI + 1024

// failingCheck fails (an error, not a denial) for whoever asks: its
// failure is logged with the component it was asked about.
func failingCheck(authz.AuthContext) (bool, error) { return false, errors.New("store offline") }

// boundServers serves, on each backend (in the order of backends), the
// resource templates files://{+path} (scope read), broken://{+path}
// (whose handler fails, masked) and failing://{+path} (whose own check
// fails), which match URIs of any length, and the tool echo; without
// templates, a server that serves no resource (the tool alone). Every
// decision goes to rec and to LogDecisions writing JSON to log.
func boundServers(t *testing.T, templates bool, rec *recorder, log *syncBuffer) [2]string {
	t.Helper()
	hooks := []authz.DecisionHook{rec.hook, authz.LogDecisions(slog.New(slog.NewJSONHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})))}
	readMCPGo := func(_ context.Context, req mcpgo.ReadResourceRequest) ([]mcpgo.ResourceContents, error) {
		return []mcpgo.ResourceContents{mcpgo.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: "read " + req.Params.URI}}, nil
	}
	readGoSDK := func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "text/plain", Text: "read " + req.Params.URI}}}, nil
	}
	m := runtime.NewServer("bounds", "1.0.0", runtime.WithDecisionHook(hooks...), runtime.WithMaskErrorDetails(),
		runtime.WithServerOptions(mcpgoserver.WithResourceCapabilities(true, true)))
	g := gosdk.NewServer(&mcp.Implementation{Name: "bounds", Version: "1.0.0"}, &mcp.ServerOptions{
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
	}, gosdk.WithDecisionHook(hooks...), gosdk.WithMaskErrorDetails())
	m.AddTool(mcpgo.NewTool("echo"), func(context.Context, mcpgo.CallToolRequest) (*mcpgo.CallToolResult, error) {
		return mcpgo.NewToolResultText("echo"), nil
	})
	gosdk.AddTool(g, &mcp.Tool{Name: "echo"}, func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "echo"}}}, nil, nil
	})
	if templates {
		m.AddResourceTemplate(mcpgo.NewResourceTemplate("files://{+path}", "files"), readMCPGo, runtime.WithScopes("read"))
		m.AddResourceTemplate(mcpgo.NewResourceTemplate("broken://{+path}", "broken"), func(context.Context, mcpgo.ReadResourceRequest) ([]mcpgo.ResourceContents, error) {
			return nil, errors.New("disk failed")
		})
		m.AddResourceTemplate(mcpgo.NewResourceTemplate("failing://{+path}", "failing"), readMCPGo, runtime.WithAuth(runtime.Check(failingCheck)))
		g.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "files://{+path}", Name: "files"}, readGoSDK, gosdk.WithScopes("read"))
		g.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "broken://{+path}", Name: "broken"}, func(context.Context, *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return nil, errors.New("disk failed")
		})
		g.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "failing://{+path}", Name: "failing"}, readGoSDK, gosdk.WithAuth(gosdk.Check(failingCheck)))
	}
	return serveBackends(t, m, g)
}

// TestParityBoundedRecords: requests that carry a URI of 8 KiB (which a
// files://{+path} template matches, so that it is decided about) or a
// tool name of 3 MiB are answered as ever (the handler sees the URI as
// sent; a hidden URI, and an unknown tool, are answered byte for byte as
// on a server that serves no resource), while everything recorded of them
// on both backends is bounded: the decisions name the URI as
// authz.RecordedURI cuts it, and no line of LogDecisions, of a failing
// handler's log or of a failing check's log exceeds a few KiB. A password
// that runs past the cut is redacted all the same.
func TestParityBoundedRecords(t *testing.T) {
	var failureLog syncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&failureLog, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	rec, missingRec := new(recorder), new(recorder)
	var log, missingLog syncBuffer
	servers := boundServers(t, true, rec, &log)
	missing := boundServers(t, false, missingRec, &missingLog)

	// URIs as long as a server takes (longer ones are refused before
	// anything is decided: TestParityURILimit). Tool names of 3 MiB.
	long := strings.Repeat("a", hostileURISize)
	password := strings.Repeat("p", hostileURISize)
	name := strings.Repeat("t", 3<<20)
	files := "files://host/" + long
	for _, c := range []struct {
		name, token, method string
		params              map[string]any
		target              string // of each decision; "" for none
		rule                string
	}{
		{"read allowed", "reader", "resources/read", map[string]any{"uri": files}, authz.RecordedURI(files), ""},
		{"read hidden", "nobody", "resources/read", map[string]any{"uri": files}, authz.RecordedURI(files), "component scopes(read)"},
		{"subscribe hidden", "nobody", "resources/subscribe", map[string]any{"uri": files}, authz.RecordedURI(files), "component scopes(read)"},
		{"failing handler", "reader", "resources/read", map[string]any{"uri": "broken://host/" + long}, authz.RecordedURI("broken://host/" + long), ""},
		{"failing check", "reader", "resources/read", map[string]any{"uri": "failing://host/" + long}, authz.RecordedURI("failing://host/" + long), "component check #1 (failed)"},
		{"long password", "reader", "resources/read", map[string]any{"uri": "files://alice:" + password + "@host/a"}, "files://alice:xxxxx@host/a", ""},
		{"unknown tool", "reader", "tools/call", map[string]any{"name": name}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got [2][]authz.Decision
			for i, url := range servers {
				s := mcpwire.Connect(t, url, c.token)
				rec.take()
				answer := s.Call(c.method, c.params)
				got[i] = rec.take()
				if c.name == "read allowed" {
					if want := "read " + files; !bytes.Contains(answer, []byte(want)) {
						t.Errorf("%s: answer %.200s, want the handler to see the URI as sent", backends[i].name, answer)
					}
				}
				if c.token == "nobody" || c.method == "tools/call" {
					m := mcpwire.Connect(t, missing[i], c.token)
					if want := m.Call(c.method, c.params); !bytes.Equal(answer, want) {
						t.Errorf("%s: hidden answered\n%.300s\nmissing answered\n%.300s", backends[i].name, answer, want)
					}
				}
			}
			if diff := cmp.Diff(got[0], got[1], cmpopts.IgnoreFields(authz.Decision{}, "Time", "Duration", "SessionID"), cmpopts.EquateEmpty()); diff != "" && len(diff) < 100000 {
				t.Errorf("decisions (-mcp-go +go-sdk):\n%s", diff)
			} else if diff != "" {
				t.Errorf("decisions differ between the backends (%d bytes of diff)", len(diff))
			}
			for i := range got {
				if c.target == "" {
					if len(got[i]) != 0 {
						t.Errorf("%s: %d decisions, want none", backends[i].name, len(got[i]))
					}
					continue
				}
				if len(got[i]) != 1 {
					t.Fatalf("%s: %d decisions, want 1", backends[i].name, len(got[i]))
				}
				d := got[i][0]
				if d.Target != c.target || d.Rule.String() != c.rule {
					t.Errorf("%s: decision of target %.60q… (%d bytes), rule %q; want %.60q… (%d bytes), rule %q",
						backends[i].name, d.Target, len(d.Target), d.Rule, c.target, len(c.target), c.rule)
				}
				if n := len(fmt.Sprintf("%#v", d)); n > maxRecordedLine || strings.Contains(d.Target, "ppppp") {
					t.Errorf("%s: the decision holds %d bytes, or the password: %.200s", backends[i].name, n, d)
				}
			}
		})
	}
	for name, out := range map[string]string{"LogDecisions": log.String(), "failure log": failureLog.String()} {
		for line := range strings.Lines(out) {
			if len(line) > maxRecordedLine || strings.Contains(line, "ppppp") {
				t.Errorf("%s: a line of %d bytes: %.200s…", name, len(line), line)
			}
		}
	}
	// The failures were logged once per backend: the failing handler's
	// naming the URI cut (with the marker of the cut), the failing check's
	// naming the template.
	for _, want := range []string{
		`msg="mcpauthgen: handler failed" kind=resource name="` + authz.RecordedURI("broken://host/"+long) + `"`,
		`msg="mcpauthgen: authorization check failed; access denied"`,
	} {
		if n := strings.Count(failureLog.String(), want); n != 2 {
			t.Errorf("the failure log holds %.80q… %d times, want once per backend:\n%.2000s", want, n, failureLog.String())
		}
	}
}

// serveBackends serves m and g over HTTP with the static verifier of
// tokens, returning their URLs in the order of backends.
func serveBackends(t *testing.T, m *runtime.Server, g *gosdk.Server) [2]string {
	t.Helper()
	var urls [2]string
	for i, h := range []http.Handler{
		m.HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(tokens))),
		g.HTTPHandler(gosdk.WithTokenVerifier(gosdk.NewStaticTokenVerifier(tokens))),
	} {
		ts := httptest.NewServer(h)
		t.Cleanup(ts.Close)
		urls[i] = ts.URL
	}
	return urls
}
