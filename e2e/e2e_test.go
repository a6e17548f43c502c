// Package e2e_test drives mcpauthgen servers over Streamable HTTP with
// clients we did not write: the MCP TypeScript SDK (client/client.mjs) and
// the MCP conformance suite (conformance/). Both need Node.js; the tests skip
// when node is not on PATH and install the pinned npm packages themselves
// (npm ci) when they are missing.
package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// The callers of the fixture: a token per access level.
var tokens = map[string]runtime.AccessToken{
	"guest-token":  {ClientID: "guest-app"},
	"reader-token": {ClientID: "reader-app", Scopes: []string{"read"}},
	"writer-token": {ClientID: "writer-app", Scopes: []string{"read", "write"}},
	"admin-token":  {ClientID: "admin-app", Scopes: []string{"read", "write", "admin"}},
	// reader-app again, refreshed with more scopes: the same principal.
	"reader-admin-token": {ClientID: "reader-app", Scopes: []string{"read", "write", "admin"}},
	"expired-token": {ClientID: "admin-app", Scopes: []string{"read", "write", "admin"},
		ExpiresAt: time.Now().Add(-time.Hour)},
}

// frozenMessage is the AuthorizationError of the frozen middleware, which
// must reach clients verbatim.
const frozenMessage = "frozen_tool is frozen for maintenance"

// fixture builds the server under test:
//
//	tools      public_tool, read_tool (scopes read), write_tool (scopes write,
//	           argument text), admin_tool (scopes admin, tag admin),
//	           tagged_tool (tag admin, no checks), frozen_tool (tag frozen, no
//	           checks), owner_tool (check: client writer-app), whoami
//	resources  public://info, secret://data (read), admin://config (admin,
//	           tag admin), ops://status (tag admin, no checks)
//	templates  users://{id}/profile (read)
//	prompts    public_prompt, greet (read, argument name), admin_prompt
//	           (admin, tag admin), ops_prompt (tag admin, no checks)
//
// Every handler reports the caller it sees (runtime.AccessTokenFromContext).
func fixture(opts ...runtime.Option) *runtime.Server {
	opts = append([]runtime.Option{runtime.WithServerOptions(server.WithResourceCapabilities(true, false))}, opts...)
	srv := runtime.NewServer("e2e-fixture", "1.2.3", opts...)

	text := func(name string) server.ToolHandlerFunc {
		return func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText(name + " ok"), nil
		}
	}
	srv.AddTool(mcp.NewTool("public_tool", mcp.WithDescription("Anyone may call it.")), text("public_tool"))
	srv.AddTool(mcp.NewTool("read_tool"), text("read_tool"), runtime.WithScopes("read"))
	srv.AddTool(mcp.NewTool("write_tool", mcp.WithString("text", mcp.Required())),
		func(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText("write_tool ok: " + req.GetString("text", "")), nil
		}, runtime.WithScopes("write"))
	srv.AddTool(mcp.NewTool("admin_tool"), text("admin_tool"), runtime.WithScopes("admin"), runtime.WithTags("admin"))
	srv.AddTool(mcp.NewTool("tagged_tool"), text("tagged_tool"), runtime.WithTags("admin"))
	srv.AddTool(mcp.NewTool("frozen_tool"), text("frozen_tool"), runtime.WithTags("frozen"))
	srv.AddTool(mcp.NewTool("owner_tool"), text("owner_tool"), runtime.WithAuth(runtime.Check(
		func(ac runtime.AuthContext) bool { return ac.Token != nil && ac.Token.ClientID == "writer-app" })))
	srv.AddTool(mcp.NewTool("whoami"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(caller(ctx)), nil
	})

	resource := func(uri string, opts ...runtime.ComponentOption) {
		srv.AddResource(mcp.NewResource(uri, strings.ReplaceAll(uri, "://", "_"), mcp.WithMIMEType("text/plain")),
			func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
				return []mcp.ResourceContents{mcp.TextResourceContents{
					URI: req.Params.URI, MIMEType: "text/plain", Text: uri + " for " + caller(ctx),
				}}, nil
			}, opts...)
	}
	resource("public://info")
	resource("secret://data", runtime.WithScopes("read"))
	resource("admin://config", runtime.WithScopes("admin"), runtime.WithTags("admin"))
	resource("ops://status", runtime.WithTags("admin"))

	srv.AddResourceTemplate(mcp.NewResourceTemplate("users://{id}/profile", "user_profile", mcp.WithTemplateMIMEType("text/plain")),
		func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{
				URI: req.Params.URI, MIMEType: "text/plain",
				Text: fmt.Sprintf("profile %s for %s", templateVar(req, "id"), caller(ctx)),
			}}, nil
		}, runtime.WithScopes("read"))

	prompt := func(name string, opts ...runtime.ComponentOption) {
		srv.AddPrompt(mcp.NewPrompt(name), func(ctx context.Context, _ mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return promptResult(name + " for " + caller(ctx)), nil
		}, opts...)
	}
	prompt("public_prompt")
	srv.AddPrompt(mcp.NewPrompt("greet", mcp.WithArgument("name", mcp.RequiredArgument())),
		func(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return promptResult(fmt.Sprintf("Hello, %s (for %s)", req.Params.Arguments["name"], caller(ctx))), nil
		}, runtime.WithScopes("read"))
	prompt("admin_prompt", runtime.WithScopes("admin"), runtime.WithTags("admin"))
	prompt("ops_prompt", runtime.WithTags("admin"))
	return srv
}

// middleware is the server-wide layer of the "middleware" variant: tag admin
// needs scope admin (FastMCP's restrict_tag), and anything tagged frozen is
// refused with an AuthorizationError whose message clients must see.
func middleware() runtime.Option {
	frozen := runtime.Check(func(ac runtime.AuthContext) (bool, error) {
		if ac.Component.HasTag("frozen") {
			return false, &runtime.AuthorizationError{Message: frozenMessage}
		}
		return true, nil
	})
	return runtime.WithMiddleware(
		runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin")),
		runtime.AuthMiddleware(frozen))
}

// caller describes the token a handler sees.
func caller(ctx context.Context) string {
	t := runtime.AccessTokenFromContext(ctx)
	if t == nil {
		return "anonymous"
	}
	return fmt.Sprintf("client=%s scopes=[%s]", t.ClientID, strings.Join(t.Scopes, " "))
}

func promptResult(text string) *mcp.GetPromptResult {
	return mcp.NewGetPromptResult("", []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text))})
}

// templateVar returns a template variable of a read; mcp-go passes each as
// the list of its values.
func templateVar(req mcp.ReadResourceRequest, name string) string {
	switch v := req.Params.Arguments[name].(type) {
	case []string:
		return strings.Join(v, ",")
	case string:
		return v
	}
	return fmt.Sprint(req.Params.Arguments[name])
}

// serve serves srv with the static verifier of tokens (and opts) at /mcp of
// a local HTTP server, with its RFC 9728 metadata at
// /.well-known/oauth-protected-resource/mcp, and returns the server's base
// URL.
func serve(t *testing.T, srv *runtime.Server, opts ...runtime.HTTPOption) string {
	t.Helper()
	h := srv.HTTPHandler(append([]runtime.HTTPOption{runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(tokens))}, opts...)...)
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	mux.Handle("/.well-known/oauth-protected-resource/mcp", h)
	ts := httptest.NewServer(mux) // listens on 127.0.0.1
	t.Cleanup(ts.Close)
	return ts.URL
}

// A probe is one targeted operation of the authorization runs. kind and
// target say what it reaches (a tool or prompt name, a resource URI); a
// hidden target's answer is compared to that of its kind's missingProbe.
type probe struct {
	id, kind, target string
	op               op
	ok               func(caller string) string // the answer when allowed
}

const (
	missingTool     = "call no_such_tool"
	missingResource = "read nothing://here"
	missingPrompt   = "prompt no_such_prompt"
	missingSub      = "subscribe nothing://here"
)

func toolProbe(name string, args map[string]any, ok func(string) string) probe {
	if ok == nil {
		ok = func(string) string { return "ok: " + name + " ok" }
	}
	return probe{"call " + name, "tool", name, op{"op": "callTool", "name": name, "args": args}, ok}
}

func readProbe(uri string, ok func(string) string) probe {
	if ok == nil {
		ok = func(c string) string { return "ok: " + uri + " for " + c }
	}
	return probe{"read " + uri, "resource", uri, op{"op": "readResource", "uri": uri}, ok}
}

func promptProbe(name string, args map[string]any, ok func(string) string) probe {
	if ok == nil {
		ok = func(c string) string { return "ok: " + name + " for " + c }
	}
	return probe{"prompt " + name, "prompt", name, op{"op": "getPrompt", "name": name, "args": args}, ok}
}

func subscribeProbe(uri string) probe {
	return probe{"subscribe " + uri, "subscription", uri, op{"op": "subscribeResource", "uri": uri},
		func(string) string { return "ok: {}" }}
}

var probes = []probe{
	toolProbe("public_tool", nil, nil),
	toolProbe("read_tool", nil, nil),
	toolProbe("write_tool", map[string]any{"text": "hi"}, func(string) string { return "ok: write_tool ok: hi" }),
	toolProbe("admin_tool", nil, nil),
	toolProbe("tagged_tool", nil, nil),
	toolProbe("frozen_tool", nil, nil),
	toolProbe("owner_tool", nil, nil),
	toolProbe("whoami", nil, func(c string) string { return "ok: " + c }),
	toolProbe("no_such_tool", nil, nil),

	readProbe("public://info", nil),
	readProbe("secret://data", nil),
	readProbe("admin://config", nil),
	readProbe("ops://status", nil),
	readProbe("users://42/profile", func(c string) string { return "ok: profile 42 for " + c }),
	readProbe("nothing://here", nil),

	promptProbe("public_prompt", nil, nil),
	promptProbe("greet", map[string]any{"name": "Ada"}, func(c string) string { return "ok: Hello, Ada (for " + c + ")" }),
	promptProbe("admin_prompt", nil, nil),
	promptProbe("ops_prompt", nil, nil),
	promptProbe("no_such_prompt", nil, nil),

	subscribeProbe("public://info"),
	subscribeProbe("admin://config"),
	subscribeProbe("nothing://here"),
}

// missingProbe names, per kind, the probe of a target that does not exist.
var missingProbe = map[string]string{
	"tool": missingTool, "resource": missingResource, "prompt": missingPrompt, "subscription": missingSub,
}

// access is what one caller may do on one server variant: the probes it may
// use (the rest must answer exactly like their missing counterpart, unless
// denied), the probes refused explicitly, with the answer ("{metadata}"
// standing for the metadata URL), and which of those are listed anyway.
type access struct {
	allowed []string
	denied  map[string]string
	listed  []string
}

func union(sets ...[]string) []string {
	var out []string
	for _, s := range sets {
		out = append(out, s...)
	}
	return out
}

// Who may use what when only component checks apply.
var (
	guestAllowed = []string{
		"call public_tool", "call tagged_tool", "call frozen_tool", "call whoami",
		"read public://info", "read ops://status", "prompt public_prompt", "prompt ops_prompt",
		"subscribe public://info",
	}
	readerAllowed = union(guestAllowed, []string{
		"call read_tool", "read secret://data", "read users://42/profile", "prompt greet",
	})
	writerAllowed = union(readerAllowed, []string{"call write_tool", "call owner_tool"})
	adminAllowed  = union(readerAllowed, []string{
		"call write_tool", "call admin_tool", "read admin://config", "prompt admin_prompt", "subscribe admin://config",
	})
)

// With the middleware, tag admin needs scope admin and frozen is refused.
func withMiddleware(allowed []string, admin bool) access {
	denied := map[string]string{"call frozen_tool": "isError: " + frozenMessage}
	if !admin {
		denied["call tagged_tool"] = "isError: Authorization failed for tool 'tagged_tool': insufficient permissions"
		denied["read ops://status"] = "error -32600: MCP error -32600: Authorization failed for resource 'ops://status': insufficient permissions"
		denied["prompt ops_prompt"] = "error -32600: MCP error -32600: Authorization failed for prompt 'ops_prompt': insufficient permissions"
	}
	return access{allowed: without(allowed, denied), denied: denied}
}

func without(ids []string, denied map[string]string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { _, ok := denied[id]; return ok })
}

// stepUpTools are the tools whose checks are all scope checks (with the
// RestrictTag middleware of the step-up variant), and the scope each needs.
var stepUpTools = map[string]string{
	"call read_tool": "read", "call write_tool": "write", "call admin_tool": "admin", "call tagged_tool": "admin",
}

// withStepUp is the access of a caller with scopes on the step-up variant
// (RestrictTag middleware, WithStepUp): a scope-only tool it lacks scopes
// for is listed, and calling it is answered with HTTP 403 and a scope
// challenge; everything else is as with the middleware.
func withStepUp(allowed []string, scopes ...string) access {
	denied := map[string]string{}
	var listed []string
	for id, scope := range stepUpTools {
		if !slices.Contains(scopes, scope) {
			denied[id] = `http 403 Bearer error="insufficient_scope", scope="` + scope + `", resource_metadata="{metadata}"`
			listed = append(listed, id)
		}
	}
	if !slices.Contains(scopes, "admin") {
		denied["read ops://status"] = "error -32600: MCP error -32600: Authorization failed for resource 'ops://status': insufficient permissions"
		denied["prompt ops_prompt"] = "error -32600: MCP error -32600: Authorization failed for prompt 'ops_prompt': insufficient permissions"
	}
	return access{allowed: without(allowed, denied), denied: denied, listed: listed}
}

// The scopes each tool publishes in _meta.authorization (SEP-1880): its own
// and those the middleware's RestrictTag requires of it.
var (
	componentMeta  = map[string][]string{"read_tool": {"read"}, "write_tool": {"write"}, "admin_tool": {"admin"}}
	middlewareMeta = map[string][]string{
		"read_tool": {"read"}, "write_tool": {"write"}, "admin_tool": {"admin"}, "tagged_tool": {"admin"},
	}
)

// TestAuthorization runs the TypeScript SDK client against the fixture for
// each variant of the server and each caller, one node process per caller,
// and checks what it lists, what its calls answer, and that whatever it may
// not see answers exactly like something that does not exist.
func TestAuthorization(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))

	plain := []user{
		{"guest-token", access{allowed: guestAllowed}},
		{"reader-token", access{allowed: readerAllowed}},
		{"writer-token", access{allowed: writerAllowed}},
		{"admin-token", access{allowed: adminAllowed}},
	}
	restrictAdmin := runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin")))
	for _, v := range []variant{
		{name: "components", meta: componentMeta, callers: plain},
		{name: "middleware", opts: []runtime.Option{middleware()}, middleware: true, meta: middlewareMeta, callers: []user{
			{"guest-token", withMiddleware(guestAllowed, false)},
			{"reader-token", withMiddleware(readerAllowed, false)},
			{"writer-token", withMiddleware(writerAllowed, false)},
			{"admin-token", withMiddleware(adminAllowed, true)},
		}},
		{name: "paged", opts: []runtime.Option{runtime.WithServerOptions(server.WithPaginationLimit(2))},
			pageSize: 2, meta: componentMeta, callers: []user{plain[0], plain[3]}},
		{name: "middleware+paged", opts: []runtime.Option{middleware(), runtime.WithServerOptions(server.WithPaginationLimit(2))},
			middleware: true, pageSize: 2, meta: middlewareMeta, callers: []user{
				{"guest-token", withMiddleware(guestAllowed, false)},
				{"admin-token", withMiddleware(adminAllowed, true)},
			}},
		{name: "step-up", opts: []runtime.Option{restrictAdmin}, httpOpts: []runtime.HTTPOption{runtime.WithStepUp()},
			middleware: true, meta: middlewareMeta, callers: []user{
				{"guest-token", withStepUp(guestAllowed)},
				{"reader-token", withStepUp(readerAllowed, "read")},
				{"writer-token", withStepUp(writerAllowed, "read", "write")},
				{"admin-token", withStepUp(adminAllowed, "read", "write", "admin")},
			}},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			base := serve(t, fixture(v.opts...), v.httpOpts...)
			for _, c := range v.callers {
				t.Run(strings.TrimSuffix(c.token, "-token"), func(t *testing.T) {
					t.Parallel()
					checkCaller(t, node, base, c.token, c.access, v)
				})
			}
		})
	}
}

// A user is a caller of a variant: its token and what it may do.
type user struct {
	token  string
	access access
}

// A variant of the fixture server, and the callers run against it.
type variant struct {
	name       string
	opts       []runtime.Option
	httpOpts   []runtime.HTTPOption
	middleware bool // a middleware answers for missing targets
	pageSize   int  // 0: no pagination
	meta       map[string][]string
	callers    []user
	goSDK      bool // served by runtime/gosdk (gosdk_test.go)
}

func checkCaller(t *testing.T, node, base, token string, acc access, v variant) {
	metadataURL := base + "/.well-known/oauth-protected-resource/mcp"
	ops := []op{
		{"op": "listTools"}, {"op": "listResources"}, {"op": "listResourceTemplates"}, {"op": "listPrompts"},
	}
	for _, p := range probes {
		o := op{"id": p.id}
		for k, v := range p.op {
			o[k] = v
		}
		ops = append(ops, o)
	}
	ops = append(ops, op{"op": "terminateSession"})
	out := runClient(t, node, base+"/mcp", token, ops)
	if !out.Connect.OK {
		t.Fatalf("connect failed: %+v", out.Connect.Error)
	}
	if got := out.Connect.ServerInfo.Name + " " + out.Connect.ServerInfo.Version; got != "e2e-fixture 1.2.3" {
		t.Errorf("serverInfo = %q", got)
	}
	if out.Connect.ProtocolVersion != "2025-11-25" {
		t.Errorf("negotiated protocol version %q, want 2025-11-25 (the SDK's latest)", out.Connect.ProtocolVersion)
	}
	if last := out.Results[len(out.Results)-1]; last.Error != nil {
		t.Errorf("terminating the session (HTTP DELETE): %s", last.Error.Message)
	}

	tok := tokens[token]
	who := fmt.Sprintf("client=%s scopes=[%s]", tok.ClientID, strings.Join(tok.Scopes, " "))
	allowed, listedIDs := map[string]bool{}, map[string]bool{}
	for _, id := range acc.allowed {
		allowed[id] = true
		listedIDs[id] = true
	}
	for _, id := range acc.listed {
		listedIDs[id] = true
	}

	// Lists: exactly the allowed targets, whatever the page size.
	var wantTools, wantResources, wantTemplates, wantPrompts []string
	for _, p := range probes {
		if !listedIDs[p.id] {
			continue
		}
		switch {
		case p.kind == "tool":
			wantTools = append(wantTools, p.target)
		case p.kind == "resource" && p.target == "users://42/profile":
			wantTemplates = append(wantTemplates, "users://{id}/profile")
		case p.kind == "resource":
			wantResources = append(wantResources, p.target)
		case p.kind == "prompt":
			wantPrompts = append(wantPrompts, p.target)
		}
	}
	for i, l := range []struct {
		field, key string
		want       []string
	}{
		{"tools", "name", wantTools},
		{"resources", "uri", wantResources},
		{"resourceTemplates", "uriTemplate", wantTemplates},
		{"prompts", "name", wantPrompts},
	} {
		got, pages := listed(t, out.Results[i], l.field, l.key)
		slices.Sort(l.want)
		if diff := cmp.Diff(l.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", out.Results[i].Op, diff)
		}
		if pageSize := v.pageSize; pageSize > 0 {
			// Filtering happens before pagination: the pages are those of
			// the visible items alone. (mcp-go sends a cursor after every
			// full page, so a last full page is followed by an empty one.)
			want := len(l.want)/pageSize + 1
			if v.goSDK { // the go-sdk sends no cursor after the last page
				want = max(1, (len(l.want)+pageSize-1)/pageSize)
			}
			if pages != want {
				t.Errorf("%s: %d pages of %d for %d visible items, want %d", out.Results[i].Op, pages, pageSize, len(l.want), want)
			}
		}
	}

	// Required scopes published in each tool's _meta.
	var tools struct {
		Tools []struct {
			Name string `json:"name"`
			Meta struct {
				Authorization *struct {
					Scopes []string `json:"scopes"`
				} `json:"authorization"`
			} `json:"_meta"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(out.Results[0].Result, &tools); err != nil {
		t.Fatal(err)
	}
	for _, tool := range tools.Tools {
		var got []string
		if a := tool.Meta.Authorization; a != nil {
			got = a.Scopes
			if got == nil {
				got = []string{}
			}
		}
		if want := v.meta[tool.Name]; !slices.Equal(got, want) || (got == nil) != (want == nil) {
			t.Errorf("tool %s: _meta.authorization.scopes = %v, want %v", tool.Name, got, want)
		}
	}

	// Targeted operations.
	got := map[string]string{}
	for i, p := range probes {
		got[p.id] = outcome(t, p, out.Results[4+i])
	}
	for _, p := range probes {
		g := got[p.id]
		t.Logf("%-28s %s", p.id, g)
		switch deniedMsg, denied := acc.denied[p.id]; {
		case allowed[p.id]:
			if want := p.ok(who); g != want {
				t.Errorf("%s: got %q, want %q", p.id, g, want)
			}
		case denied:
			if deniedMsg = strings.ReplaceAll(deniedMsg, "{metadata}", metadataURL); g != deniedMsg {
				t.Errorf("%s: got %q, want the middleware's refusal %q", p.id, g, deniedMsg)
			}
		default:
			// Hidden: the answer for something that does not exist, with
			// the name in place.
			m := missingProbe[p.kind]
			want := strings.ReplaceAll(got[m], probeTarget(m), p.target)
			if g != want {
				t.Errorf("%s: hidden answers %q, but a missing %s answers %q", p.id, g, p.kind, got[m])
			}
		}
	}

	// The SDK reads the step-up challenge: the scope to ask for, and where
	// the metadata is.
	for i, p := range probes {
		if e := out.Results[4+i].Error; e != nil && e.HTTP != nil {
			params := e.HTTP.WWWAuthenticateParams
			if want := stepUpTools[p.id]; params.Scope != want || params.Error != "insufficient_scope" || params.ResourceMetadataURL != metadataURL {
				t.Errorf("%s: the SDK parsed scope=%q error=%q resource_metadata=%q from the challenge, want %q insufficient_scope %q",
					p.id, params.Scope, params.Error, params.ResourceMetadataURL, want, metadataURL)
			}
		}
	}

	// What "missing" is, as the SDK reports it.
	wantMissing := map[string]string{
		missingTool:     "error -32602: ",
		missingPrompt:   "error -32602: ",
		missingResource: "error -32002: ",
	}
	if v.goSDK { // mcp.ResourceNotFoundError
		wantMissing[missingResource] = "error -32602: "
	}
	if v.middleware {
		wantMissing = map[string]string{
			missingTool:     "isError: Authorization failed for tool 'no_such_tool': not found or not authorized",
			missingPrompt:   "error -32600: MCP error -32600: Authorization failed for prompt 'no_such_prompt': not found or not authorized",
			missingResource: "error -32600: MCP error -32600: Authorization failed for resource 'nothing://here': not found or not authorized",
		}
	}
	for id, want := range wantMissing {
		if !strings.HasPrefix(got[id], want) {
			t.Errorf("%s: got %q, want %q", id, got[id], want)
		}
	}
}

func probeTarget(id string) string {
	for _, p := range probes {
		if p.id == id {
			return p.target
		}
	}
	panic("no probe " + id)
}

// listed returns the sorted key values of the items of a list result and
// the number of pages the client fetched.
func listed(t *testing.T, r opResult, field, key string) ([]string, int) {
	t.Helper()
	if r.Error != nil {
		t.Errorf("%s: %s", r.Op, r.Error.Message)
		return nil, 0
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal(r.Result, &res); err != nil {
		t.Fatalf("%s: %v", r.Op, err)
	}
	var items []map[string]any
	var pages int
	if err := json.Unmarshal(res[field], &items); err != nil {
		t.Fatalf("%s: %s: %v", r.Op, field, err)
	}
	if err := json.Unmarshal(res["pages"], &pages); err != nil {
		t.Fatalf("%s: pages: %v", r.Op, err)
	}
	var names []string
	for _, it := range items {
		names = append(names, fmt.Sprint(it[key]))
	}
	slices.Sort(names)
	return names, pages
}

// outcome renders an operation's answer as one comparable line:
// "ok: TEXT", "isError: TEXT" (a tool result with isError), or
// "error CODE: MESSAGE" (a JSON-RPC error as the SDK reports it).
func outcome(t *testing.T, p probe, r opResult) string {
	t.Helper()
	if r.ID != p.id {
		t.Fatalf("result %q answers probe %q", r.ID, p.id)
	}
	if r.Error != nil && r.Error.HTTP != nil {
		return fmt.Sprintf("http %d %s", r.Error.HTTP.Status, r.Error.HTTP.WWWAuthenticate)
	}
	if r.Error != nil {
		code := 0
		if r.Error.Code != nil {
			code = *r.Error.Code
		}
		if r.Error.Data != nil {
			return fmt.Sprintf("error %d: %s data=%s", code, r.Error.Message, r.Error.Data)
		}
		return fmt.Sprintf("error %d: %s", code, r.Error.Message)
	}
	var res struct {
		Content []struct {
			Type, Text string
		} `json:"content"`
		IsError  bool `json:"isError"`
		Contents []struct {
			Text string `json:"text"`
		} `json:"contents"`
		Messages []struct {
			Content struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(r.Result, &res); err != nil {
		t.Fatalf("%s: %v", p.id, err)
	}
	var texts []string
	switch p.kind {
	case "tool":
		for _, c := range res.Content {
			texts = append(texts, c.Text)
		}
		if res.IsError {
			return "isError: " + strings.Join(texts, "\n")
		}
	case "resource":
		for _, c := range res.Contents {
			texts = append(texts, c.Text)
		}
	case "prompt":
		for _, m := range res.Messages {
			texts = append(texts, m.Content.Text)
		}
	default:
		texts = append(texts, string(r.Result))
	}
	return "ok: " + strings.Join(texts, "\n")
}

// TestTokenRefresh changes the bearer token within one session, as a client
// that refreshes its token does: every request is judged by the token it
// carries, not by the one that opened the session, for tools and for
// resources alike; a token that goes bad mid-session is refused with 401,
// and another principal's token on the session is answered 404, as for a
// session that does not exist, leaving the session as it was.
func TestTokenRefresh(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	forEachBackend(t, func(t *testing.T, b backend) { tokenRefresh(t, node, b) })
}

func tokenRefresh(t *testing.T, node string, b backend) {
	base := serveFixture(t, b, fixtureConfig{})

	const (
		reader = "client=reader-app scopes=[read]"
		admin  = "client=reader-app scopes=[read write admin]"
	)
	// A hidden target answers like a missing one (steps 0 and 1) with its
	// name in place.
	const hiddenTool, hiddenResource = "hidden tool", "hidden resource"
	steps := []struct {
		op   op
		kind string // as in probe.kind; "" for setToken
		want string
	}{
		{op{"op": "callTool", "name": "no_such_tool"}, "tool", ""},
		{op{"op": "readResource", "uri": "nothing://here"}, "resource", ""},
		{op{"op": "callTool", "name": "whoami"}, "tool", "ok: " + reader},
		{op{"op": "callTool", "name": "admin_tool"}, "tool", hiddenTool},
		{op{"op": "readResource", "uri": "admin://config"}, "resource", hiddenResource},
		{op{"op": "setToken", "token": "reader-admin-token"}, "", ""},
		{op{"op": "callTool", "name": "whoami"}, "tool", "ok: " + admin},
		{op{"op": "callTool", "name": "admin_tool"}, "tool", "ok: admin_tool ok"},
		{op{"op": "readResource", "uri": "admin://config"}, "resource", "ok: admin://config for " + admin},
		{op{"op": "setToken", "token": "reader-token"}, "", ""},
		{op{"op": "callTool", "name": "admin_tool"}, "tool", hiddenTool},
		{op{"op": "readResource", "uri": "admin://config"}, "resource", hiddenResource},
		{op{"op": "readResource", "uri": "users://7/profile"}, "resource", "ok: profile 7 for " + reader},
		{op{"op": "setToken", "token": "admin-token"}, "", ""}, // another principal
		{op{"op": "callTool", "name": "whoami"}, "tool", "http 404 "},
		{op{"op": "setToken", "token": "reader-token"}, "", ""},
		{op{"op": "callTool", "name": "whoami"}, "tool", "ok: " + reader},
		{op{"op": "setToken", "token": "not-a-token"}, "", ""},
		{op{"op": "callTool", "name": "whoami"}, "tool", "http 401 invalid_token"},
		{op{"op": "setToken", "token": nil}, "", ""},
		{op{"op": "ping"}, "ping", "http 401 "},
	}
	var ops []op
	for i, s := range steps {
		o := op{"id": fmt.Sprint(i)}
		for k, v := range s.op {
			o[k] = v
		}
		ops = append(ops, o)
	}
	out := runClient(t, node, base+"/mcp", "reader-token", ops)
	if !out.Connect.OK {
		t.Fatalf("connect failed: %+v", out.Connect.Error)
	}
	missing := map[string]string{}
	for i, s := range steps {
		r := out.Results[i]
		var got string
		switch {
		case s.kind == "":
			if r.Error != nil {
				t.Fatalf("step %d %v: %s", i, s.op, r.Error.Message)
			}
			continue
		case r.Error != nil && r.Error.HTTP != nil:
			got = fmt.Sprintf("http %d %s", r.Error.HTTP.Status, r.Error.HTTP.WWWAuthenticateParams.Error)
		default:
			got = outcome(t, probe{id: r.ID, kind: s.kind}, r)
		}
		want := s.want
		switch want {
		case "":
			missing[s.kind] = got
			if !strings.HasPrefix(got, "error ") {
				t.Errorf("step %d %v: got %q, want an error", i, s.op, got)
			}
			continue
		case hiddenTool:
			want = strings.ReplaceAll(missing["tool"], "no_such_tool", "admin_tool")
		case hiddenResource:
			want = strings.ReplaceAll(missing["resource"], "nothing://here", "admin://config")
		}
		if got != want {
			t.Errorf("step %d %v: got %q, want %q", i, s.op, got, want)
		}
	}
}

// TestUnauthorized checks, through the SDK, that requests without a valid
// token are refused at the HTTP layer with a challenge that leads to the
// RFC 9728 metadata, and that the SDK's own discovery finds that document.
func TestUnauthorized(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	forEachBackend(t, func(t *testing.T, b backend) { unauthorized(t, node, b) })
}

func unauthorized(t *testing.T, node string, b backend) {
	base := serveFixture(t, b, fixtureConfig{layer: fullLayer})
	metadataURL := base + "/.well-known/oauth-protected-resource/mcp"
	wantMetadata := map[string]any{
		"resource":                 base + "/mcp",
		"scopes_supported":         []any{"admin", "read", "write"},
		"bearer_methods_supported": []any{"header"},
	}

	for _, tc := range []struct {
		name, token, challenge, errParam string
	}{
		{"no token", "", `Bearer resource_metadata="` + metadataURL + `"`, ""},
		{"unknown token", "not-a-token", `Bearer error="invalid_token", error_description="The access token is invalid or expired", resource_metadata="` + metadataURL + `"`, "invalid_token"},
		{"expired token", "expired-token", `Bearer error="invalid_token", error_description="The access token is invalid or expired", resource_metadata="` + metadataURL + `"`, "invalid_token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := runClient(t, node, base+"/mcp", tc.token, []op{{"op": "listTools"}, {"op": "discoverResourceMetadata"}})
			if out.Connect.OK {
				t.Fatal("connected without a valid token")
			}
			e := out.Connect.Error
			if e == nil || e.Code == nil || *e.Code != http.StatusUnauthorized || e.HTTP == nil {
				t.Fatalf("connect error = %+v, want an HTTP 401", e)
			}
			if e.HTTP.Status != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401", e.HTTP.Status)
			}
			if e.HTTP.WWWAuthenticate != tc.challenge {
				t.Errorf("WWW-Authenticate = %s\nwant %s", e.HTTP.WWWAuthenticate, tc.challenge)
			}
			if p := e.HTTP.WWWAuthenticateParams; p.ResourceMetadataURL != metadataURL || p.Error != tc.errParam {
				t.Errorf("the SDK parsed resource_metadata=%q error=%q, want %q %q", p.ResourceMetadataURL, p.Error, metadataURL, tc.errParam)
			}
			if r := out.Results[0]; r.Error == nil || r.Error.Message != "not connected" {
				t.Errorf("listTools without a session: %+v", r)
			}
			md := out.Results[1]
			if md.Error != nil {
				t.Fatalf("SDK discovery of the protected resource metadata: %s", md.Error.Message)
			}
			var got map[string]any
			if err := json.Unmarshal(md.Result, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantMetadata, got); diff != "" {
				t.Errorf("protected resource metadata (-want +got):\n%s", diff)
			}
		})
	}

	// Every method needs a token, not just the POSTs the SDK sends; the
	// metadata needs none.
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/mcp", http.StatusUnauthorized},
		{http.MethodDelete, "/mcp", http.StatusUnauthorized},
		{http.MethodPost, "/mcp", http.StatusUnauthorized},
		{http.MethodGet, "/.well-known/oauth-protected-resource/mcp", http.StatusOK},
	} {
		req, err := http.NewRequest(tc.method, base+tc.path, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s without a token: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
		if tc.want == http.StatusOK && resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: Content-Type %q", tc.method, tc.path, resp.Header.Get("Content-Type"))
		}
		if tc.want == http.StatusUnauthorized && !strings.Contains(resp.Header.Get("WWW-Authenticate"), `resource_metadata="`+metadataURL+`"`) {
			t.Errorf("%s %s: WWW-Authenticate %q", tc.method, tc.path, resp.Header.Get("WWW-Authenticate"))
		}
	}
}
