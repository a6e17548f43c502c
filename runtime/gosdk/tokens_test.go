package gosdk_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

func TestUnauthenticatedRequestsAreRefused(t *testing.T) {
	// The endpoint is the test server's root, "/": its metadata is at
	// /.well-known/oauth-protected-resource/.
	url := serve(t, authorized(fixture(nil)))
	for _, tc := range []struct {
		method, auth string
		status       int
		challenge    string
	}{
		{http.MethodPost, "", 401, `Bearer resource_metadata="` + url + `/.well-known/oauth-protected-resource/"`},
		{http.MethodGet, "", 401, `Bearer resource_metadata="` + url + `/.well-known/oauth-protected-resource/"`},
		{http.MethodDelete, "", 401, `Bearer resource_metadata="` + url + `/.well-known/oauth-protected-resource/"`},
		{http.MethodPost, "Basic YTpi", 401, `Bearer resource_metadata="` + url + `/.well-known/oauth-protected-resource/"`},
		{http.MethodPost, "Bearer wrong", 401, `Bearer error="invalid_token", error_description="The access token is invalid or expired", resource_metadata="` + url + `/.well-known/oauth-protected-resource/"`},
	} {
		req, _ := http.NewRequest(tc.method, url, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("WWW-Authenticate") != tc.challenge {
			t.Errorf("%s %q: %d %q, want %d %q", tc.method, tc.auth, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), tc.status, tc.challenge)
		}
	}
}

// TestTokenInfo checks that handlers see the verified token both ways: as
// an AccessToken in the context, and as the SDK's TokenInfo, whose UserID
// names the principal.
func TestTokenInfo(t *testing.T) {
	srv := gosdk.NewServer(&mcp.Implementation{Name: "t", Version: "1"}, nil)
	srv.AddTool(textTool("who"), func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		ti := req.Extra.TokenInfo
		text := describeToken(gosdk.AccessTokenFromContext(ctx)) + " | " + ti.UserID + " " + strings.Join(ti.Scopes, ",")
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil
	})
	s := mcpwire.Connect(t, serve(t, authorized(srv)), "writer-token")
	if _, got := mcpwire.ToolText(t, s.Call("tools/call", map[string]any{"name": "who"})); got != "writer [read write] | client: writer read,write" {
		t.Errorf("got %q", got)
	}
}

// TestSessionsBelongToPrincipals checks that another principal's token
// with a session's id is answered exactly as an unknown session, while the
// same principal's new token is served, and checks see the new token.
func TestSessionsBelongToPrincipals(t *testing.T) {
	url := serve(t, authorized(fixture(nil)))
	owner := mcpwire.Connect(t, url, "reader-token")

	ask := func(token, session string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":5,"method":"tools/list"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Mcp-Session-Id", session)
		req.Header.Set("Mcp-Protocol-Version", mcpwire.ProtocolVersion)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type") + "\n" + string(b)
	}
	hijackStatus, hijack := ask("admin-token", owner.ID)
	unknownStatus, unknown := ask("admin-token", "no-such-session")
	if hijackStatus != http.StatusNotFound || hijackStatus != unknownStatus || hijack != unknown {
		t.Errorf("another principal's request: %d %q; an unknown session's: %d %q", hijackStatus, hijack, unknownStatus, unknown)
	}
	// The owner's session is untouched, and a refreshed token of the same
	// principal (reader-2: more scopes) is served with its own scopes.
	got, _ := mcpwire.Names(t, owner.Call("tools/list", nil), "tools")
	if strings.Join(got, " ") != "public_tool read_tool tagged_tool whoami" {
		t.Errorf("owner's list after the attempt: %v", got)
	}
	owner.Token = "reader-2"
	if _, text := mcpwire.ToolText(t, owner.Call("tools/call", map[string]any{"name": "write_tool"})); text != "write_tool for reader [read write]" {
		t.Errorf("refreshed token: %q", text)
	}
}
