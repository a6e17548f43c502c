package runtime_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

// allScopes is a token that passes every check of the fixture, so that
// what a test sees is decided by the tag switches alone.
var allScopes = runtime.AccessToken{Token: "all", ClientID: "all", Scopes: []string{"read", "write", "admin"}}

// tagTransports connects an initialized client to a fresh fixture built
// with opts, over each transport: stdio (no checks run), Streamable HTTP
// with a verifier, and in process. ctx carries the token the in-process
// client presents.
var tagTransports = []struct {
	name    string
	connect func(t *testing.T, opts ...runtime.Option) (*client.Client, *runtime.Server)
}{
	{"stdio", func(t *testing.T, opts ...runtime.Option) (*client.Client, *runtime.Server) {
		srv := fixture(opts...)
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- runtime.ServeStdioIO(srv, ctx, inR, outW) }()
		c := client.NewClient(transport.NewIO(outR, inW, io.NopCloser(strings.NewReader(""))))
		t.Cleanup(func() { c.Close(); cancel(); inW.Close(); outW.Close(); <-done })
		return initialize(t, c), srv
	}},
	{"http", func(t *testing.T, opts ...runtime.Option) (*client.Client, *runtime.Server) {
		srv := fixture(opts...)
		hs := httptest.NewServer(srv.HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{"all": allScopes}))))
		t.Cleanup(hs.Close)
		c, err := client.NewStreamableHttpClient(hs.URL, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer all"}))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return initialize(t, c), srv
	}},
	{"in-process", func(t *testing.T, opts ...runtime.Option) (*client.Client, *runtime.Server) {
		srv := fixture(opts...)
		c := runtimetest.NewClient(srv)
		t.Cleanup(func() { c.Close() })
		return initialize(t, c), srv
	}},
}

func initialize(t *testing.T, c *client.Client) *client.Client {
	t.Helper()
	ctx := runtime.ContextWithAccessToken(context.Background(), &allScopes)
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "t", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTagSwitches checks, on every transport, which fixture components
// exist under include and exclude switches. The token passes every check,
// so nothing is hidden by authorization.
func TestTagSwitches(t *testing.T) {
	everything := [4][]string{
		{"admin_tool", "public_tool", "read_tool", "tagged_tool", "whoami", "write_tool"},
		{"admin://config", "public://info", "secret://data"},
		{"users://{id}/profile"},
		{"admin_prompt", "public_prompt"},
	}
	untagged := [4][]string{
		{"public_tool", "read_tool", "whoami", "write_tool"},
		{"public://info", "secret://data"},
		{"users://{id}/profile"},
		{"public_prompt"},
	}
	adminOnly := [4][]string{
		{"admin_tool", "tagged_tool"},
		{"admin://config"},
		{},
		{"admin_prompt"},
	}
	tests := []struct {
		name string
		opts []runtime.Option
		want [4][]string
	}{
		{"no switch", nil, everything},
		{"exclude admin", []runtime.Option{runtime.WithExcludeTags("admin")}, untagged},
		{"exclude an unused tag", []runtime.Option{runtime.WithExcludeTags("nobody")}, everything},
		{"include admin", []runtime.Option{runtime.WithIncludeTags("admin")}, adminOnly},
		{"include nothing given", []runtime.Option{runtime.WithIncludeTags()}, everything},
		{"includes add up", []runtime.Option{runtime.WithIncludeTags("nobody"), runtime.WithIncludeTags("admin")}, adminOnly},
		{"exclude wins", []runtime.Option{runtime.WithIncludeTags("admin"), runtime.WithExcludeTags("admin")}, [4][]string{{}, {}, {}, {}}},
	}
	for _, tr := range tagTransports {
		for _, tt := range tests {
			t.Run(tr.name+"/"+tt.name, func(t *testing.T) {
				c, _ := tr.connect(t, tt.opts...)
				ctx := runtime.ContextWithAccessToken(context.Background(), &allScopes)
				got := listExisting(t, c, ctx)
				for i := range got {
					slices.Sort(got[i])
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("lists (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// listExisting lists every kind of component the server declares (an
// empty list for a capability it does not declare, as when every tool is
// excluded), each sorted.
func listExisting(t *testing.T, c *client.Client, ctx context.Context) [4][]string {
	t.Helper()
	caps := c.GetServerCapabilities()
	got := [4][]string{{}, {}, {}, {}}
	if caps.Tools != nil {
		got[0] = toolNames(t, c, ctx)
	}
	if caps.Resources != nil {
		_, got[1], got[2], _ = listResources(t, c, ctx)
	}
	if caps.Prompts != nil {
		pl, err := c.ListPrompts(ctx, mcp.ListPromptsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		got[3] = names(pl.Prompts, func(x mcp.Prompt) string { return x.Name })
	}
	for i := range got {
		slices.Sort(got[i])
	}
	return got
}

func listResources(t *testing.T, c *client.Client, ctx context.Context) (_, resources, templates, _ []string) {
	t.Helper()
	rl, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	tm, err := c.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return nil, names(rl.Resources, func(x mcp.Resource) string { return x.URI }),
		names(tm.ResourceTemplates, func(x mcp.ResourceTemplate) string { return x.URITemplate.Raw() }), nil
}

// TestTagSwitchExcludedIsMissing checks that using an excluded component
// is answered, byte for byte, as using a name that no component has, on
// every transport: tools/call, resources/read of a resource and of a
// template URI, prompts/get, and completion/complete.
func TestTagSwitchExcludedIsMissing(t *testing.T) {
	probes := []struct {
		method           string
		excluded, absent any
		name, absentName string
	}{
		{"tools/call", map[string]any{"name": "admin_tool"}, map[string]any{"name": "nosuch_tool"}, "admin_tool", "nosuch_tool"},
		{"tools/call", map[string]any{"name": "tagged_tool"}, map[string]any{"name": "nosuch_tool"}, "tagged_tool", "nosuch_tool"},
		{"resources/read", map[string]any{"uri": "admin://config"}, map[string]any{"uri": "nosuch://config"}, "admin://config", "nosuch://config"},
		{"prompts/get", map[string]any{"name": "admin_prompt"}, map[string]any{"name": "nosuch_prompt"}, "admin_prompt", "nosuch_prompt"},
		{"completion/complete",
			map[string]any{"ref": map[string]any{"type": "ref/prompt", "name": "admin_prompt"}, "argument": map[string]any{"name": "a", "value": "x"}},
			map[string]any{"ref": map[string]any{"type": "ref/prompt", "name": "nosuch_prompt"}, "argument": map[string]any{"name": "a", "value": "x"}},
			"admin_prompt", "nosuch_prompt"},
	}
	for _, tr := range tagTransports {
		t.Run(tr.name, func(t *testing.T) {
			c, srv := tr.connect(t, runtime.WithExcludeTags("admin"), runtime.WithServerOptions(server.WithCompletions()))
			ctx := runtime.ContextWithAccessToken(context.Background(), &allScopes)
			for _, p := range probes {
				got := strings.ReplaceAll(rawCallNext(t, c, ctx, p.method, p.excluded), p.name, "NAME")
				want := strings.ReplaceAll(rawCallNext(t, c, ctx, p.method, p.absent), p.absentName, "NAME")
				if got != want {
					t.Errorf("%s %s:\n got %s\nwant %s (as for a missing name)", p.method, p.name, got, want)
				}
			}
			if tr.name == "stdio" {
				return
			}
			// The excluded components were the only ones requiring admin.
			if got, want := runtime.DeclaredScopes(srv), []string{"read", "write"}; !slices.Equal(got, want) {
				t.Errorf("scopes_supported %v, want %v", got, want)
			}
		})
	}
}

// rawCallNext is rawCall with a new request id each time: mcp-go's stdio
// client transport forgets a pending request whose id was just answered,
// so an id reused at once can lose its answer (the ids stay clear of the
// client's own).
func rawCallNext(t testing.TB, c *client.Client, ctx context.Context, method string, params any) string {
	t.Helper()
	resp, err := c.GetTransport().SendRequest(ctx, transport.JSONRPCRequest{
		JSONRPC: mcp.JSONRPC_VERSION, ID: mcp.NewRequestId(1<<20 + rawID.Add(1)), Method: method, Params: params,
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.ID = mcp.RequestId{}
	b, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var rawID atomic.Int64

// TestTagSwitchBeforeAuthorization checks that the checks of an excluded
// component never run.
func TestTagSwitchBeforeAuthorization(t *testing.T) {
	ran := false
	spy := runtime.Check(func(runtime.AuthContext) bool { ran = true; return true })
	srv := runtime.NewServer("t", "1", runtime.WithExcludeTags("off"))
	tool, h := textTool("off_tool")
	srv.AddTool(tool, h, runtime.WithAuth(spy), runtime.WithTags("off"))
	srv.AddTool(textTool("on_tool"))
	c := runtimetest.NewClient(srv)
	t.Cleanup(func() { c.Close() })
	initialize(t, c)
	ctx := context.Background()
	if tools := toolNames(t, c, ctx); !slices.Equal(tools, []string{"on_tool"}) {
		t.Errorf("tools %v, want [on_tool]", tools)
	}
	rawCallNext(t, c, ctx, "tools/call", map[string]any{"name": "off_tool"})
	if ran {
		t.Error("the check of an excluded tool ran")
	}
}
