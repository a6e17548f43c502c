package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/e2e/oidctest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/introspect"
	"github.com/mcpauthgen/mcpauthgen/runtime/jwtauth"
)

// The OAuth clients of the authorization server in the flow tests.
var oauthClients = []oidctest.Client{
	{ID: "agent", Secret: "agent-secret", Scopes: []string{"read", "write"}},
	{ID: "opaque-agent", Secret: "opaque-secret", Scopes: []string{"read"}, Opaque: true},
	{ID: "mcp-server", Secret: "server-secret"}, // the MCP server's own, for introspection
	{ID: "native-app", Scopes: []string{"read", "write"}, RedirectURIs: []string{"http://127.0.0.1/callback"}},
}

// oauthServer serves the fixture on b, as c says, at /mcp of a local
// server whose tokens come from p: verified as JWTs against p's JWKS, or by introspection at p
// when opaque. Its protected resource metadata names p as authorization
// server. It returns the MCP endpoint's URL.
func oauthServer(t *testing.T, p *oidctest.Provider, b backend, c fixtureConfig, opaque bool) string {
	t.Helper()
	mux := http.NewServeMux()
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	resource := ts.URL + "/mcp"
	var v runtime.TokenVerifier
	var err error
	if opaque {
		v, err = introspect.New(introspect.Config{
			URL: p.URL(oidctest.IntrospectionPath), ClientID: "mcp-server", ClientSecret: "server-secret",
			Issuer: p.Issuer(), Audience: []string{resource},
		})
	} else {
		v, err = jwtauth.New(jwtauth.Config{JWKSURL: p.URL(oidctest.JWKSPath), Issuer: p.Issuer(), Audience: []string{resource}})
	}
	if err != nil {
		t.Fatal(err)
	}
	c.verifier, c.authServers = v, []string{p.Issuer()}
	h := b.handler(c)
	mux.Handle("/mcp", h)
	mux.Handle("/.well-known/oauth-protected-resource/mcp", h)
	return resource
}

func startOAuthProvider(t *testing.T) *oidctest.Provider {
	t.Helper()
	p, err := oidctest.New(oidctest.Config{Clients: oauthClients})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// runOAuthClient runs client.mjs as OAuth client id of p, asking for scope.
func runOAuthClient(t *testing.T, node, url string, p *oidctest.Provider, id, secret, scope string, followChallenge bool, ops []op) oauthOutput {
	t.Helper()
	args := []string{"--client-id", id, "--client-secret", secret, "--issuer", p.Issuer(), "--scope", scope}
	if followChallenge {
		args = append(args, "--follow-scope-challenge")
	}
	return runOAuthArgs(t, node, url, args, ops)
}

func runOAuthArgs(t *testing.T, node, url string, args []string, ops []op) oauthOutput {
	t.Helper()
	var out oauthOutput
	raw := runClientArgs(t, node, url, args, ops)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

type oauthOutput struct {
	clientOutput
	Requests []httpRequest `json:"requests"`
}

type httpRequest struct {
	Method string            `json:"method"`
	URL    string            `json:"url"`
	Status int               `json:"status"`
	Form   map[string]string `json:"form,omitempty"`
}

// resultText is the text of a tools/call result, "isError: " prefixed
// when it is one, or the error.
func resultText(t *testing.T, r opResult) string {
	t.Helper()
	if r.Error != nil {
		return "error: " + r.Error.Message
	}
	var res struct {
		IsError bool `json:"isError"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	}
	if err := json.Unmarshal(r.Result, &res); err != nil || len(res.Content) == 0 {
		t.Fatalf("result %s: %v", r.Result, err)
	}
	if res.IsError {
		return "isError: " + res.Content[0].Text
	}
	return res.Content[0].Text
}

func toolNames(t *testing.T, r opResult) []string {
	t.Helper()
	var res struct {
		Tools []struct {
			Name string `json:"name"`
		} `json:"tools"`
	}
	if r.Error != nil || json.Unmarshal(r.Result, &res) != nil {
		t.Fatalf("listTools: %+v", r)
	}
	var names []string
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
	}
	return names
}

// TestOAuthFlow runs the MCP authorization flow with the TypeScript SDK's
// OAuth client against a real authorization server: the first request is
// refused with 401, the SDK follows resource_metadata to the protected
// resource metadata, discovers the authorization server from it, gets a
// client_credentials token for the server's resource, and retries; what it
// may then list and call follows the scopes it asked for.
func TestOAuthFlow(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	forEachBackend(t, func(t *testing.T, b backend) { oauthFlow(t, node, b) })
}

func oauthFlow(t *testing.T, node string, b backend) {
	p := startOAuthProvider(t)
	url := oauthServer(t, p, b, fixtureConfig{layer: fullLayer}, false)
	base := strings.TrimSuffix(url, "/mcp")

	out := runOAuthClient(t, node, url, p, "agent", "agent-secret", "read", false, []op{
		{"op": "listTools"},
		{"op": "callTool", "name": "whoami"},
		{"op": "callTool", "name": "read_tool"},
		{"op": "callTool", "name": "write_tool", "args": map[string]any{"text": "hi"}},
		{"op": "callTool", "name": "no_such_tool"},
	})
	if !out.Connect.OK {
		t.Fatalf("the SDK did not connect: %+v\nrequests: %+v", out.Connect.Error, out.Requests)
	}

	// The discovery chain, request by request, up to the first MCP request
	// that succeeds.
	want := []httpRequest{
		{Method: "POST", URL: url, Status: http.StatusUnauthorized},
		{Method: "GET", URL: base + "/.well-known/oauth-protected-resource/mcp", Status: http.StatusOK},
		{Method: "GET", URL: p.URL("/.well-known/oauth-authorization-server"), Status: http.StatusNotFound},
		{Method: "GET", URL: p.URL(oidctest.DiscoveryPath), Status: http.StatusOK},
		{Method: "POST", URL: p.URL(oidctest.TokenPath), Status: http.StatusOK,
			Form: map[string]string{"grant_type": "client_credentials", "scope": "read", "resource": url}},
		{Method: "POST", URL: url, Status: http.StatusOK},
	}
	if len(out.Requests) < len(want) {
		t.Fatalf("requests: %+v", out.Requests)
	}
	if diff := cmp.Diff(want, out.Requests[:len(want)]); diff != "" {
		t.Errorf("the flow's requests (-want +got):\n%s", diff)
	}
	for _, r := range out.Requests[len(want):] {
		if r.URL != url && r.URL != url+"/" {
			t.Errorf("a request after the flow went to %s %s (%d)", r.Method, r.URL, r.Status)
		}
	}

	// The token carries exactly the scope asked for, and the server sees
	// the client: lists and calls follow it.
	if got := toolNames(t, out.Results[0]); !cmp.Equal(got, []string{"public_tool", "read_tool", "whoami"}, sortStrings) {
		t.Errorf("tools listed for scope read: %v", got)
	}
	for i, want := range []string{
		"client=agent scopes=[read]",
		"read_tool ok",
		"isError: Authorization failed for tool 'write_tool': not found or not authorized",
		"isError: Authorization failed for tool 'no_such_tool': not found or not authorized",
	} {
		if got := resultText(t, out.Results[i+1]); got != want {
			t.Errorf("op %d: %q, want %q", i+1, got, want)
		}
	}

	// Tokens the server must refuse: issued for another resource, for no
	// resource (audience: the client), or by nobody.
	ctx := context.Background()
	other, err := p.ClientCredentials(ctx, "agent", "agent-secret", "read write", "https://other.example/mcp")
	if err != nil {
		t.Fatal(err)
	}
	noResource, err := p.ClientCredentials(ctx, "agent", "agent-secret", "read write")
	if err != nil {
		t.Fatal(err)
	}
	own, err := p.ClientCredentials(ctx, "agent", "agent-secret", "read write", url)
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{
		"another audience": other.AccessToken, "no resource": noResource.AccessToken, "made up": "x.y.z", "ours": own.AccessToken,
	} {
		status, challenge := postInitialize(t, url, tok)
		wantStatus, wantChallenge := http.StatusUnauthorized, `Bearer error="invalid_token"`
		if name == "ours" {
			wantStatus, wantChallenge = http.StatusOK, ""
		}
		if status != wantStatus || !strings.HasPrefix(challenge, wantChallenge) {
			t.Errorf("token for %s: %d %q, want %d %q…", name, status, challenge, wantStatus, wantChallenge)
		}
	}
}

var sortStrings = cmp.Transformer("sort", func(in []string) []string { return slices.Sorted(slices.Values(in)) })

// postInitialize sends an MCP initialize request with token and returns the
// status and WWW-Authenticate.
func postInitialize(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("WWW-Authenticate")
}

// TestOAuthStepUp: a client holding only scope read calls a write tool on a
// server with step-up; the server answers 403 insufficient_scope naming
// write. The SDK asks for a new token and retries once, but its
// client_credentials provider asks for the scope it was configured with,
// not the challenged one, so the retry fails again; a provider that adds
// the challenged scope to its request (ScopeChallengeProvider in
// client.mjs) gets a token with read and write, and the call succeeds.
func TestOAuthStepUp(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	forEachBackend(t, func(t *testing.T, b backend) { oauthStepUp(t, node, b) })
}

func oauthStepUp(t *testing.T, node string, b backend) {
	p := startOAuthProvider(t)
	// Step-up applies to tools whose checks are all scope checks: the
	// middleware is RestrictTag only.
	url := oauthServer(t, p, b, fixtureConfig{layer: restrictTag, stepUp: true}, false)
	ops := []op{
		{"op": "callTool", "name": "write_tool", "args": map[string]any{"text": "hi"}},
		{"op": "callTool", "name": "whoami"},
	}
	challenge := `Bearer error="insufficient_scope", scope="write", resource_metadata="` +
		strings.TrimSuffix(url, "/mcp") + `/.well-known/oauth-protected-resource/mcp"`

	t.Run("SDK provider", func(t *testing.T) {
		t.Parallel()
		out := runOAuthClient(t, node, url, p, "agent", "agent-secret", "read", false, ops)
		r := out.Results[0]
		if r.Error == nil || r.Error.HTTP == nil || r.Error.HTTP.Status != http.StatusForbidden ||
			r.Error.HTTP.WWWAuthenticate != challenge || r.Error.Message != "Streamable HTTP error: Server returned 403 after trying upscoping" {
			t.Errorf("write_tool with scope read: %+v", r)
		}
		if got := resultText(t, out.Results[1]); got != "client=agent scopes=[read]" {
			t.Errorf("whoami after the failed step-up: %q", got)
		}
		if got := tokenRequests(out.Requests, p); !cmp.Equal(got, []string{"read", "read"}) {
			t.Errorf("scopes of the token requests: %q, want the first token and one retry, both for read", got)
		}
	})
	t.Run("challenge-following provider", func(t *testing.T) {
		t.Parallel()
		out := runOAuthClient(t, node, url, p, "agent", "agent-secret", "read", true, ops)
		if got := resultText(t, out.Results[0]); got != "write_tool ok: hi" {
			t.Errorf("write_tool after step-up: %q", got)
		}
		if got := resultText(t, out.Results[1]); got != "client=agent scopes=[read write]" {
			t.Errorf("whoami after step-up: %q", got)
		}
		if got := tokenRequests(out.Requests, p); !cmp.Equal(got, []string{"read", "read write"}) {
			t.Errorf("scopes of the token requests: %q", got)
		}
		// The 403 came first, with the challenge the SDK acted on.
		var statuses []int
		for _, r := range out.Requests {
			if r.URL == url && r.Method == "POST" {
				statuses = append(statuses, r.Status)
			}
		}
		if !slices.Contains(statuses, http.StatusForbidden) {
			t.Errorf("no 403 among the MCP requests: %v", statuses)
		}
	})
}

// tokenRequests returns the scope of each successful token request, and
// checks each named a resource.
func tokenRequests(reqs []httpRequest, p *oidctest.Provider) []string {
	var scopes []string
	for _, r := range reqs {
		if r.URL == p.URL(oidctest.TokenPath) && r.Status == http.StatusOK {
			if r.Form["resource"] == "" {
				scopes = append(scopes, "(no resource)")
				continue
			}
			scopes = append(scopes, r.Form["scope"])
		}
	}
	return scopes
}

// TestOAuthOpaqueTokens runs the flow with opaque tokens, which the server
// verifies by introspection at the authorization server: one introspection
// request for the token, however many MCP requests carry it.
func TestOAuthOpaqueTokens(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	forEachBackend(t, func(t *testing.T, b backend) { oauthOpaqueTokens(t, node, b) })
}

func oauthOpaqueTokens(t *testing.T, node string, b backend) {
	p := startOAuthProvider(t)
	url := oauthServer(t, p, b, fixtureConfig{layer: fullLayer}, true)
	out := runOAuthClient(t, node, url, p, "opaque-agent", "opaque-secret", "read", false, []op{
		{"op": "listTools"},
		{"op": "callTool", "name": "whoami"},
		{"op": "callTool", "name": "read_tool"},
		{"op": "readResource", "uri": "secret://data"},
	})
	if !out.Connect.OK {
		t.Fatalf("the SDK did not connect: %+v", out.Connect.Error)
	}
	if got := resultText(t, out.Results[1]); got != "client=opaque-agent scopes=[read]" {
		t.Errorf("whoami: %q", got)
	}
	if got := resultText(t, out.Results[2]); got != "read_tool ok" {
		t.Errorf("read_tool: %q", got)
	}
	if r := out.Results[3]; r.Error != nil {
		t.Errorf("read secret://data: %+v", r.Error)
	}
	var mcpRequests int
	for _, r := range out.Requests {
		if r.URL == url && r.Status/100 == 2 {
			mcpRequests++
		}
	}
	if n := p.Requests(oidctest.IntrospectionPath); n != 1 {
		t.Errorf("%d introspection requests for one token carried by %d MCP requests, want 1", n, mcpRequests)
	}
	if got := tokenRequests(out.Requests, p); !cmp.Equal(got, []string{"read"}) {
		t.Errorf("token requests: %q", got)
	}
}

// TestOAuthCodeFlow runs the authorization code flow with PKCE through the
// SDK, headless: the SDK discovers the authorization server, builds the
// authorization URL (S256 challenge, resource, state) and hands it to the
// client's provider, which follows the provider's redirects (its login
// signs a user in without a page) back to the redirect URI; the client
// passes the code to transport.finishAuth, and the SDK exchanges it with
// the verifier. On a 403 insufficient_scope the SDK starts a new
// authorization for the challenged scope, and the call succeeds with the
// token it gets.
//
// The SDK asks the first authorization for the metadata's scopes_supported
// (SEP-835: the challenge's scope, else scopes_supported, else the
// client's configured scope), so the server here publishes read only, as a
// server does whose other scopes are for step-up.
func TestOAuthCodeFlow(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	forEachBackend(t, func(t *testing.T, b backend) { oauthCodeFlow(t, node, b) })
}

func oauthCodeFlow(t *testing.T, node string, b backend) {
	p := startOAuthProvider(t)
	url := oauthServer(t, p, b, fixtureConfig{layer: restrictTag, stepUp: true, scopes: []string{"read"}}, false)
	const redirect = "http://127.0.0.1:8976/callback"
	out := runOAuthArgs(t, node, url, []string{
		"--client-id", "native-app", "--redirect-url", redirect, "--issuer", p.Issuer(), "--scope", "read",
	}, []op{
		{"op": "callTool", "name": "whoami"},
		{"op": "callTool", "name": "write_tool", "args": map[string]any{"text": "hi"}},
		{"op": "callTool", "name": "whoami"},
	})
	if !out.Connect.OK {
		t.Fatalf("the SDK did not connect: %+v\nrequests: %+v", out.Connect.Error, out.Requests)
	}
	for i, want := range []string{"client=native-app scopes=[read]", "write_tool ok: hi", "client=native-app scopes=[write]"} {
		if got := resultText(t, out.Results[i]); got != want {
			t.Errorf("op %d: %q, want %q", i, got, want)
		}
	}

	// The requests of the first authorization, in order.
	var flow []string
	for _, r := range out.Requests {
		u := r.URL
		if i := strings.IndexByte(u, '?'); i >= 0 {
			u = u[:i]
		}
		step := r.Method + " " + strings.TrimPrefix(strings.TrimPrefix(u, p.Issuer()), strings.TrimSuffix(url, "/mcp")) + " " + fmt.Sprint(r.Status)
		if r.Form["grant_type"] != "" {
			step += " " + r.Form["grant_type"] + " resource=" + r.Form["resource"]
		}
		flow = append(flow, step)
	}
	wantStart := []string{
		"POST /mcp 401",
		"GET /.well-known/oauth-protected-resource/mcp 200",
		"GET /.well-known/oauth-authorization-server 404",
		"GET /.well-known/openid-configuration 200",
		"GET /authorize 302",
		"GET /login 302",
		"GET /authorize/callback 302",
		// transport.finishAuth runs discovery again: the provider keeps no
		// discovery state (OAuthClientProvider.saveDiscoveryState).
		"GET /.well-known/oauth-protected-resource/mcp 200",
		"GET /.well-known/oauth-authorization-server 404",
		"GET /.well-known/openid-configuration 200",
		"POST /oauth/token 200 authorization_code resource=" + url,
		"POST /mcp 200",
	}
	if len(flow) < len(wantStart) || !cmp.Equal(flow[:len(wantStart)], wantStart) {
		t.Errorf("requests:\n%s\nwant them to start with:\n%s", strings.Join(flow, "\n"), strings.Join(wantStart, "\n"))
	}
	// The authorization requests: PKCE S256, the resource, the scope
	// asked for, then the challenged one.
	var authorizations []string
	for _, r := range out.Requests {
		if strings.HasPrefix(r.URL, p.URL(oidctest.AuthorizationPath)+"?") {
			q, err := neturl.ParseQuery(r.URL[strings.IndexByte(r.URL, '?')+1:])
			if err != nil {
				t.Fatal(err)
			}
			if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 || q.Get("resource") != url ||
				q.Get("client_id") != "native-app" || q.Get("redirect_uri") != redirect || q.Get("state") == "" {
				t.Errorf("authorization request %v", q)
			}
			authorizations = append(authorizations, q.Get("scope"))
		}
	}
	if !cmp.Equal(authorizations, []string{"read", "write"}) {
		t.Errorf("scopes of the authorization requests: %q, want read, then the challenged write", authorizations)
	}
}
