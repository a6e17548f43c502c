package keycloakroles

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/jwtauth"
)

const (
	owner    = "6c1d2a4e-0000-4000-8000-000000000001" // Keycloak subjects are UUIDs
	issuer   = "https://sso.example.com/realms/team"
	audience = "wiki-mcp"
)

// keycloak returns the claims of a Keycloak access token for subject sub
// with the given realm roles, client roles (of this server's client) and
// scopes. Another client's roles are always present, and never count.
func keycloak(sub string, realm, client []string, scope string) map[string]any {
	c := map[string]any{
		"iss": issuer, "aud": audience, "sub": sub, "azp": "wiki-cli",
		"scope":        scope,
		"realm_access": map[string]any{"roles": append([]string{"offline_access", "uma_authorization"}, realm...)},
		"resource_access": map[string]any{
			"account": map[string]any{"roles": []string{"admin", "editor", "manage-account"}},
		},
	}
	if client != nil {
		c["resource_access"].(map[string]any)[ClientID] = map[string]any{"roles": client}
	}
	return c
}

// The callers of the tests, as Keycloak would issue their tokens.
var callers = []struct {
	name   string
	claims map[string]any
	tools  []string // what they see
}{
	{"no roles", keycloak("u-nobody", nil, nil, "openid"), []string{}},
	{"reader", keycloak("u-reader", []string{"reader"}, nil, "openid wiki:read"), []string{"export", "read_page"}},
	{"reader without wiki scopes", keycloak("u-reader2", []string{"reader"}, nil, "openid"), []string{"read_page"}},
	{"editor", keycloak("u-editor", []string{"reader"}, []string{"editor"}, "openid wiki:write"), []string{"edit_page", "export", "read_page"}},
	{"editor lacking wiki:write", keycloak("u-editor2", nil, []string{"editor"}, "openid"), []string{}},
	{"admin", keycloak("u-admin", []string{"admin"}, nil, "openid"), []string{"delete_wiki"}},
	{"owner", keycloak(owner, nil, nil, "openid"), []string{"delete_wiki"}},
}

// token is the AccessToken a JWT verifier makes of claims, with claims as
// encoding/json decodes them.
func token(t *testing.T, claims map[string]any) *runtime.AccessToken {
	t.Helper()
	b, _ := json.Marshal(claims)
	var decoded map[string]any
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	return &runtime.AccessToken{
		Token: "t", ClientID: decoded["azp"].(string),
		Scopes: strings.Fields(decoded["scope"].(string)),
		Claims: decoded,
	}
}

func TestInProcess(t *testing.T) {
	c := mcptest.Connect(t, New(owner))
	if diff := cmp.Diff([]string{}, c.Tools(nil)); diff != "" {
		t.Errorf("no token sees (-want +got):\n%s", diff)
	}
	for _, caller := range callers {
		tok := token(t, caller.claims)
		if diff := cmp.Diff(caller.tools, c.Tools(tok)); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", caller.name, diff)
		}
	}
	for _, name := range []string{"admin", "owner"} {
		text, isErr, err := c.Call(token(t, claimsOf(name)), "delete_wiki", nil)
		if err != nil || isErr || text != "wiki deleted" {
			t.Errorf("%s deletes: %q %v %v", name, text, isErr, err)
		}
	}
	// The client roles of another client do not count: "account" grants
	// admin and editor to everybody above.
	_, _, err := c.Call(token(t, claimsOf("reader")), "delete_wiki", nil)
	_, _, missing := c.Call(token(t, claimsOf("reader")), "no_such_tool", nil)
	if err == nil || strings.Replace(err.Error(), "delete_wiki", "no_such_tool", 1) != missing.Error() {
		t.Errorf("reader deletes: %v; want the answer for a missing tool (%v)", err, missing)
	}
}

func claimsOf(name string) map[string]any {
	for _, c := range callers {
		if c.name == name {
			return c.claims
		}
	}
	panic(name)
}

// TestMeta: a tool publishes the scopes every caller must have; the
// scopes inside any(…) are not among them, and roles are not scopes.
func TestMeta(t *testing.T) {
	c, _ := mcptest.Start(t, New(owner))
	all := token(t, keycloak(owner, []string{"reader", "admin"}, []string{"editor"}, "wiki:write"))
	res, err := c.ListTools(mcptest.As(all), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tool := range res.Tools {
		b, _ := json.Marshal(tool.Meta)
		got[tool.Name] = string(b)
	}
	want := map[string]string{
		"read_page":   "null",
		"edit_page":   `{"authorization":{"scopes":["wiki:write"]}}`,
		"delete_wiki": "null",
		"export":      "null",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("_meta (-want +got):\n%s", diff)
	}
}

// idp signs tokens as a Keycloak realm would, with a key made for the
// test.
type idp struct {
	key    ed25519.PrivateKey
	signer jose.Signer
}

func newIDP(t *testing.T) *idp {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	return &idp{key: key, signer: signer}
}

func (p *idp) sign(t *testing.T, claims map[string]any) string {
	t.Helper()
	now := time.Now()
	c := map[string]any{"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
	for k, v := range claims {
		c[k] = v
	}
	raw, err := jwt.Signed(p.signer).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// serve serves the wiki over Streamable HTTP behind the JWT verifier, with
// step-up on.
func serve(t *testing.T, p *idp) *httptest.Server {
	t.Helper()
	v, err := jwtauth.New(jwtauth.Config{
		PublicKey:  p.key.Public(),
		Algorithms: []string{"EdDSA"},
		Issuer:     issuer,
		Audience:   []string{audience},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(New(owner).HTTPHandler(runtime.WithTokenVerifier(v), runtime.WithStepUp()))
	t.Cleanup(ts.Close)
	return ts
}

func TestHTTP(t *testing.T) {
	p := newIDP(t)
	ts := serve(t, p)
	connect := func(raw string) *client.Client {
		c, err := client.NewStreamableHttpClient(ts.URL, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + raw}))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		ctx := context.Background()
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		init := mcp.InitializeRequest{}
		init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
		init.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
		if _, err := c.Initialize(ctx, init); err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	for _, caller := range callers {
		c := connect(p.sign(t, caller.claims))
		res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, tool := range res.Tools {
			got = append(got, tool.Name)
		}
		// Step-up lists scope-only tools to everyone; this server has
		// none, since every tool names a role.
		if diff := cmp.Diff(caller.tools, sorted(got)); diff != "" {
			t.Errorf("%s sees over HTTP (-want +got):\n%s", caller.name, diff)
		}
	}
	call := func(raw, tool string) (string, error) {
		req := mcp.CallToolRequest{}
		req.Params.Name = tool
		res, err := connect(raw).CallTool(ctx, req)
		if err != nil {
			return "", err
		}
		return res.Content[0].(mcp.TextContent).Text, nil
	}
	for _, name := range []string{"admin", "owner"} {
		if text, err := call(p.sign(t, claimsOf(name)), "delete_wiki"); err != nil || text != "wiki deleted" {
			t.Errorf("%s deletes over HTTP: %q %v", name, text, err)
		}
	}
	// A token whose subject is the owner's but signed by another key is
	// refused before MCP.
	forged := newIDP(t).sign(t, claimsOf("owner"))
	req, _ := http.NewRequest(http.MethodPost, ts.URL, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	req.Header.Set("Authorization", "Bearer "+forged)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged owner token: %d, want 401", resp.StatusCode)
	}
}

// TestNoStepUpForRoles: an editor without wiki:write lacks only a scope
// of edit_page, but edit_page also needs a role, so the answer is the
// one for a missing tool, never a scope challenge; a reader denied export
// is not challenged either, since any(…) names no scope to ask for. The
// two answers equal, byte for byte, the answer for a tool that does not
// exist.
func TestNoStepUpForRoles(t *testing.T) {
	p := newIDP(t)
	ts := serve(t, p)
	for _, tc := range []struct{ caller, tool string }{
		{"editor lacking wiki:write", "edit_page"},
		{"reader without wiki scopes", "export"},
		{"reader", "delete_wiki"},
	} {
		raw := p.sign(t, claimsOf(tc.caller))
		session := initialize(t, ts.URL, raw)
		status, header, body := post(t, ts.URL, raw, session, tc.tool)
		_, _, missing := post(t, ts.URL, raw, session, "absent")
		if status != http.StatusOK || header != "" {
			t.Errorf("%s calls %s: %d %q, want 200 and no challenge", tc.caller, tc.tool, status, header)
		}
		if want := strings.ReplaceAll(missing, "absent", tc.tool); body != want {
			t.Errorf("%s calls %s:\n%s\nwant the answer for a missing tool:\n%s", tc.caller, tc.tool, body, want)
		}
	}
}

func initialize(t *testing.T, url, raw string) string {
	t.Helper()
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+raw)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	id := resp.Header.Get("Mcp-Session-Id")
	if resp.StatusCode != http.StatusOK || id == "" {
		t.Fatalf("initialize: %d, session %q", resp.StatusCode, id)
	}
	return id
}

func post(t *testing.T, url, raw, session, tool string) (int, string, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": map[string]any{"name": tool}})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+raw)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Mcp-Session-Id", session)
	req.Header.Set("Mcp-Protocol-Version", "2025-11-25")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("WWW-Authenticate"), string(body)
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
