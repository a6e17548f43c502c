package gosdk_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// limitServer serves the resource templates files://{+path}, whose own
// check lets everyone in, and secret://{+path}, whose own check lets no
// one in; both match URIs of any length. Both checks, both handlers and
// the subscription handlers count their calls in reached, so that zero
// shows that no template was matched (on stdio, where checks are skipped,
// the handlers count).
func limitServer(reached *atomic.Int64) *gosdk.Server {
	count := func() { reached.Add(1) }
	srv := gosdk.NewServer(&mcp.Implementation{Name: "limit", Version: "1.0.0"}, &mcp.ServerOptions{
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { count(); return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { count(); return nil },
	})
	read := func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		count()
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, Text: "read"}}}, nil
	}
	for _, tc := range []struct {
		template string
		allow    bool
	}{{"files://{+path}", true}, {"secret://{+path}", false}} {
		srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: tc.template, Name: tc.template}, read, gosdk.WithAuth(gosdk.Check(func(gosdk.AuthContext) bool {
			count()
			return tc.allow
		})))
	}
	return srv
}

// wireSession speaks JSON-RPC on conn as a client of protocol
// mcpwire.ProtocolVersion (which has resources/subscribe), returning each
// answer as the server encoded it.
type wireSession struct {
	t    *testing.T
	ctx  context.Context
	conn mcp.Connection
}

func startWire(t *testing.T, ctx context.Context, ct mcp.Transport) *wireSession {
	t.Helper()
	conn, err := ct.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	s := &wireSession{t: t, ctx: ctx, conn: conn}
	s.call("initialize", map[string]any{"protocolVersion": mcpwire.ProtocolVersion, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "c", "version": "1"}})
	if err := conn.Write(ctx, &jsonrpc.Request{Method: "notifications/initialized", Params: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	return s
}

// call sends a request of id 1 and returns its answer.
func (s *wireSession) call(method string, params any) []byte {
	s.t.Helper()
	raw, err := json.Marshal(params)
	if err != nil {
		s.t.Fatal(err)
	}
	id, err := jsonrpc.MakeID(float64(1))
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.conn.Write(s.ctx, &jsonrpc.Request{ID: id, Method: method, Params: raw}); err != nil {
		s.t.Fatal(err)
	}
	var msg jsonrpc.Message
	for msg == nil {
		m, err := s.conn.Read(s.ctx)
		if err != nil {
			s.t.Fatal(err)
		}
		if _, ok := m.(*jsonrpc.Response); ok {
			msg = m
		}
	}
	b, err := jsonrpc.EncodeMessage(msg)
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

// wantLimitError is the refusal of an over-long URI.
const wantLimitError = `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"resource URI longer than 8192 bytes"}}`

// probeURILimit sends resources/read, resources/subscribe and
// resources/unsubscribe of 3 MiB URIs (within the 4 MiB a request body
// may hold) that a visible template, a hidden one and none would serve,
// and checks that each is answered byte for byte alike, with JSON-RPC
// error -32600 naming the limit, and that nothing of a template was
// reached.
func probeURILimit(t *testing.T, s *wireSession, reached *atomic.Int64) {
	t.Helper()
	long := strings.Repeat("a", 3<<20)
	for _, method := range []string{"resources/read", "resources/subscribe", "resources/unsubscribe"} {
		for _, uri := range []string{"files://host/" + long, "secret://host/" + long, "none://host/" + long} {
			if got := s.call(method, map[string]any{"uri": uri}); string(got) != wantLimitError {
				t.Errorf("%s %.20s…: answered %.300s, want %s", method, uri, got, wantLimitError)
			}
		}
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("template checks or handlers ran %d times: a template was matched", n)
	}
}

// TestURILimitConnect: through the request entry of a connected session
// (Connect), over-long URIs are refused before any template is matched,
// alike whether a visible template, a hidden one or none would serve
// them.
func TestURILimitConnect(t *testing.T) {
	var reached atomic.Int64
	srv := limitServer(&reached)
	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reader := tokens["reader-token"]
	if _, err := srv.Connect(gosdk.ContextWithAccessToken(ctx, &reader), st, nil); err != nil {
		t.Fatal(err)
	}
	probeURILimit(t, startWire(t, ctx, ct), &reached)
}

// TestURILimitStdio: on stdio, where every check is skipped, over-long
// URIs are refused all the same, as on the mcp-go backend.
func TestURILimitStdio(t *testing.T) {
	var reached atomic.Int64
	srv := limitServer(&reached)
	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.ServeAsStdio(ctx, st)
	s := startWire(t, ctx, ct)
	probeURILimit(t, s, &reached)
	if got := s.call("resources/read", map[string]any{"uri": "files://host/a"}); !strings.Contains(string(got), `"text":"read"`) || reached.Load() != 1 {
		t.Errorf("read of a short URI over stdio: %s", got)
	}
}
