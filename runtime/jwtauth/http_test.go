package jwtauth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/jwtauth"
)

const (
	authIssuer   = "https://issuer.test"
	authAudience = "https://mcp.test/mcp"
)

var (
	authKey      = sync.OnceValue(func() *rsa.PrivateKey { return authMust(rsa.GenerateKey(rand.Reader, 2048)) })
	authOtherKey = sync.OnceValue(func() *rsa.PrivateKey { return authMust(rsa.GenerateKey(rand.Reader, 2048)) })
)

func authMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// authClaims are valid claims for the test server, with extra merged in (a
// nil value deletes a claim).
func authClaims(extra map[string]any) map[string]any {
	now := time.Now()
	c := map[string]any{
		"iss":       authIssuer,
		"aud":       authAudience,
		"sub":       "user-1",
		"client_id": "client-a",
		"iat":       now.Unix(),
		"exp":       now.Add(time.Hour).Unix(),
		"scope":     "mcp read",
	}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// authRecordingVerifier remembers the errors of the verifier it wraps, so that
// tests can check none of their text reaches the client.
type authRecordingVerifier struct {
	v    runtime.TokenVerifier
	mu   sync.Mutex
	errs []string
}

func (r *authRecordingVerifier) VerifyToken(ctx context.Context, raw string) (*runtime.AccessToken, error) {
	tok, err := r.v.VerifyToken(ctx, raw)
	if err != nil {
		r.mu.Lock()
		r.errs = append(r.errs, err.Error())
		r.mu.Unlock()
	}
	return tok, err
}

func (r *authRecordingVerifier) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	errs := r.errs
	r.errs = nil
	return errs
}

// authServer is a runtime.Server behind a JWT verifier, served on
// 127.0.0.1 at /mcp with its metadata, next to a JWKS server.
type authServer struct {
	base     string // http://127.0.0.1:port
	verifier *authRecordingVerifier

	mu   sync.Mutex
	seen *runtime.AccessToken // what whoami saw
}

// newAuthServer starts the server; with record, the verifier is wrapped in
// a authRecordingVerifier (which hides the scopes it requires from the
// metadata, as any wrapper does).
func newAuthServer(t testing.TB, record bool) *authServer {
	t.Helper()
	key := authKey()
	jwks, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: key.Public(), KeyID: "k1", Algorithm: "RS256", Use: "sig"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	jwksSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(jwks)
	}))
	t.Cleanup(jwksSrv.Close)
	v, err := jwtauth.New(jwtauth.Config{
		JWKSURL:        jwksSrv.URL,
		Issuer:         authIssuer,
		Audience:       []string{authAudience},
		RequiredScopes: []string{"mcp"},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := &authServer{verifier: &authRecordingVerifier{v: v}}
	var served runtime.TokenVerifier = a.verifier
	if !record {
		served = v
	}

	srv := runtime.NewServer("auth-test", "1.0.0")
	readTool, readHandler := authTextTool("read_notes")
	srv.AddTool(readTool, readHandler, runtime.WithScopes("read"))
	writeTool, writeHandler := authTextTool("write_notes")
	srv.AddTool(writeTool, writeHandler, runtime.WithScopes("write"))
	srv.AddTool(mcp.NewTool("whoami"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		tok := runtime.AccessTokenFromContext(ctx)
		a.mu.Lock()
		a.seen = tok
		a.mu.Unlock()
		if tok == nil {
			return mcp.NewToolResultText("nobody"), nil
		}
		return mcp.NewToolResultText(tok.ClientID + " " + strings.Join(tok.Scopes, ",")), nil
	})

	h := srv.HTTPHandler(runtime.WithTokenVerifier(served), runtime.WithAuthorizationServers(authIssuer))
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	mux.Handle("/.well-known/oauth-protected-resource/mcp", h)
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	a.base = hs.URL
	return a
}

func authTextTool(name string) (mcp.Tool, func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error)) {
	return mcp.NewTool(name), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(name + " ok"), nil
	}
}

const authInitializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

// do sends one request to the MCP endpoint; authorization is the header
// value, none when empty.
func (a *authServer) do(t testing.TB, method, authorization string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(authInitializeBody)
	}
	req, err := http.NewRequest(method, a.base+"/mcp", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestHTTPAuthBadTokens(t *testing.T) {
	a := newAuthServer(t, true)
	key, other := authKey(), authOtherKey()
	meta := a.base + "/.well-known/oauth-protected-resource/mcp"
	var (
		noToken      = `Bearer resource_metadata="` + meta + `"`
		invalidToken = `Bearer error="invalid_token", error_description="The access token is invalid or expired", resource_metadata="` + meta + `"`
		missingScope = `Bearer error="insufficient_scope", scope="mcp", resource_metadata="` + meta + `"`
	)
	valid := jwtauth.SignJWT(t, jose.RS256, key, "k1", authClaims(nil))
	parts := strings.Split(valid, ".")
	escalated, _ := json.Marshal(authClaims(map[string]any{"scope": "mcp read write admin"}))
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: authMust(x509.MarshalPKIXPublicKey(&key.PublicKey))})
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"k1","typ":"JWT"}`))
	now := time.Now()

	tests := []struct {
		name   string
		auth   string // Authorization header; none when empty
		status int
		www    string // exact WWW-Authenticate; none when empty
	}{
		{"missing header", "", 401, noToken},
		{"wrong scheme", "Basic dXNlcjpwYXNz", 401, noToken},
		{"scheme only", "Bearer", 401, noToken},
		{"token without scheme", valid, 401, noToken},
		{"lower-case bearer", "bearer " + valid, 200, ""},
		{"upper-case bearer", "BEARER " + valid, 200, ""},
		{"garbage", "Bearer garbage", 401, invalidToken},
		{"alg none", "Bearer " + noneHeader + "." + parts[1] + ".", 401, invalidToken},
		{"HS256 with the public key as secret", "Bearer " + jwtauth.SignJWT(t, jose.HS256, pub, "k1", authClaims(nil)), 401, invalidToken},
		{"expired", "Bearer " + jwtauth.SignJWT(t, jose.RS256, key, "k1", authClaims(map[string]any{"exp": now.Add(-time.Hour).Unix(), "iat": now.Add(-2 * time.Hour).Unix()})), 401, invalidToken},
		{"not yet valid", "Bearer " + jwtauth.SignJWT(t, jose.RS256, key, "k1", authClaims(map[string]any{"nbf": now.Add(time.Hour).Unix()})), 401, invalidToken},
		{"wrong issuer", "Bearer " + jwtauth.SignJWT(t, jose.RS256, key, "k1", authClaims(map[string]any{"iss": "https://evil.test"})), 401, invalidToken},
		{"wrong audience", "Bearer " + jwtauth.SignJWT(t, jose.RS256, key, "k1", authClaims(map[string]any{"aud": []string{"https://other.test"}})), 401, invalidToken},
		{"unknown kid", "Bearer " + jwtauth.SignJWT(t, jose.RS256, other, "k2", authClaims(nil)), 401, invalidToken},
		{"known kid, other key", "Bearer " + jwtauth.SignJWT(t, jose.RS256, other, "k1", authClaims(nil)), 401, invalidToken},
		{"tampered payload", "Bearer " + parts[0] + "." + base64.RawURLEncoding.EncodeToString(escalated) + "." + parts[2], 401, invalidToken},
		{"valid", "Bearer " + valid, 200, ""},
		{"valid, missing required scope", "Bearer " + jwtauth.SignJWT(t, jose.RS256, key, "k1", authClaims(map[string]any{"scope": "read write"})), 403, missingScope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.verifier.take()
			resp, body := a.do(t, http.MethodPost, tt.auth)
			errs := a.verifier.take()
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body %q", resp.StatusCode, tt.status, body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != tt.www {
				t.Errorf("WWW-Authenticate:\n got %s\nwant %s", got, tt.www)
			}
			if tt.status == http.StatusOK {
				if !strings.Contains(body, `"serverInfo"`) || !strings.Contains(body, `"auth-test"`) {
					t.Errorf("initialize answered %q", body)
				}
				return
			}
			if want := http.StatusText(tt.status) + "\n"; body != want {
				t.Errorf("body = %q, want %q", body, want)
			}
			if tt.www != noToken && len(errs) == 0 {
				t.Error("the verifier refused nothing")
			}
			for _, e := range errs {
				if strings.Contains(body, e) || strings.Contains(resp.Header.Get("WWW-Authenticate"), e) {
					t.Errorf("verifier error %q reached the client", e)
				}
			}
		})
	}
}

func TestHTTPAuthEveryMethod(t *testing.T) {
	a := newAuthServer(t, false)
	meta := a.base + "/.well-known/oauth-protected-resource/mcp"
	for _, method := range []string{http.MethodGet, http.MethodDelete, http.MethodPost, http.MethodPut, http.MethodHead} {
		t.Run(method, func(t *testing.T) {
			resp, _ := a.do(t, method, "")
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401", resp.StatusCode)
			}
			if got, want := resp.Header.Get("WWW-Authenticate"), `Bearer resource_metadata="`+meta+`"`; got != want {
				t.Errorf("WWW-Authenticate = %s, want %s", got, want)
			}
			resp, _ = a.do(t, method, "Bearer not.a.jwt")
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
				t.Errorf("bad token: status %d, WWW-Authenticate %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("CORS preflight needs no token", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodOptions, a.base+"/mcp", nil)
		req.Header.Set("Origin", "https://app.test")
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != "" {
			t.Errorf("preflight answered %d with a challenge", resp.StatusCode)
		}
	})
}

func TestHTTPAuthMetadata(t *testing.T) {
	a := newAuthServer(t, false)
	resp, err := http.Get(a.base + "/.well-known/oauth-protected-resource/mcp")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200 without a token", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	want := `{"resource":"` + a.base + `/mcp","authorization_servers":["https://issuer.test"],"scopes_supported":["mcp","read","write"],"bearer_methods_supported":["header"]}` + "\n"
	if diff := cmp.Diff(want, string(body)); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
}

func TestHTTPAuthMCPClient(t *testing.T) {
	a := newAuthServer(t, false)
	ctx := context.Background()
	connectAs := func(t *testing.T, raw string) *client.Client {
		t.Helper()
		c, err := client.NewStreamableHttpClient(a.base+"/mcp", transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + raw}))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		init := mcp.InitializeRequest{}
		init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
		init.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
		if _, err := c.Initialize(ctx, init); err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		scope string
		tools []string
	}{
		{"mcp", []string{"whoami"}},
		{"mcp read", []string{"read_notes", "whoami"}},
		{"mcp write", []string{"whoami", "write_notes"}},
		{"mcp read write", []string{"read_notes", "whoami", "write_notes"}},
	}
	for _, tt := range tests {
		t.Run(tt.scope, func(t *testing.T) {
			raw := jwtauth.SignJWT(t, jose.RS256, authKey(), "k1", authClaims(map[string]any{"scope": tt.scope}))
			c := connectAs(t, raw)
			res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tool := range res.Tools {
				names = append(names, tool.Name)
			}
			slices.Sort(names)
			if diff := cmp.Diff(tt.tools, names); diff != "" {
				t.Errorf("tools (-want +got):\n%s", diff)
			}

			req := mcp.CallToolRequest{}
			req.Params.Name = "whoami"
			out, err := c.CallTool(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			scopes := strings.Fields(tt.scope)
			if got, want := out.Content[0].(mcp.TextContent).Text, "client-a "+strings.Join(scopes, ","); got != want {
				t.Errorf("whoami = %q, want %q", got, want)
			}
			a.mu.Lock()
			seen := a.seen
			a.mu.Unlock()
			if seen == nil {
				t.Fatal("AccessTokenFromContext returned nil in the handler")
			}
			if seen.Token != raw || seen.ClientID != "client-a" || !slices.Equal(seen.Scopes, scopes) ||
				seen.Resource != authAudience || seen.Claims["iss"] != authIssuer || seen.ExpiresAt.IsZero() {
				t.Errorf("handler saw %+v", seen)
			}

			// A tool the token's scopes do not reach does not exist for it.
			for _, name := range []string{"read_notes", "write_notes"} {
				if slices.Contains(tt.tools, name) {
					continue
				}
				req.Params.Name = name
				if _, err := c.CallTool(ctx, req); err == nil || !strings.Contains(err.Error(), "not found") {
					t.Errorf("calling hidden %s: err = %v, want not found", name, err)
				}
			}
		})
	}
}

// BenchmarkHTTPToolCall measures tools/call over loopback HTTP with one
// session, without a verifier and with a JWT verifier (RS256 keys from a
// JWKS, verified-token cache on), and logs the ratio of their ns/op.
func BenchmarkHTTPToolCall(b *testing.B) {
	nsPerOp := map[string]float64{}
	for _, name := range []string{"none", "jwt"} {
		b.Run("verifier="+name, func(b *testing.B) {
			srv := runtime.NewServer("bench", "1.0.0")
			tool, handler := authTextTool("echo")
			srv.AddTool(tool, handler)
			var opts []runtime.HTTPOption
			headers := map[string]string{}
			if name == "jwt" {
				key := authKey()
				jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
				jwksSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(jwks) }))
				defer jwksSrv.Close()
				v, err := jwtauth.New(jwtauth.Config{JWKSURL: jwksSrv.URL, Issuer: authIssuer, Audience: []string{authAudience}})
				if err != nil {
					b.Fatal(err)
				}
				opts = append(opts, runtime.WithTokenVerifier(v))
				headers["Authorization"] = "Bearer " + jwtauth.SignJWT(b, jose.RS256, key, "k1", authClaims(nil))
			}
			hs := httptest.NewServer(srv.HTTPHandler(opts...))
			defer hs.Close()
			c, err := client.NewStreamableHttpClient(hs.URL, transport.WithHTTPHeaders(headers))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			ctx := context.Background()
			if err := c.Start(ctx); err != nil {
				b.Fatal(err)
			}
			init := mcp.InitializeRequest{}
			init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
			init.Params.ClientInfo = mcp.Implementation{Name: "bench", Version: "1"}
			if _, err := c.Initialize(ctx, init); err != nil {
				b.Fatal(err)
			}
			req := mcp.CallToolRequest{}
			req.Params.Name = "echo"
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := c.CallTool(ctx, req)
				if err != nil || res.IsError {
					b.Fatal(err, res)
				}
			}
			nsPerOp[name] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		})
	}
	if none, jwt := nsPerOp["none"], nsPerOp["jwt"]; none > 0 && jwt > 0 {
		b.Logf("jwt/none: %.0f ns/op vs %.0f ns/op; jwt throughput is %.2fx of none", jwt, none, none/jwt)
	}
}
