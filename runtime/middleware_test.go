package runtime_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// TestMiddlewareRestrictTag checks a server-wide restrict_tag rule: tagged
// components need the scope, untagged ones stay open even without a token.
func TestMiddlewareRestrictTag(t *testing.T) {
	srv := runtime.NewServer("t", "1", runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))))
	for _, tc := range []struct {
		name string
		tags []string
	}{{"plain", nil}, {"admin_only", []string{"admin"}}, {"other_tag", []string{"reports"}}} {
		tool, h := textTool(tc.name)
		srv.AddTool(tool, h, runtime.WithTags(tc.tags...))
	}
	c := connect(t, srv)
	for _, tc := range []struct {
		tok  *runtime.AccessToken
		want []string
	}{
		{nil, []string{"other_tag", "plain"}},
		{tokWrite, []string{"other_tag", "plain"}},
		{tokAdmin, []string{"admin_only", "other_tag", "plain"}},
	} {
		if got := sorted(toolNames(t, c, as(tc.tok))); !cmp.Equal(got, tc.want) {
			t.Errorf("%s sees %v, want %v", describeToken(tc.tok), got, tc.want)
		}
	}
}

// TestMiddlewareAnswers checks what a caller is told when middleware is
// present: explicit messages, the same for missing and component-denied
// targets, isError results for tools and JSON-RPC errors for the rest.
func TestMiddlewareAnswers(t *testing.T) {
	srv := fixture(runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))))
	c := connect(t, srv)

	t.Run("tools/call", func(t *testing.T) {
		for _, tc := range []struct {
			tok  *runtime.AccessToken
			tool string
			want string
			err  bool
		}{
			{tokAdmin, "admin_tool", "admin_tool ok", false},
			{tokAdmin, "tagged_tool", "tagged_tool ok", false},
			// tagged_tool has no checks of its own: the middleware denies.
			{tokWrite, "tagged_tool", "Authorization failed for tool 'tagged_tool': insufficient permissions", true},
			// admin_tool's own scopes(admin) deny first: hidden.
			{tokWrite, "admin_tool", "Authorization failed for tool 'admin_tool': not found or not authorized", true},
			{tokWrite, "no_such_tool", "Authorization failed for tool 'no_such_tool': not found or not authorized", true},
			{nil, "read_tool", "Authorization failed for tool 'read_tool': not found or not authorized", true},
			{tokRead, "read_tool", "read_tool ok", false},
		} {
			res, err := callTool(c, as(tc.tok), tc.tool)
			if err != nil {
				t.Errorf("%s as %s: protocol error %v; want a tool result", tc.tool, describeToken(tc.tok), err)
				continue
			}
			if res.IsError != tc.err || resultText(res) != tc.want {
				t.Errorf("%s as %s: isError=%v %q, want isError=%v %q", tc.tool, describeToken(tc.tok), res.IsError, resultText(res), tc.err, tc.want)
			}
		}
		missing := rawCall(t, c, as(tokWrite), "tools/call", map[string]any{"name": "secret_tool"})
		hidden := rawCall(t, c, as(tokWrite), "tools/call", map[string]any{"name": "admin_tool"})
		if replaceAll(missing, "secret_tool", "admin_tool") != hidden {
			t.Errorf("missing and hidden tools answer differently:\n%s\n%s", missing, hidden)
		}
	})

	t.Run("prompts/get", func(t *testing.T) {
		for _, tc := range []struct {
			tok     *runtime.AccessToken
			prompt  string
			wantErr string
		}{
			{tokAdmin, "admin_prompt", ""},
			{tokWrite, "admin_prompt", "Authorization failed for prompt 'admin_prompt': not found or not authorized"},
			{tokWrite, "nope", "Authorization failed for prompt 'nope': not found or not authorized"},
			{nil, "public_prompt", ""},
		} {
			_, err := getPrompt(c, as(tc.tok), tc.prompt)
			if got := errText(err); !contains(got, tc.wantErr) || (tc.wantErr == "") != (err == nil) {
				t.Errorf("%s as %s: error %q, want %q", tc.prompt, describeToken(tc.tok), got, tc.wantErr)
			}
		}
		missing := rawCall(t, c, as(tokWrite), "prompts/get", map[string]any{"name": "xdmin_prompt"})
		hidden := rawCall(t, c, as(tokWrite), "prompts/get", map[string]any{"name": "admin_prompt"})
		if replaceAll(missing, "xdmin_prompt", "admin_prompt") != hidden {
			t.Errorf("missing and hidden prompts answer differently:\n%s\n%s", missing, hidden)
		}
		if want := `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Authorization failed for prompt 'admin_prompt': not found or not authorized"}}`; hidden != want {
			t.Errorf("hidden prompt answer:\n got %s\nwant %s", hidden, want)
		}
	})

	t.Run("resources/read", func(t *testing.T) {
		for _, tc := range []struct {
			tok     *runtime.AccessToken
			uri     string
			wantErr string
		}{
			{tokAdmin, "admin://config", ""},
			{tokWrite, "admin://config", "Authorization failed for resource 'admin://config': not found or not authorized"},
			{tokWrite, "admin://nothing", "Authorization failed for resource 'admin://nothing': not found or not authorized"},
			{nil, "users://1/profile", "Authorization failed for resource 'users://1/profile': not found or not authorized"},
			{tokRead, "users://1/profile", ""},
		} {
			_, err := readResource(c, as(tc.tok), tc.uri)
			if got := errText(err); !contains(got, tc.wantErr) || (tc.wantErr == "") != (err == nil) {
				t.Errorf("%s as %s: error %q, want %q", tc.uri, describeToken(tc.tok), got, tc.wantErr)
			}
		}
	})
}

// TestMiddlewareAuthorizationError checks that a middleware check's own
// AuthorizationError message reaches the client verbatim, while a component
// check's stays hidden.
func TestMiddlewareAuthorizationError(t *testing.T) {
	business := runtime.Check(func(ac runtime.AuthContext) (bool, error) {
		if ac.Component.HasTag("billing") && !ac.Token.HasScope("billing") {
			return false, &runtime.AuthorizationError{Message: "billing tools need a billing plan"}
		}
		return true, nil
	})
	componentErr := runtime.Check(func(runtime.AuthContext) (bool, error) {
		return false, &runtime.AuthorizationError{Message: "component says no"}
	})
	srv := runtime.NewServer("t", "1", runtime.WithMiddleware(runtime.AuthMiddleware(business)))
	tool, h := textTool("invoice")
	srv.AddTool(tool, h, runtime.WithTags("billing"))
	tool, h = textTool("guarded")
	srv.AddTool(tool, h, runtime.WithAuth(componentErr))
	srv.AddPrompt(mcp.NewPrompt("billing_prompt"), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return mcp.NewGetPromptResult("", nil), nil
	}, runtime.WithTags("billing"))
	c := connect(t, srv)

	res, err := callTool(c, as(tokRead), "invoice")
	if err != nil || !res.IsError || resultText(res) != "billing tools need a billing plan" {
		t.Errorf("invoice: %v %q %v", res.IsError, resultText(res), err)
	}
	res, err = callTool(c, as(tokRead), "guarded")
	if err != nil || !res.IsError || resultText(res) != "Authorization failed for tool 'guarded': not found or not authorized" {
		t.Errorf("guarded: %v %q %v", res.IsError, resultText(res), err)
	}
	_, err = getPrompt(c, as(tokRead), "billing_prompt")
	if !contains(errText(err), "billing tools need a billing plan") {
		t.Errorf("billing_prompt: %v", err)
	}
	if got := toolNames(t, c, as(tokRead)); len(got) != 0 {
		t.Errorf("tools listed: %v, want none", got)
	}
	billing := &runtime.AccessToken{Scopes: []string{"billing"}}
	if got := toolNames(t, c, as(billing)); !cmp.Equal(got, []string{"invoice"}) {
		t.Errorf("billing sees %v", got)
	}
}

// TestMiddlewareStacks checks that two middlewares, and middleware with
// component checks, must all pass.
func TestMiddlewareStacks(t *testing.T) {
	srv := runtime.NewServer("t", "1", runtime.WithMiddleware(
		runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin")),
		runtime.AuthMiddleware(runtime.RestrictTag("finance", "finance")),
	))
	add := func(name string, opts ...runtime.ComponentOption) {
		tool, h := textTool(name)
		srv.AddTool(tool, h, opts...)
	}
	add("plain")
	add("admin", runtime.WithTags("admin"))
	add("finance", runtime.WithTags("finance"))
	add("both", runtime.WithTags("admin", "finance"))
	add("both_write", runtime.WithTags("admin", "finance"), runtime.WithScopes("write"))
	c := connect(t, srv)
	for _, tc := range []struct {
		scopes []string
		want   []string
	}{
		{nil, []string{"plain"}},
		{[]string{"admin"}, []string{"admin", "plain"}},
		{[]string{"finance"}, []string{"finance", "plain"}},
		{[]string{"admin", "finance"}, []string{"admin", "both", "finance", "plain"}},
		{[]string{"admin", "finance", "write"}, []string{"admin", "both", "both_write", "finance", "plain"}},
		{[]string{"write"}, []string{"plain"}},
	} {
		tok := &runtime.AccessToken{Scopes: tc.scopes}
		if got := sorted(toolNames(t, c, as(tok))); !cmp.Equal(got, tc.want) {
			t.Errorf("scopes %v see %v, want %v", tc.scopes, got, tc.want)
		}
		for _, name := range []string{"plain", "admin", "finance", "both", "both_write"} {
			res, err := callTool(c, as(tok), name)
			allowed := err == nil && !res.IsError
			if want := contains("|"+joinNames(tc.want)+"|", "|"+name+"|"); allowed != want {
				t.Errorf("scopes %v call %s: allowed=%v want %v (%q)", tc.scopes, name, allowed, want, resultText(res))
			}
		}
	}
}

func joinNames(s []string) string {
	out := ""
	for i, n := range s {
		if i > 0 {
			out += "|"
		}
		out += n
	}
	return out
}
