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
	"sync"
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

// The password of the URIs the redaction tests send: it must reach the
// handlers and the answers as sent, and nothing that is recorded.
const uriPassword = "hunter2"

// credentialServers serves, on each backend (in the order of backends),
// the resource templates files://{+path} (scope read) and
// broken://{+path} (whose handler fails, masked), which match URIs with
// userinfo; without templates, a server that serves no resource. Every
// decision goes to rec and to LogDecisions writing JSON to log.
func credentialServers(t *testing.T, templates bool, rec *recorder, log *syncBuffer) [2]string {
	t.Helper()
	hooks := []authz.DecisionHook{rec.hook, authz.LogDecisions(slog.New(slog.NewJSONHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})))}
	readMCPGo := func(ctx context.Context, req mcpgo.ReadResourceRequest) ([]mcpgo.ResourceContents, error) {
		return []mcpgo.ResourceContents{mcpgo.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: "read " + req.Params.URI}}, nil
	}
	readGoSDK := func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "text/plain", Text: "read " + req.Params.URI}}}, nil
	}

	m := runtime.NewServer("redact", "1.0.0", runtime.WithDecisionHook(hooks...), runtime.WithMaskErrorDetails(),
		runtime.WithServerOptions(mcpgoserver.WithResourceCapabilities(true, true)))
	g := gosdk.NewServer(&mcp.Implementation{Name: "redact", Version: "1.0.0"}, &mcp.ServerOptions{
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
	}, gosdk.WithDecisionHook(hooks...), gosdk.WithMaskErrorDetails())
	if templates {
		m.AddResourceTemplate(mcpgo.NewResourceTemplate("files://{+path}", "files"), readMCPGo, runtime.WithScopes("read"))
		m.AddResourceTemplate(mcpgo.NewResourceTemplate("broken://{+path}", "broken"), func(context.Context, mcpgo.ReadResourceRequest) ([]mcpgo.ResourceContents, error) {
			return nil, errors.New("disk failed")
		})
		g.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "files://{+path}", Name: "files"}, readGoSDK, gosdk.WithScopes("read"))
		g.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "broken://{+path}", Name: "broken"}, func(context.Context, *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return nil, errors.New("disk failed")
		})
	}
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

// syncBuffer is a bytes.Buffer for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestParityRedactedURIs: a resource URI that carries a password is
// recorded with the password replaced by xxxxx, on both backends, in the
// decisions (allowed, hidden, subscriptions), in the log lines of
// LogDecisions and in the log of a failing handler; the handler and the
// client see the URI as sent, and a hidden URI is still answered byte for
// byte as a URI nothing serves.
func TestParityRedactedURIs(t *testing.T) {
	const (
		uri      = "files://alice:" + uriPassword + "@host/a"
		redacted = "files://alice:xxxxx@host/a"
		broken   = "broken://alice:" + uriPassword + "@host/a"
	)
	var handlerLog syncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&handlerLog, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	rec, missingRec := new(recorder), new(recorder)
	var log, missingLog syncBuffer
	servers := credentialServers(t, true, rec, &log)
	missing := credentialServers(t, false, missingRec, &missingLog)
	uriParam := map[string]any{"uri": uri}
	for _, c := range []struct {
		name, token, method string
		params              map[string]any
		want                []string
	}{
		{"read allowed", "reader", "resources/read", uriParam, []string{`resources/read resource template "` + redacted + `" client=reader: allowed`}},
		{"read hidden", "nobody", "resources/read", uriParam, []string{`resources/read resource template "` + redacted + `" client=nobody: denied by component scopes(read)`}},
		{"subscribe", "reader", "resources/subscribe", uriParam, []string{`resources/subscribe resource template "` + redacted + `" client=reader: allowed`}},
		{"subscribe hidden", "nobody", "resources/subscribe", uriParam, []string{`resources/subscribe resource template "` + redacted + `" client=nobody: denied by component scopes(read)`}},
		{"failing handler", "reader", "resources/read", map[string]any{"uri": broken}, []string{`resources/read resource template "broken://alice:xxxxx@host/a" client=reader: allowed`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got [2][]authz.Decision
			for i, url := range servers {
				s := mcpwire.Connect(t, url, c.token)
				rec.take()
				answer := s.Call(c.method, c.params)
				got[i] = rec.take()
				switch {
				case c.name == "read allowed":
					if want := "read " + uri; !strings.Contains(string(answer), want) {
						t.Errorf("%s: answer %s, want the handler to see %q", backends[i].name, answer, uri)
					}
				case c.token == "nobody":
					m := mcpwire.Connect(t, missing[i], c.token)
					if want := m.Call(c.method, c.params); !bytes.Equal(answer, want) {
						t.Errorf("%s: hidden answered\n%s\nmissing answered\n%s", backends[i].name, answer, want)
					}
				}
			}
			if diff := cmp.Diff(got[0], got[1], cmpopts.IgnoreFields(authz.Decision{}, "Time", "Duration", "SessionID"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decisions (-mcp-go +go-sdk):\n%s", diff)
			}
			for i := range got {
				var strs []string
				for _, d := range got[i] {
					strs = append(strs, d.String())
					if s := fmt.Sprintf("%#v", d); strings.Contains(s, uriPassword) {
						t.Errorf("%s: the decision holds the password: %s", backends[i].name, s)
					}
				}
				if diff := cmp.Diff(c.want, strs, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s: decisions (-want +got):\n%s", backends[i].name, diff)
				}
			}
		})
	}
	for name, out := range map[string]string{"LogDecisions": log.String(), "handler failure log": handlerLog.String()} {
		if strings.Contains(out, uriPassword) {
			t.Errorf("%s holds the password:\n%s", name, out)
		}
	}
	if !strings.Contains(log.String(), `"mcp.authz.target":"`+redacted+`"`) {
		t.Errorf("LogDecisions lacks the redacted target:\n%s", log.String())
	}
	if n := strings.Count(handlerLog.String(), "broken://alice:xxxxx@host/a"); n != 2 {
		t.Errorf("handler failure log names the redacted URI %d times, want once per backend:\n%s", n, handlerLog.String())
	}
}
