package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// completer completes any prompt or template it knows with values that
// name it, and fails for others, as a provider written without
// authorization in mind would.
type completer struct{}

func (completer) CompletePromptArgument(_ context.Context, name string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	if name == "absent_prompt" {
		return nil, fmt.Errorf("no prompt %s", name)
	}
	return &mcp.Completion{Values: []string{"secret value of " + name}}, nil
}

func (completer) CompleteResourceArgument(_ context.Context, uri string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	if strings.HasPrefix(uri, "absent") {
		return nil, fmt.Errorf("no template %s", uri)
	}
	return &mcp.Completion{Values: []string{"secret value of " + uri}}, nil
}

// subscribed holds the URIs the subscribe hook of sidewaysServer saw.
var subscribed sync.Map

// sidewaysServer is the fixture with completions, subscriptions, a hidden
// template that sorts before a visible one matching the same URIs, and a
// hidden tool whose region parameter is bound to a header.
func sidewaysServer(opts ...runtime.Option) *runtime.Server {
	opts = append(opts, runtime.WithServerOptions(
		server.WithCompletions(),
		server.WithPromptCompletionProvider(completer{}),
		server.WithResourceCompletionProvider(completer{}),
		server.WithResourceCapabilities(true, true),
		server.WithCacheHints(60000, mcp.CacheScopePublic)))
	srv := fixture(opts...)
	// What a server that tracks subscriptions records (mcp-go leaves that
	// to hooks): the runtime must never let it see a URI the caller may
	// not read.
	srv.MCP().GetHooks().AddBeforeSubscribe(func(_ context.Context, _ any, req *mcp.SubscribeRequest) {
		subscribed.Store(req.Params.URI, true)
	})
	doc := func(tmpl string, opts ...runtime.ComponentOption) {
		srv.AddResourceTemplate(mcp.NewResourceTemplate(tmpl, tmpl), func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "served by " + tmpl}}, nil
		}, opts...)
	}
	doc("docs://{id}", runtime.WithScopes("admin"))
	doc("docs://{name}")
	srv.AddTool(mcp.NewToolWithRawSchema("regional", "", json.RawMessage(`{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"}}}`)),
		func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText("regional ok"), nil
		}, runtime.WithScopes("admin"))
	return srv
}

// TestNothingHiddenSideways compares, over Streamable HTTP, the whole
// answer for a hidden component with the one for a missing component, for
// every request that names a component without being its list, call, read
// or get: completions, subscriptions, and calls with header-bound
// parameters; in both protocol eras, with and without middleware.
func TestNothingHiddenSideways(t *testing.T) {
	for _, mw := range []bool{false, true} {
		for _, modern := range []bool{false, true} {
			for _, hooked := range []bool{false, true} {
				t.Run(fmt.Sprintf("middleware=%v/modern=%v/decision-hooks=%v", mw, modern, hooked), func(t *testing.T) {
					var opts []runtime.Option
					if hooked {
						// Deciding for decision hooks takes other paths: the
						// answers must not change.
						opts = append(opts, runtime.WithDecisionHook(func(context.Context, runtime.Decision) {}))
					}
					if mw {
						opts = append(opts, runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))))
					}
					srv := sidewaysServer(opts...)
					ts := httptest.NewServer(srv.HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(principalTokens))))
					defer ts.Close()
					s := newHTTPSession(t, ts.URL+"/mcp", "bob", modern)
					// Another principal with the same scopes, on its own session:
					// whatever it is told, bob is told byte for byte.
					other := newHTTPSession(t, ts.URL+"/mcp", "carol", modern)
					complete := func(ref map[string]any) map[string]any {
						return map[string]any{"ref": ref, "argument": map[string]any{"name": "x", "value": ""}}
					}
					for _, c := range []struct {
						method          string
						hidden, missing map[string]any
						replace         [2]string
					}{
						{"completion/complete", complete(map[string]any{"type": "ref/prompt", "name": "admin_prompt"}), complete(map[string]any{"type": "ref/prompt", "name": "absent_prompt"}), [2]string{"absent_prompt", "admin_prompt"}},
						{"completion/complete", complete(map[string]any{"type": "ref/resource", "uri": "docs://{id}"}), complete(map[string]any{"type": "ref/resource", "uri": "absent://{id}"}), [2]string{"absent://{id}", "docs://{id}"}},
						{"completion/complete", complete(map[string]any{"type": "ref/resource", "uri": "admin://config"}), complete(map[string]any{"type": "ref/resource", "uri": "absent://config"}), [2]string{"absent://config", "admin://config"}},
						{"resources/subscribe", map[string]any{"uri": "admin://config"}, map[string]any{"uri": "absent://config"}, [2]string{"absent://config", "admin://config"}},
						{"resources/unsubscribe", map[string]any{"uri": "admin://config"}, map[string]any{"uri": "absent://config"}, [2]string{"absent://config", "admin://config"}},
						{"tools/call", map[string]any{"name": "regional", "arguments": map[string]any{"region": "eu"}}, map[string]any{"name": "absent_tool", "arguments": map[string]any{"region": "eu"}}, [2]string{"absent_tool", "regional"}},
					} {
						hidden := s.post(c.method, c.hidden)
						missing := s.post(c.method, c.missing)
						if diff := cmp.Diff(other.post(c.method, c.hidden), hidden); diff != "" {
							t.Errorf("%s %v: answers differ between principals (-carol +bob):\n%s", c.method, c.hidden, diff)
						}
						missing.Body = strings.ReplaceAll(missing.Body, c.replace[0], c.replace[1])
						if diff := cmp.Diff(missing, hidden); diff != "" {
							t.Errorf("%s %v: hidden answers unlike missing (-missing +hidden):\n%s", c.method, c.hidden, diff)
						}
						if strings.Contains(hidden.Body, "secret") || strings.Contains(hidden.Body, "Region") {
							t.Errorf("%s %v: %s", c.method, c.hidden, hidden.Body)
						}
					}
					for _, uri := range []string{"admin://config", "absent://config"} {
						if _, ok := subscribed.Load(uri); ok {
							t.Errorf("a subscription hook saw %s, which bob may not read", uri)
						}
					}
					// What bob may use still works.
					for _, c := range []struct {
						method string
						params map[string]any
						want   string
					}{
						{"completion/complete", complete(map[string]any{"type": "ref/prompt", "name": "public_prompt"}), "secret value of public_prompt"},
						{"completion/complete", complete(map[string]any{"type": "ref/resource", "uri": "users://{id}/profile"}), "secret value of users://{id}/profile"},
						{"resources/subscribe", map[string]any{"uri": "secret://data"}, `"result":{`},
						{"resources/subscribe", map[string]any{"uri": "users://7/profile"}, `"result":{`},
						{"resources/unsubscribe", map[string]any{"uri": "secret://data"}, `"result":{`},
						// A hidden template does not shadow a visible one.
						{"resources/read", map[string]any{"uri": "docs://readme"}, "served by docs://{name}"},
					} {
						if modern && strings.HasPrefix(c.method, "resources/") && strings.HasSuffix(c.method, "subscribe") {
							// Removed in 2026-07-28, for every URI alike.
							c.want = "was removed in protocol version"
							if got := s.post(c.method, c.params); !strings.Contains(got.Body, c.want) {
								t.Errorf("%s %v: %+v, want %q", c.method, c.params, got, c.want)
							}
							continue
						}
						if got := s.post(c.method, c.params); got.Status != http.StatusOK || !strings.Contains(got.Body, c.want) {
							t.Errorf("%s %v: %+v, want %q", c.method, c.params, got, c.want)
						}
					}
				})
			}
		}
	}
}

// TestListsNeverPublic: lists and reads depend on who asks, so they are
// marked cacheScope "private" even when the server was given public cache
// hints; legacy answers carry no cache hints at all.
func TestListsNeverPublic(t *testing.T) {
	srv := sidewaysServer()
	ts := httptest.NewServer(srv.HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(principalTokens))))
	defer ts.Close()
	for _, modern := range []bool{false, true} {
		s := newHTTPSession(t, ts.URL+"/mcp", "bob", modern)
		for _, c := range []struct {
			method string
			params map[string]any
		}{
			{"tools/list", nil},
			{"prompts/list", nil},
			{"resources/list", nil},
			{"resources/templates/list", nil},
			{"resources/read", map[string]any{"uri": "secret://data"}},
		} {
			got := s.post(c.method, c.params)
			var msg struct {
				Result map[string]json.RawMessage `json:"result"`
			}
			if err := json.Unmarshal([]byte(got.Body), &msg); err != nil || msg.Result == nil {
				t.Fatalf("%s: %+v", c.method, got)
			}
			scope, ttl := string(msg.Result["cacheScope"]), string(msg.Result["ttlMs"])
			want := [2]string{`"private"`, "0"}
			if !modern {
				want = [2]string{"", ""}
			}
			if [2]string{scope, ttl} != want {
				t.Errorf("modern=%v %s: cacheScope %s ttlMs %s, want %s %s", modern, c.method, scope, ttl, want[0], want[1])
			}
		}
	}
}

// TestNothingHiddenSidewaysInProcess: the in-process entry (HandleMessage,
// as package runtimetest uses it) refuses completions and subscriptions of
// hidden components exactly as for missing ones, too.
func TestNothingHiddenSidewaysInProcess(t *testing.T) {
	srv := sidewaysServer()
	c := connect(t, srv)
	ctx := as(tokRead)
	complete := func(ref map[string]any) map[string]any {
		return map[string]any{"ref": ref, "argument": map[string]any{"name": "x", "value": ""}}
	}
	for _, tc := range []struct {
		method          string
		hidden, missing map[string]any
		replace         [2]string
	}{
		{"completion/complete", complete(map[string]any{"type": "ref/prompt", "name": "admin_prompt"}), complete(map[string]any{"type": "ref/prompt", "name": "absent_prompt"}), [2]string{"absent_prompt", "admin_prompt"}},
		{"completion/complete", complete(map[string]any{"type": "ref/resource", "uri": "docs://{id}"}), complete(map[string]any{"type": "ref/resource", "uri": "absent://{id}"}), [2]string{"absent://{id}", "docs://{id}"}},
		{"resources/subscribe", map[string]any{"uri": "admin://config"}, map[string]any{"uri": "absent://config"}, [2]string{"absent://config", "admin://config"}},
	} {
		hidden := rawCall(t, c, ctx, tc.method, tc.hidden)
		missing := strings.ReplaceAll(rawCall(t, c, ctx, tc.method, tc.missing), tc.replace[0], tc.replace[1])
		if hidden != missing || strings.Contains(hidden, "secret") {
			t.Errorf("%s %v:\n hidden  %s\n missing %s", tc.method, tc.hidden, hidden, missing)
		}
	}
	if got := rawCall(t, c, ctx, "completion/complete", complete(map[string]any{"type": "ref/prompt", "name": "public_prompt"})); !strings.Contains(got, "secret value of public_prompt") {
		t.Errorf("completion of a visible prompt: %s", got)
	}
}

// TestSubscribeReadsProtocolAsMCPGo: a _meta key that names protocol
// 2026-07-28 in another case is no protocol version to mcp-go, which
// serves the subscription; the runtime must not take it for a modern
// request and let the subscription of a hidden URI through.
func TestSubscribeReadsProtocolAsMCPGo(t *testing.T) {
	srv := sidewaysServer()
	c := connect(t, srv)
	ctx := as(tokRead)
	meta := map[string]any{"IO.MODELCONTEXTPROTOCOL/PROTOCOLVERSION": "2026-07-28"}
	hidden := rawCall(t, c, ctx, "resources/subscribe", map[string]any{"uri": "admin://config", "_meta": meta})
	missing := strings.ReplaceAll(rawCall(t, c, ctx, "resources/subscribe", map[string]any{"uri": "absent://config", "_meta": meta}), "absent://config", "admin://config")
	if hidden != missing {
		t.Errorf("subscribe with a case-changed protocol key:\n hidden  %s\n missing %s", hidden, missing)
	}
	if _, ok := subscribed.Load("admin://config"); ok {
		t.Error("a subscription hook saw admin://config, which the caller may not read")
	}
}

// TestTargetReadDespiteBadMeta: a _meta that mcp-go's decoding of the
// message ignores or refuses does not keep the runtime from reading what
// the request targets: a completion of a hidden prompt whose _meta is not
// an object answers as for a missing prompt.
func TestTargetReadDespiteBadMeta(t *testing.T) {
	srv := sidewaysServer()
	c := connect(t, srv)
	ctx := as(tokRead)
	for _, meta := range []any{"x", 5, []any{1}} {
		params := func(name string) map[string]any {
			return map[string]any{"_meta": meta, "ref": map[string]any{"type": "ref/prompt", "name": name}, "argument": map[string]any{"name": "x", "value": ""}}
		}
		hidden := rawCall(t, c, ctx, "completion/complete", params("admin_prompt"))
		missing := strings.ReplaceAll(rawCall(t, c, ctx, "completion/complete", params("absent_prompt")), "absent_prompt", "admin_prompt")
		if hidden != missing || strings.Contains(hidden, "secret") {
			t.Errorf("completion with _meta %v:\n hidden  %s\n missing %s", meta, hidden, missing)
		}
	}
}
