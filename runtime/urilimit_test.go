package runtime_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// limitServer serves the resource templates files://{+path}, whose own
// check lets everyone in, and secret://{+path}, whose own check lets no
// one in; both match URIs of any length. Both checks and both handlers
// count their calls in reached, so that zero shows that no template was
// matched (on stdio, where checks are skipped, the handlers count).
func limitServer(reached *atomic.Int64, opts ...runtime.Option) *runtime.Server {
	srv := runtime.NewServer("limit", "1.0.0", append(opts, runtime.WithServerOptions(server.WithResourceCapabilities(true, true)))...)
	read := func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		reached.Add(1)
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "read"}}, nil
	}
	for _, tc := range []struct {
		template string
		allow    bool
	}{{"files://{+path}", true}, {"secret://{+path}", false}} {
		srv.AddResourceTemplate(mcp.NewResourceTemplate(tc.template, tc.template), read, runtime.WithAuth(runtime.Check(func(runtime.AuthContext) bool {
			reached.Add(1)
			return tc.allow
		})))
	}
	return srv
}

// hostileURIs are URIs of 3 MiB (within the 4 MiB a request body may
// hold) that a visible template, a hidden one and none would serve.
func hostileURIs() []string {
	long := strings.Repeat("a", 3<<20)
	return []string{"files://host/" + long, "secret://host/" + long, "none://host/" + long}
}

// wantLimitError is the refusal of an over-long URI, id left out
// (rawCall).
const wantLimitError = `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"resource URI longer than 8192 bytes"}}`

// TestURILimitInProcess: through the request entry in process
// (HandleMessage, as runtimetest), resources/read, resources/subscribe and
// resources/unsubscribe of 3 MiB URIs are refused before any template is
// matched, answered byte for byte alike whether a visible template, a
// hidden one or none would serve the URI: JSON-RPC error -32600 naming the
// limit.
func TestURILimitInProcess(t *testing.T) {
	var reached atomic.Int64
	c := connect(t, limitServer(&reached))
	ctx := as(tokRead)
	for _, method := range []string{"resources/read", "resources/subscribe", "resources/unsubscribe"} {
		for _, uri := range hostileURIs() {
			if got := rawCall(t, c, ctx, method, map[string]any{"uri": uri}); got != wantLimitError {
				t.Errorf("%s %.20s…: answered %.300s, want %s", method, uri, got, wantLimitError)
			}
		}
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("template checks or handlers ran %d times: a template was matched", n)
	}
}

// TestURILimitStdio: on stdio, which has no request entry and skips every
// check, an over-long URI is refused all the same, before mcp-go matches
// a template, as on the go-sdk backend.
func TestURILimitStdio(t *testing.T) {
	var reached atomic.Int64
	srv := limitServer(&reached)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runtime.ServeStdioIO(srv, ctx, inR, outW) }()
	t.Cleanup(func() { cancel(); inW.Close(); <-done })

	out := bufio.NewReader(outR)
	send := func(method string, params any) string {
		msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
		if _, err := inW.Write(append(msg, '\n')); err != nil {
			t.Fatal(err)
		}
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(line)
	}
	send("initialize", map[string]any{"protocolVersion": mcp.LATEST_PROTOCOL_VERSION, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}})
	inW.Write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"))

	want := strings.Replace(wantLimitError, `"id":null`, `"id":1`, 1)
	for _, method := range []string{"resources/read", "resources/subscribe", "resources/unsubscribe"} {
		for _, uri := range hostileURIs() {
			if got := send(method, map[string]any{"uri": uri}); got != want {
				t.Errorf("%s %.20s…: answered %.300s, want %s", method, uri, got, want)
			}
		}
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("template handlers ran %d times: a template was matched", n)
	}
	if got := send("resources/read", map[string]any{"uri": "files://host/a"}); !strings.Contains(got, `"text":"read"`) || reached.Load() != 1 {
		t.Errorf("read of a short URI over stdio: %s", got)
	}
}
