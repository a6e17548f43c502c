package runtime_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// TestCallCheckReadsServerRoles: a call check that folds "an admin, or the
// note's owner" into one (what the generator asks for in place of a call
// check inside any(…)) reads roles through the server's role claims, in a
// tool's handler (ToolCallCheck) and at the request entry (WithCallChecks):
// the Keycloak realm role counts, a top-level "roles" claim the server does
// not map does not.
func TestCallCheckReadsServerRoles(t *testing.T) {
	adminOrOwner := func(ac runtime.AuthContext, id string) bool {
		return ac.HasRole("admin") || (ac.Token != nil && id == ac.Token.ClientID+"-note")
	}
	srv := runtime.NewServer("notes", "1", runtime.WithRoleClaims(runtime.KeycloakRoleClaims("notes-mcp")...))
	srv.AddToolCall(mcp.NewTool("delete_note", mcp.WithString("id")), func(ctx context.Context, ac runtime.AuthContext, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var in struct {
			ID string `json:"id"`
		}
		if res := runtime.BindArguments(req, &in, "id"); res != nil {
			return res, nil
		}
		if res := runtime.ToolCallCheck(ctx, ac, "check(adminOrOwner)", func(_ context.Context, ac runtime.AuthContext) (bool, error) {
			return adminOrOwner(ac, in.ID), nil
		}); res != nil {
			return res, nil
		}
		return mcp.NewToolResultText("deleted " + in.ID), nil
	}, runtime.WithScopes("notes"))
	srv.AddPrompt(mcp.NewPrompt("summarize_note", mcp.WithArgument("id")), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return &mcp.GetPromptResult{Messages: []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("summary"))}}, nil
	}, runtime.WithScopes("notes"), runtime.WithCallChecks(runtime.Check(func(ac runtime.AuthContext) bool {
		id, _ := ac.Arguments["id"].(string)
		return adminOrOwner(ac, id)
	})))
	c := connect(t, srv)

	admin := &runtime.AccessToken{ClientID: "ann", Scopes: []string{"notes"},
		Claims: map[string]any{"realm_access": map[string]any{"roles": []any{"admin"}}}}
	unmapped := &runtime.AccessToken{ClientID: "bob", Scopes: []string{"notes"},
		Claims: map[string]any{"roles": []any{"admin"}}}
	for _, tc := range []struct {
		tok  *runtime.AccessToken
		id   string
		want string // tool answer | prompt answer
	}{
		{admin, "carl-note", "false deleted carl-note | ok"},
		{unmapped, "bob-note", "false deleted bob-note | ok"},
		{unmapped, "carl-note", "true Authorization failed for tool 'delete_note': insufficient permissions | invalid request: Authorization failed for prompt 'summarize_note': insufficient permissions"},
	} {
		req := mcp.CallToolRequest{}
		req.Params.Name = "delete_note"
		req.Params.Arguments = map[string]any{"id": tc.id}
		res, err := c.CallTool(as(tc.tok), req)
		if err != nil {
			t.Fatal(err)
		}
		preq := mcp.GetPromptRequest{}
		preq.Params.Name = "summarize_note"
		preq.Params.Arguments = map[string]string{"id": tc.id}
		prompt := "ok"
		if _, err := c.GetPrompt(as(tc.tok), preq); err != nil {
			prompt = err.Error()
		}
		if got := fmt.Sprintf("%v %s | %s", res.IsError, resultText(res), prompt); got != tc.want {
			t.Errorf("%s on %s: got %q, want %q", tc.tok.ClientID, tc.id, got, tc.want)
		}
	}
}
