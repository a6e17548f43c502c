// Package parity runs the runtime's behaviour tests against both backends,
// package runtime (mcp-go) and package runtime/gosdk (the official go-sdk),
// from one table: each case is one request a remote client sends over
// Streamable HTTP, and what it must be answered, on either backend.
package parity_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	mcpgoserver "github.com/mark3labs/mcp-go/server"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/cedarauth"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// The tokens of the test verifier.
var tokens = map[string]authz.AccessToken{
	"reader": {ClientID: "reader", Scopes: []string{"read"}},
	"writer": {ClientID: "writer", Scopes: []string{"read", "write"}},
	"admin":  {ClientID: "admin", Scopes: []string{"read", "write", "admin"}},
	"nobody": {ClientID: "nobody"},
	"billed": {ClientID: "billed", Scopes: []string{"read", "billing"}},
	"editor": {ClientID: "editor", Scopes: []string{"read"}, Claims: map[string]any{
		"realm_access": map[string]any{"roles": []any{"editor"}},
	}},
}

// setup is how a case's server is configured, on either backend.
type setup struct {
	id         string // tells apart setups whose other fields print alike
	middleware []authz.Middleware
	pageSize   int // 0: the backend's default
	stepUp     bool
	cors       []string
	maxBody    int64
	stateless  bool
	mask       bool // WithMaskErrorDetails, and the failing components
	roleClaims []string
	calls      bool // the components with call checks (calls_test.go)
	noting     bool // the templates whose own checks note policies (notes_test.go)
	// hook hears the server's decisions; with it the server also
	// completes arguments and takes subscriptions (decisions_test.go).
	hook authz.DecisionHook
	// sideways: the server completes arguments and takes subscriptions,
	// without a hook (sideways_test.go).
	sideways bool
}

// The failing components, served with setup.mask: a handler that returns
// an error (a secret), one that panics, and one whose error is meant for
// the client.
const (
	secretError = "db password is hunter2"
	clientError = "try again tomorrow"
)

// component is one component of the fixture.
type component struct {
	kind authz.Kind
	name string // name, URI or URI template
	opts []authz.ComponentOption
}

// components is the fixture every case's server holds. Every handler
// answers "<name> for <client> <scopes>" (reads add the URI read).
var components = []component{
	{authz.KindTool, "public_tool", nil},
	{authz.KindTool, "read_tool", []authz.ComponentOption{authz.WithScopes("read")}},
	{authz.KindTool, "write_tool", []authz.ComponentOption{authz.WithScopes("write")}},
	{authz.KindTool, "admin_tool", []authz.ComponentOption{authz.WithScopes("admin"), authz.WithTags("admin")}},
	{authz.KindTool, "tagged_tool", []authz.ComponentOption{authz.WithTags("admin")}},
	{authz.KindTool, "invoice", []authz.ComponentOption{authz.WithTags("billing")}},
	{authz.KindTool, "owned", []authz.ComponentOption{authz.WithAuth(authz.Check(ownerOnly))}},
	{authz.KindResource, "public://info", nil},
	{authz.KindResource, "secret://data", []authz.ComponentOption{authz.WithScopes("read")}},
	{authz.KindResource, "admin://config", []authz.ComponentOption{authz.WithScopes("admin"), authz.WithTags("admin")}},
	{authz.KindResourceTemplate, "users://{id}/profile", []authz.ComponentOption{authz.WithScopes("read")}},
	{authz.KindResourceTemplate, "docs://{a}/b", []authz.ComponentOption{authz.WithScopes("admin")}},
	{authz.KindResourceTemplate, "docs://{x}/{y}", []authz.ComponentOption{authz.WithScopes("read")}},
	{authz.KindPrompt, "public_prompt", nil},
	{authz.KindPrompt, "admin_prompt", []authz.ComponentOption{authz.WithScopes("admin"), authz.WithTags("admin")}},
	{authz.KindPrompt, "billing_prompt", []authz.ComponentOption{authz.WithTags("billing")}},
}

// ownerOnly is a custom check: only admin's token passes, and its
// AuthorizationError must never reach a client (component checks hide).
func ownerOnly(ac authz.AuthContext) (bool, error) {
	if ac.Token != nil && ac.Token.ClientID == "admin" {
		return true, nil
	}
	return false, &authz.AuthorizationError{Message: "owner check says no"}
}

// billingPlan is a middleware check whose AuthorizationError reaches the
// client verbatim.
func billingPlan(ac authz.AuthContext) (bool, error) {
	if ac.Component.HasTag("billing") && !ac.Token.HasScope("billing") {
		return false, &authz.AuthorizationError{Message: "billing tools need a billing plan"}
	}
	return true, nil
}

func describe(tok *authz.AccessToken) string {
	if tok == nil {
		return "anonymous"
	}
	return fmt.Sprintf("%s %v", tok.ClientID, tok.Scopes)
}

// backend builds the fixture's server on one SDK and serves it over HTTP
// with the test verifier.
type backend struct {
	name  string
	build func(setup) http.Handler
}

var backends = []backend{
	{"mcp-go", buildMCPGo},
	{"go-sdk", buildGoSDK},
}

func buildMCPGo(su setup) http.Handler {
	opts := []runtime.Option{runtime.WithMiddleware(su.middleware...), runtime.WithRoleClaims(su.roleClaims...)}
	if su.pageSize > 0 {
		opts = append(opts, runtime.WithServerOptions(mcpgoserver.WithPaginationLimit(su.pageSize)))
	}
	if su.mask {
		opts = append(opts, runtime.WithMaskErrorDetails())
	}
	if su.hook != nil {
		opts = append(opts, runtime.WithDecisionHook(su.hook))
	}
	if su.hook != nil || su.sideways {
		opts = append(opts, runtime.WithServerOptions(
			mcpgoserver.WithCompletions(),
			mcpgoserver.WithPromptCompletionProvider(completer{}),
			mcpgoserver.WithResourceCompletionProvider(completer{}),
			mcpgoserver.WithResourceCapabilities(true, true)))
	}
	srv := runtime.NewServer("parity", "1.0.0", opts...)
	if su.mask {
		srv.AddTool(mcpgo.NewTool("failing_tool"), func(context.Context, mcpgo.CallToolRequest) (*mcpgo.CallToolResult, error) {
			return runtime.TextResult("", errors.New(secretError))
		})
		srv.AddTool(mcpgo.NewTool("panicking_tool"), func(context.Context, mcpgo.CallToolRequest) (*mcpgo.CallToolResult, error) {
			panic(secretError)
		})
		srv.AddTool(mcpgo.NewTool("toolerror_tool"), func(context.Context, mcpgo.CallToolRequest) (*mcpgo.CallToolResult, error) {
			return runtime.TextResult("", &runtime.ToolError{Message: clientError})
		})
		srv.AddPrompt(mcpgo.NewPrompt("failing_prompt"), func(context.Context, mcpgo.GetPromptRequest) (*mcpgo.GetPromptResult, error) {
			return nil, errors.New(secretError)
		})
		srv.AddResource(mcpgo.NewResource("fail://data", "fail"), func(context.Context, mcpgo.ReadResourceRequest) ([]mcpgo.ResourceContents, error) {
			return nil, errors.New(secretError)
		})
	}
	if su.calls {
		addCallsMCPGo(srv)
	}
	if su.noting {
		addNotingMCPGo(srv)
	}
	for _, c := range components {
		name := c.name
		switch c.kind {
		case authz.KindTool:
			srv.AddTool(mcpgo.NewTool(name), func(ctx context.Context, _ mcpgo.CallToolRequest) (*mcpgo.CallToolResult, error) {
				return mcpgo.NewToolResultText(name + " for " + describe(runtime.AccessTokenFromContext(ctx))), nil
			}, c.opts...)
		case authz.KindResource, authz.KindResourceTemplate:
			read := func(ctx context.Context, req mcpgo.ReadResourceRequest) ([]mcpgo.ResourceContents, error) {
				text := name + " " + req.Params.URI + " for " + describe(runtime.AccessTokenFromContext(ctx))
				return []mcpgo.ResourceContents{mcpgo.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: text}}, nil
			}
			if c.kind == authz.KindResource {
				srv.AddResource(mcpgo.NewResource(name, name), read, c.opts...)
			} else {
				srv.AddResourceTemplate(mcpgo.NewResourceTemplate(name, name), read, c.opts...)
			}
		case authz.KindPrompt:
			srv.AddPrompt(mcpgo.NewPrompt(name), func(ctx context.Context, _ mcpgo.GetPromptRequest) (*mcpgo.GetPromptResult, error) {
				text := name + " for " + describe(runtime.AccessTokenFromContext(ctx))
				return mcpgo.NewGetPromptResult("", []mcpgo.PromptMessage{mcpgo.NewPromptMessage(mcpgo.RoleUser, mcpgo.NewTextContent(text))}), nil
			}, c.opts...)
		}
	}
	opts2 := []runtime.HTTPOption{runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(tokens)),
		runtime.WithCORS(su.cors...), runtime.WithMaxBodyBytes(su.maxBody)}
	if su.stepUp {
		opts2 = append(opts2, runtime.WithStepUp())
	}
	if su.stateless {
		opts2 = append(opts2, runtime.WithStateless())
	}
	return srv.HTTPHandler(opts2...)
}

func buildGoSDK(su setup) http.Handler {
	options := []gosdk.Option{gosdk.WithMiddleware(su.middleware...), gosdk.WithRoleClaims(su.roleClaims...)}
	if su.mask {
		options = append(options, gosdk.WithMaskErrorDetails())
	}
	sopts := &mcp.ServerOptions{PageSize: su.pageSize}
	if su.hook != nil {
		options = append(options, gosdk.WithDecisionHook(su.hook))
	}
	if su.hook != nil || su.sideways {
		sopts.CompletionHandler = complete
		sopts.SubscribeHandler = func(context.Context, *mcp.SubscribeRequest) error { return nil }
		sopts.UnsubscribeHandler = func(context.Context, *mcp.UnsubscribeRequest) error { return nil }
	}
	srv := gosdk.NewServer(&mcp.Implementation{Name: "parity", Version: "1.0.0"}, sopts, options...)
	if su.mask {
		gosdk.AddTool(srv, &mcp.Tool{Name: "failing_tool"}, func(context.Context, *mcp.CallToolRequest, map[string]any) (*mcp.CallToolResult, any, error) {
			return gosdk.TextResult("", errors.New(secretError))
		})
		gosdk.AddTool(srv, &mcp.Tool{Name: "panicking_tool"}, func(context.Context, *mcp.CallToolRequest, map[string]any) (*mcp.CallToolResult, any, error) {
			panic(secretError)
		})
		gosdk.AddTool(srv, &mcp.Tool{Name: "toolerror_tool"}, func(context.Context, *mcp.CallToolRequest, map[string]any) (*mcp.CallToolResult, any, error) {
			return gosdk.TextResult("", &gosdk.ToolError{Message: clientError})
		})
		srv.AddPrompt(&mcp.Prompt{Name: "failing_prompt"}, func(context.Context, *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return nil, errors.New(secretError)
		})
		srv.AddResource(&mcp.Resource{URI: "fail://data", Name: "fail"}, func(context.Context, *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return nil, errors.New(secretError)
		})
	}
	if su.calls {
		addCallsGoSDK(srv)
	}
	if su.noting {
		addNotingGoSDK(srv)
	}
	for _, c := range components {
		name := c.name
		switch c.kind {
		case authz.KindTool:
			gosdk.AddTool(srv, &mcp.Tool{Name: name}, func(ctx context.Context, _ *mcp.CallToolRequest, _ map[string]any) (*mcp.CallToolResult, any, error) {
				text := name + " for " + describe(gosdk.AccessTokenFromContext(ctx))
				return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil, nil
			}, c.opts...)
		case authz.KindResource, authz.KindResourceTemplate:
			read := func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
				text := name + " " + req.Params.URI + " for " + describe(gosdk.AccessTokenFromContext(ctx))
				return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "text/plain", Text: text}}}, nil
			}
			if c.kind == authz.KindResource {
				srv.AddResource(&mcp.Resource{URI: name, Name: name}, read, c.opts...)
			} else {
				srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: name, Name: name}, read, c.opts...)
			}
		case authz.KindPrompt:
			srv.AddPrompt(&mcp.Prompt{Name: name}, func(ctx context.Context, _ *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
				text := name + " for " + describe(gosdk.AccessTokenFromContext(ctx))
				return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: text}}}}, nil
			}, c.opts...)
		}
	}
	opts := []gosdk.HTTPOption{gosdk.WithTokenVerifier(gosdk.NewStaticTokenVerifier(tokens)),
		gosdk.WithCORS(su.cors...), gosdk.WithMaxBodyBytes(su.maxBody)}
	if su.stepUp {
		opts = append(opts, gosdk.WithStepUp())
	}
	if su.stateless {
		opts = append(opts, gosdk.WithStateless())
	}
	return srv.HTTPHandler(opts...)
}

// expectation judges a case's answer on one backend. s is the session the
// answer came from, for expectations that compare with another request.
type expectation func(t *testing.T, s *mcpwire.Session, c testCase, answer []byte)

type testCase struct {
	name   string
	setup  setup
	token  string
	method string
	params map[string]any
	want   expectation
}

// listed: a list answer (all its pages) holds exactly these items.
func listed(key string, pages ...[]string) expectation {
	return func(t *testing.T, s *mcpwire.Session, c testCase, answer []byte) {
		var got [][]string
		for {
			page, cursor := mcpwire.Names(t, answer, key)
			got = append(got, page)
			if cursor == "" {
				break
			}
			answer = s.Call(c.method, map[string]any{"cursor": cursor})
		}
		// mcp-go ends a list whose last page is full with an empty page;
		// the go-sdk does not. Each backend pages as its SDK does.
		if n := len(got); n > 1 && len(got[n-1]) == 0 {
			got = got[:n-1]
		}
		if diff := cmp.Diff(pages, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	}
}

// toolResult: a tools/call result with this isError and text.
func toolResult(isError bool, text string) expectation {
	return func(t *testing.T, _ *mcpwire.Session, _ testCase, answer []byte) {
		gotErr, got := mcpwire.ToolText(t, answer)
		if gotErr != isError || got != text {
			t.Errorf("got isError=%v %q, want isError=%v %q", gotErr, got, isError, text)
		}
	}
}

// text: a prompts/get or resources/read result whose first text is text.
func text(want string) expectation {
	return func(t *testing.T, _ *mcpwire.Session, _ testCase, answer []byte) {
		var res struct {
			Messages []struct {
				Content struct {
					Text string `json:"text"`
				} `json:"content"`
			} `json:"messages"`
			Contents []struct {
				Text string `json:"text"`
			} `json:"contents"`
		}
		mcpwire.Result(t, answer, &res)
		got := ""
		if len(res.Messages) > 0 {
			got = res.Messages[0].Content.Text
		} else if len(res.Contents) > 0 {
			got = res.Contents[0].Text
		}
		if got != want {
			t.Errorf("got %q, want %q (%s)", got, want, answer)
		}
	}
}

// rpcError: a JSON-RPC error with this code and message.
func rpcError(code int, msg string) expectation {
	return func(t *testing.T, _ *mcpwire.Session, _ testCase, answer []byte) {
		e := mcpwire.ErrorOf(t, answer)
		if e == nil || e.Code != code || e.Message != msg {
			t.Errorf("got %s, want error %d %q", answer, code, msg)
		}
	}
}

// errorMessage: a JSON-RPC error with this message (its code is each
// SDK's for a handler's error), which says nothing of the secret.
func errorMessage(msg string) expectation {
	return func(t *testing.T, _ *mcpwire.Session, _ testCase, answer []byte) {
		e := mcpwire.ErrorOf(t, answer)
		if e == nil || e.Message != msg || bytes.Contains(answer, []byte(secretError)) {
			t.Errorf("got %s, want an error %q", answer, msg)
		}
	}
}

// likeMissing: the answer is, byte for byte, the backend's answer for a
// target no component has (absent, in the same param), with absent
// written where the case's target was.
func likeMissing(param, absent string) expectation {
	return func(t *testing.T, s *mcpwire.Session, c testCase, answer []byte) {
		params := map[string]any{}
		for k, v := range c.params {
			params[k] = v
		}
		target := params[param].(string)
		params[param] = absent
		s.Next-- // the same id
		missing := s.Call(c.method, params)
		missing = bytes.ReplaceAll(missing, []byte(absent), []byte(target))
		if !bytes.Equal(answer, missing) {
			t.Errorf("hidden and missing answers differ:\nhidden:  %s\nmissing: %s", answer, missing)
		}
		if bytes.Contains(answer, []byte("owner check says no")) {
			t.Errorf("a component check's message reached the client: %s", answer)
		}
	}
}

// noDeletes is a middleware check on the request's arguments: a call
// whose mode is delete, and a read of user 0's profile, are refused.
func noDeletes(ac authz.AuthContext) (bool, error) {
	switch {
	case ac.Arguments["mode"] == "delete":
		return false, &authz.AuthorizationError{Message: "deleting is not allowed"}
	case ac.Component.Kind == authz.KindResourceTemplate && ac.Arguments["id"] == "0":
		return false, &authz.AuthorizationError{Message: "user 0 is reserved"}
	}
	return true, nil
}

// cedarPolicies are the Cedar policies of the cedar setup: everything is
// permitted, except deleting, and components tagged admin to tokens
// without the admin scope.
const cedarPolicies = `
@id("all")
permit (principal, action, resource);
@id("no-delete")
forbid (principal, action in Action::"call_tool", resource) when { context has mode && context.mode == "delete" };
@id("admin-tag")
forbid (principal, action, resource) when { resource.tags.contains("admin") && !principal.scopes.contains("admin") };
`

func cedarMiddleware() authz.Middleware {
	set, err := cedarauth.ParsePolicies("parity.cedar", []byte(cedarPolicies))
	if err != nil {
		panic(err)
	}
	return cedarauth.New(set).Middleware()
}

var (
	withCedar = setup{id: "cedar", middleware: []authz.Middleware{cedarMiddleware()}}
	masked    = setup{id: "mask", mask: true}
	// withRoles reads Keycloak's realm roles: editors, or tokens with the
	// admin scope, may use anything.
	withRoles = setup{id: "roles", roleClaims: authz.KeycloakRoleClaims(), middleware: []authz.Middleware{
		authz.AuthMiddleware(authz.AnyOf(authz.RequireRoles("editor"), authz.RequireScopes("admin"))),
	}}
	withArgs      = setup{id: "args", middleware: []authz.Middleware{authz.AuthMiddleware(authz.Check(noDeletes))}}
	restrictAdmin = authz.AuthMiddleware(authz.RestrictTag("admin", "admin"))
	billing       = authz.AuthMiddleware(authz.Check(billingPlan))
	withMW        = setup{middleware: []authz.Middleware{restrictAdmin, billing}}
)

var cases = []testCase{
	// Component auth: lists.
	{"tools as nobody", setup{}, "nobody", "tools/list", nil,
		listed("tools", []string{"invoice", "public_tool", "tagged_tool"})},
	{"tools as reader", setup{}, "reader", "tools/list", nil,
		listed("tools", []string{"invoice", "public_tool", "read_tool", "tagged_tool"})},
	{"tools as admin", setup{}, "admin", "tools/list", nil,
		listed("tools", []string{"admin_tool", "invoice", "owned", "public_tool", "read_tool", "tagged_tool", "write_tool"})},
	{"resources as reader", setup{}, "reader", "resources/list", nil,
		listed("resources", []string{"public://info", "secret://data"})},
	{"templates as reader", setup{}, "reader", "resources/templates/list", nil,
		listed("resourceTemplates", []string{"docs://{x}/{y}", "users://{id}/profile"})},
	{"templates as nobody", setup{}, "nobody", "resources/templates/list", nil,
		listed("resourceTemplates", []string{})},
	{"prompts as admin", setup{}, "admin", "prompts/list", nil,
		listed("prompts", []string{"admin_prompt", "billing_prompt", "public_prompt"})},

	// Pagination: filtered before paging.
	{"pages as reader", setup{pageSize: 2}, "reader", "tools/list", nil,
		listed("tools", []string{"invoice", "public_tool"}, []string{"read_tool", "tagged_tool"})},
	{"pages as admin", setup{pageSize: 3}, "admin", "tools/list", nil,
		listed("tools", []string{"admin_tool", "invoice", "owned"}, []string{"public_tool", "read_tool", "tagged_tool"}, []string{"write_tool"})},

	// Component auth: use.
	{"call allowed", setup{}, "reader", "tools/call", map[string]any{"name": "read_tool"},
		toolResult(false, "read_tool for reader [read]")},
	{"call hidden tool", setup{}, "reader", "tools/call", map[string]any{"name": "admin_tool"},
		likeMissing("name", "absen_tool")},
	{"call hidden by custom check", setup{}, "writer", "tools/call", map[string]any{"name": "owned"},
		likeMissing("name", "ownex")},
	{"get hidden prompt", setup{}, "reader", "prompts/get", map[string]any{"name": "admin_prompt"},
		likeMissing("name", "absent_promp")},
	{"read hidden resource", setup{}, "reader", "resources/read", map[string]any{"uri": "admin://config"},
		likeMissing("uri", "absen://config")},
	{"read hidden template", setup{}, "nobody", "resources/read", map[string]any{"uri": "users://7/profile"},
		likeMissing("uri", "absen://7/profile")},
	{"read template", setup{}, "reader", "resources/read", map[string]any{"uri": "users://7/profile"},
		text("users://{id}/profile users://7/profile for reader [read]")},
	{"token in handler", setup{}, "admin", "prompts/get", map[string]any{"name": "admin_prompt"},
		text("admin_prompt for admin [read write admin]")},

	// Middleware: explicit answers.
	{"mw: tools as writer", withMW, "writer", "tools/list", nil,
		listed("tools", []string{"public_tool", "read_tool", "write_tool"})},
	{"mw: denied by middleware", withMW, "writer", "tools/call", map[string]any{"name": "tagged_tool"},
		toolResult(true, "Authorization failed for tool 'tagged_tool': insufficient permissions")},
	{"mw: hidden by own checks", withMW, "writer", "tools/call", map[string]any{"name": "admin_tool"},
		toolResult(true, "Authorization failed for tool 'admin_tool': not found or not authorized")},
	{"mw: missing tool", withMW, "writer", "tools/call", map[string]any{"name": "no_such_tool"},
		toolResult(true, "Authorization failed for tool 'no_such_tool': not found or not authorized")},
	{"mw: AuthorizationError verbatim", withMW, "reader", "tools/call", map[string]any{"name": "invoice"},
		toolResult(true, "billing tools need a billing plan")},
	{"mw: component error hidden", withMW, "writer", "tools/call", map[string]any{"name": "owned"},
		toolResult(true, "Authorization failed for tool 'owned': not found or not authorized")},
	{"mw: allowed", withMW, "billed", "tools/call", map[string]any{"name": "invoice"},
		toolResult(false, "invoice for billed [read billing]")},
	{"mw: prompt denied", withMW, "writer", "prompts/get", map[string]any{"name": "admin_prompt"},
		rpcError(-32600, "Authorization failed for prompt 'admin_prompt': not found or not authorized")},
	{"mw: prompt AuthorizationError", withMW, "reader", "prompts/get", map[string]any{"name": "billing_prompt"},
		rpcError(-32600, "billing tools need a billing plan")},
	{"mw: missing prompt", withMW, "reader", "prompts/get", map[string]any{"name": "nope"},
		rpcError(-32600, "Authorization failed for prompt 'nope': not found or not authorized")},
	{"mw: resource denied", withMW, "writer", "resources/read", map[string]any{"uri": "admin://config"},
		rpcError(-32600, "Authorization failed for resource 'admin://config': not found or not authorized")},
	{"mw: template denied", withMW, "nobody", "resources/read", map[string]any{"uri": "users://1/profile"},
		rpcError(-32600, "Authorization failed for resource 'users://1/profile': not found or not authorized")},
	{"mw: missing resource", withMW, "reader", "resources/read", map[string]any{"uri": "nothing://here"},
		rpcError(-32600, "Authorization failed for resource 'nothing://here': not found or not authorized")},
	{"mw: resource allowed", withMW, "admin", "resources/read", map[string]any{"uri": "admin://config"},
		text("admin://config admin://config for admin [read write admin]")},

	// Checks see a targeted request's arguments (AuthContext.Arguments).
	{"args: lists unaffected", withArgs, "reader", "tools/list", nil,
		listed("tools", []string{"invoice", "public_tool", "read_tool", "tagged_tool"})},
	{"args: call refused", withArgs, "reader", "tools/call", map[string]any{"name": "public_tool", "arguments": map[string]any{"mode": "delete"}},
		toolResult(true, "deleting is not allowed")},
	{"args: call allowed", withArgs, "reader", "tools/call", map[string]any{"name": "public_tool", "arguments": map[string]any{"mode": "read"}},
		toolResult(false, "public_tool for reader [read]")},
	{"args: template variable refused", withArgs, "reader", "resources/read", map[string]any{"uri": "users://0/profile"},
		rpcError(-32600, "user 0 is reserved")},
	{"args: template variable allowed", withArgs, "reader", "resources/read", map[string]any{"uri": "users://1/profile"},
		text("users://{id}/profile users://1/profile for reader [read]")},

	// A Cedar policy set as middleware (runtime/cedarauth).
	{"cedar: tools as reader", withCedar, "reader", "tools/list", nil,
		listed("tools", []string{"invoice", "public_tool", "read_tool"})},
	{"cedar: tools as admin", withCedar, "admin", "tools/list", nil,
		listed("tools", []string{"admin_tool", "invoice", "owned", "public_tool", "read_tool", "tagged_tool", "write_tool"})},
	{"cedar: forbidden by context", withCedar, "reader", "tools/call", map[string]any{"name": "public_tool", "arguments": map[string]any{"mode": "delete"}},
		toolResult(true, "Authorization failed for tool 'public_tool': insufficient permissions")},
	{"cedar: permitted", withCedar, "reader", "tools/call", map[string]any{"name": "public_tool", "arguments": map[string]any{"mode": "read"}},
		toolResult(false, "public_tool for reader [read]")},
	{"cedar: forbidden by tag", withCedar, "reader", "tools/call", map[string]any{"name": "tagged_tool"},
		toolResult(true, "Authorization failed for tool 'tagged_tool': insufficient permissions")},

	// Roles read through the server's claim mapping, and any(...).
	{"roles: tools as editor", withRoles, "editor", "tools/list", nil,
		listed("tools", []string{"invoice", "public_tool", "read_tool", "tagged_tool"})},
	{"roles: tools as reader", withRoles, "reader", "tools/list", nil,
		listed("tools", []string{})},
	{"roles: call as editor", withRoles, "editor", "tools/call", map[string]any{"name": "read_tool"},
		toolResult(false, "read_tool for editor [read]")},
	{"roles: call as reader", withRoles, "reader", "tools/call", map[string]any{"name": "read_tool"},
		toolResult(true, "Authorization failed for tool 'read_tool': insufficient permissions")},
	{"roles: any passes by scope", withRoles, "admin", "tools/call", map[string]any{"name": "write_tool"},
		toolResult(false, "write_tool for admin [read write admin]")},

	// Masked handler errors and panics (SPEC section 6).
	{"mask: tool error", masked, "reader", "tools/call", map[string]any{"name": "failing_tool"},
		toolResult(true, "Error calling tool 'failing_tool'")},
	{"mask: tool panic", masked, "reader", "tools/call", map[string]any{"name": "panicking_tool"},
		toolResult(true, "Error calling tool 'panicking_tool'")},
	{"mask: ToolError passes", masked, "reader", "tools/call", map[string]any{"name": "toolerror_tool"},
		toolResult(true, clientError)},
	{"mask: prompt error", masked, "reader", "prompts/get", map[string]any{"name": "failing_prompt"},
		errorMessage("Error rendering prompt 'failing_prompt'")},
	{"mask: resource error", masked, "reader", "resources/read", map[string]any{"uri": "fail://data"},
		errorMessage("Error reading resource 'fail://data'")},

	// Step-up lists scope-only tools to every caller; custom checks hide.
	{"step-up: tools as nobody", setup{stepUp: true}, "nobody", "tools/list", nil,
		listed("tools", []string{"admin_tool", "invoice", "public_tool", "read_tool", "tagged_tool", "write_tool"})},
}

func init() {
	cases = append(cases,
		// A hidden template never shadows a visible one (SPEC section 6).
		testCase{"read template shadowed", setup{}, "reader", "resources/read", map[string]any{"uri": "docs://a/b"},
			text("docs://{x}/{y} docs://a/b for reader [read]")},
	)
}

func TestParity(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(bt *testing.T) {
			servers := map[string]string{} // by setup
			for _, c := range cases {
				bt.Run(c.name, func(t *testing.T) {
					key := fmt.Sprint(c.setup.id, len(c.setup.middleware), c.setup.pageSize, c.setup.stepUp)
					url, ok := servers[key]
					if !ok {
						ts := httptest.NewServer(b.build(c.setup))
						bt.Cleanup(ts.Close)
						url, servers[key] = ts.URL, ts.URL
					}
					s := mcpwire.Connect(t, url, c.token)
					c.want(t, s, c, s.Call(c.method, c.params))
				})
			}
		})
	}
}

// TestParityHTTP compares what both backends answer at the HTTP layer: the
// same status, challenge and body for refused tokens and step-up, and the
// same metadata document.
func TestParityHTTP(t *testing.T) {
	type answer struct {
		Status    int
		Challenge string
		Body      string
		CORS      string
	}
	ask := func(url, token, body string, header ...string) answer {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		for i := 0; i+1 < len(header); i += 2 {
			if header[i] == "Method" {
				req.Method = header[i+1]
				continue
			}
			if header[i] == "Host" {
				req.Host = header[i+1]
				continue
			}
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		cors := ""
		for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Vary"} {
			cors += k + "=" + strings.Join(resp.Header.Values(k), ",") + ";"
		}
		return answer{resp.StatusCode, resp.Header.Get("WWW-Authenticate"), buf.String(), cors}
	}
	results := map[string][]answer{}
	for _, b := range backends {
		ts := httptest.NewServer(b.build(setup{stepUp: true, middleware: []authz.Middleware{restrictAdmin},
			cors: []string{"https://app.example"}, maxBody: 200}))
		defer ts.Close()
		call := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"admin_tool"}}`
		s := mcpwire.Connect(t, ts.URL, "reader")
		stepUp, stepUpBody := s.Send(map[string]any{"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": map[string]any{"name": "admin_tool"}})
		meta, err := http.Get(ts.URL + "/.well-known/oauth-protected-resource")
		if err != nil {
			t.Fatal(err)
		}
		var doc bytes.Buffer
		_, _ = doc.ReadFrom(meta.Body)
		meta.Body.Close()
		host := ts.URL[len("http://"):]
		norm := func(a answer) answer {
			a.Challenge = string(bytes.ReplaceAll([]byte(a.Challenge), []byte(host), []byte("HOST")))
			return a
		}
		results[b.name] = []answer{
			norm(ask(ts.URL, "", call)),
			norm(ask(ts.URL, "Bearer nope", call)),
			norm(ask(ts.URL, "Basic cmVhZGVy", call)),
			norm(answer{stepUp.StatusCode, stepUp.Header.Get("WWW-Authenticate"), string(stepUpBody), ""}),
			{meta.StatusCode, meta.Header.Get("Cache-Control"), string(bytes.ReplaceAll(doc.Bytes(), []byte(host), []byte("HOST"))), ""},
			// Hardening (SPEC section 6): a foreign Host, an oversized
			// body, CORS on a challenge and a preflight.
			norm(ask(ts.URL, "Bearer reader", call, "Host", "evil.example")),
			norm(ask(ts.URL, "Bearer reader", `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"pad":"`+strings.Repeat("x", 300)+`"}}`)),
			norm(ask(ts.URL, "", call, "Origin", "https://app.example")),
			norm(ask(ts.URL, "", "", "Method", http.MethodOptions, "Origin", "https://app.example", "Access-Control-Request-Method", "POST")),
			norm(ask(ts.URL, "", "", "Method", http.MethodOptions, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")),
		}
	}
	if diff := cmp.Diff(results["mcp-go"], results["go-sdk"]); diff != "" {
		t.Errorf("HTTP answers differ (-mcp-go +go-sdk):\n%s", diff)
	}
	for i, want := range []int{401, 401, 401, 403, 200, 421, 413, 401, 204, 403} {
		if got := results["go-sdk"][i]; got.Status != want {
			t.Errorf("answer %d: %+v, want status %d", i, got, want)
		}
	}
}

// TestParitySessions checks, on each backend, that another principal's
// request on a session is answered byte for byte as one on an unknown
// session, and that stateless servers serve any request on its own token.
func TestParitySessions(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ts := httptest.NewServer(b.build(setup{}))
			defer ts.Close()
			owner := mcpwire.Connect(t, ts.URL, "reader")
			post := func(token, session string) (int, string) {
				s := &mcpwire.Session{URL: ts.URL, Token: token, ID: session}
				s = mcpwire.Bind(t, s)
				resp, body := s.Send(map[string]any{"jsonrpc": "2.0", "id": 3, "method": "tools/list"})
				return resp.StatusCode, resp.Header.Get("Content-Type") + " " + string(body)
			}
			hijack, hijackBody := post("admin", owner.ID)
			unknown, unknownBody := post("admin", "no-such-session")
			if hijack != unknown || hijackBody != unknownBody || hijack/100 != 4 {
				t.Errorf("another principal: %d %q; unknown session: %d %q", hijack, hijackBody, unknown, unknownBody)
			}
			if got, _ := mcpwire.Names(t, owner.Call("tools/list", nil), "tools"); len(got) != 4 {
				t.Errorf("the owner's session after the attempt lists %v", got)
			}

			stateless := httptest.NewServer(b.build(setup{stateless: true}))
			defer stateless.Close()
			for token, want := range map[string]int{"reader": 4, "admin": 7} {
				s := mcpwire.Connect(t, stateless.URL, token)
				if got, _ := mcpwire.Names(t, s.Call("tools/list", nil), "tools"); len(got) != want {
					t.Errorf("stateless, %s: %v", token, got)
				}
			}
		})
	}
}
