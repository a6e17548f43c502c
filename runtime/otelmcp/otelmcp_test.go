package otelmcp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/otelmcp"
)

const (
	clientTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	clientSpan   = "00f067aa0ba902b7"
	clientParent = "00-" + clientTrace + "-" + clientSpan + "-01"
	headerTrace  = "0af7651916cd43dd8448eb211c80319c"
	headerSpan   = "b7ad6b7169203331"
	headerParent = "00-" + headerTrace + "-" + headerSpan + "-01"
)

type telemetry struct {
	tel    *otelmcp.Telemetry
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
}

func newTelemetry(t *testing.T) telemetry {
	t.Helper()
	spans := tracetest.NewSpanRecorder()
	reader := sdkmetric.NewManualReader()
	tel, err := otelmcp.New(
		otelmcp.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))),
		otelmcp.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))),
	)
	if err != nil {
		t.Fatal(err)
	}
	return telemetry{tel, spans, reader}
}

// span returns the one ended span named name.
func (tm telemetry) span(t *testing.T, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	var found []sdktrace.ReadOnlySpan
	var names []string
	for _, s := range tm.spans.Ended() {
		names = append(names, s.Name())
		if s.Name() == name {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d spans named %q; spans: %q", len(found), name, names)
	}
	return found[0]
}

// counts returns the decision counter's points, keyed by their attributes.
func (tm telemetry) counts(t *testing.T) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tm.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != otelmcp.DecisionCounter {
				continue
			}
			for _, p := range m.Data.(metricdata.Sum[int64]).DataPoints {
				out[p.Attributes.Encoded(attribute.DefaultEncoder())] += p.Value
			}
		}
	}
	return out
}

func attrs(kvs []attribute.KeyValue) map[string]any {
	out := map[string]any{}
	for _, kv := range kvs {
		out[string(kv.Key)] = kv.Value.AsInterface()
	}
	return out
}

func server(tel *otelmcp.Telemetry) *runtime.Server {
	srv := runtime.NewServer("otel", "1", tel.Options()...)
	for _, tc := range []struct {
		name  string
		scope string
	}{{"read_tool", "read"}, {"write_tool", "write"}} {
		srv.AddTool(mcp.NewTool(tc.name), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText("ok"), nil
		}, runtime.WithScopes(tc.scope))
	}
	srv.AddTool(mcp.NewTool("failing_tool"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultError("disk full"), nil
	})
	return srv
}

// TestSpansInProcess calls, is denied and lists through the in-process
// client and checks the server spans: names, kind, the MCP attributes, the
// parent taken from params._meta, the decision's attributes and event,
// and the error of a denied call; then the decision counter.
func TestSpansInProcess(t *testing.T) {
	tm := newTelemetry(t)
	c, _ := mcptest.Start(t, server(tm.tel))
	ctx := runtime.ContextWithAccessToken(context.Background(), &runtime.AccessToken{ClientID: "app", Scopes: []string{"read"}, Claims: map[string]any{"sub": "alice"}})

	call := func(name string, meta map[string]any) {
		req := mcp.CallToolRequest{}
		req.Params.Name = name
		if meta != nil {
			req.Params.Meta = &mcp.Meta{AdditionalFields: meta}
		}
		c.CallTool(ctx, req)
	}
	call("read_tool", map[string]any{"traceparent": clientParent})
	call("write_tool", nil)
	call("failing_tool", nil)
	if _, err := c.ListTools(ctx, mcp.ListToolsRequest{}); err != nil {
		t.Fatal(err)
	}

	read := tm.span(t, "tools/call read_tool")
	if read.SpanKind() != trace.SpanKindServer {
		t.Errorf("kind %v, want server", read.SpanKind())
	}
	if got := read.Parent(); got.TraceID().String() != clientTrace || got.SpanID().String() != clientSpan || !got.IsRemote() {
		t.Errorf("parent %v, want the client's span %s/%s from params._meta", got, clientTrace, clientSpan)
	}
	got := attrs(read.Attributes())
	session, _ := got["mcp.session.id"].(string)
	if session == "" {
		t.Errorf("no mcp.session.id: %v", got)
	}
	want := map[string]any{
		"mcp.method.name":       "tools/call",
		"gen_ai.tool.name":      "read_tool",
		"gen_ai.operation.name": "execute_tool",
		"jsonrpc.request.id":    got["jsonrpc.request.id"],
		"mcp.session.id":        session,
		"mcp.authz.allowed":     true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read_tool span attributes (-want +got):\n%s", diff)
	}
	if id, _ := got["jsonrpc.request.id"].(string); id == "" {
		t.Error("no jsonrpc.request.id")
	}
	if len(read.Events()) != 1 || read.Events()[0].Name != otelmcp.DecisionEvent {
		t.Fatalf("events %v, want one %s", read.Events(), otelmcp.DecisionEvent)
	}
	ev := attrs(read.Events()[0].Attributes)
	delete(ev, "mcp.authz.duration")
	if diff := cmp.Diff(map[string]any{
		"mcp.method.name": "tools/call", "mcp.authz.allowed": true, "mcp.authz.component.kind": "tool",
		"mcp.authz.component.name": "read_tool", "mcp.authz.subject": "alice", "mcp.authz.client_id": "app",
		"mcp.session.id": session,
	}, ev); diff != "" {
		t.Errorf("decision event (-want +got):\n%s", diff)
	}

	denied := tm.span(t, "tools/call write_tool")
	if denied.Parent().IsValid() {
		t.Errorf("a call without trace context has parent %v", denied.Parent())
	}
	got = attrs(denied.Attributes())
	for k, v := range map[string]any{"mcp.authz.allowed": false, "mcp.authz.rule": "scopes(write)", "mcp.authz.rule.layer": "component", "error.type": "-32602", "rpc.response.status_code": "-32602"} {
		if got[k] != v {
			t.Errorf("denied span: %s = %v, want %v", k, got[k], v)
		}
	}
	if denied.Status().Code != codes.Error || denied.Status().Description == "" {
		t.Errorf("denied span status %+v, want Error with the message", denied.Status())
	}

	failing := tm.span(t, "tools/call failing_tool")
	if got := attrs(failing.Attributes()); got["error.type"] != "tool_error" || failing.Status().Code != codes.Error {
		t.Errorf("isError result: error.type %v, status %+v; want tool_error, Error", got["error.type"], failing.Status())
	}

	list := tm.span(t, "tools/list")
	got = attrs(list.Attributes())
	if got["mcp.authz.list.visible"] != int64(2) || got["mcp.authz.list.hidden"] != int64(1) {
		t.Errorf("tools/list span: %v; want 2 visible, 1 hidden", got)
	}

	wantCounts := map[string]int64{
		"mcp.authz.component.kind=tool,mcp.authz.outcome=allowed,mcp.method.name=tools/call":                               2,
		"mcp.authz.component.kind=tool,mcp.authz.outcome=denied,mcp.authz.rule.layer=component,mcp.method.name=tools/call": 1,
		"mcp.authz.component.kind=tool,mcp.authz.outcome=allowed,mcp.method.name=tools/list":                               1,
	}
	if diff := cmp.Diff(wantCounts, tm.counts(t)); diff != "" {
		t.Errorf("decision counter (-want +got):\n%s", diff)
	}
}

// TestSpansHTTP checks the parent of a span over HTTP: the traceparent
// header when _meta has none; _meta's, linked to the header's, when both
// are there; and a request refused for its token: no MCP span, counted.
func TestSpansHTTP(t *testing.T) {
	tm := newTelemetry(t)
	verifier := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{"tok": {ClientID: "app", Scopes: []string{"read"}}})
	ts := httptest.NewServer(server(tm.tel).HTTPHandler(runtime.WithTokenVerifier(verifier)))
	defer ts.Close()

	post := func(token, traceparent string, msg map[string]any, session string) *http.Response {
		body, _ := json.Marshal(msg)
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/mcp", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if traceparent != "" {
			req.Header.Set("traceparent", traceparent)
		}
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
			req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	init := post("tok", "", map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{
		"protocolVersion": mcp.ProtocolVersion20251125, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}}}, "")
	session := init.Header.Get("Mcp-Session-Id")
	post("tok", "", map[string]any{"jsonrpc": "2.0", "method": "notifications/initialized"}, session)

	post("tok", headerParent, map[string]any{"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": map[string]any{"name": "read_tool"}}, session)
	post("tok", headerParent, map[string]any{"jsonrpc": "2.0", "id": "three", "method": "tools/call", "params": map[string]any{"name": "write_tool",
		"_meta": map[string]any{"traceparent": clientParent}}}, session)
	if resp := post("", "", map[string]any{"jsonrpc": "2.0", "id": 4, "method": "tools/list"}, session); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}

	fromHeader := tm.span(t, "tools/call read_tool")
	if p := fromHeader.Parent(); p.TraceID().String() != headerTrace || p.SpanID().String() != headerSpan {
		t.Errorf("parent %v, want the traceparent header's", p)
	}
	got := attrs(fromHeader.Attributes())
	for k, v := range map[string]any{"jsonrpc.request.id": "2", "mcp.session.id": session, "mcp.protocol.version": mcp.ProtocolVersion20251125,
		"network.transport": "tcp", "network.protocol.name": "http"} {
		if got[k] != v {
			t.Errorf("HTTP span: %s = %v, want %v", k, got[k], v)
		}
	}
	fromMeta := tm.span(t, "tools/call write_tool")
	if p := fromMeta.Parent(); p.TraceID().String() != clientTrace || p.SpanID().String() != clientSpan {
		t.Errorf("parent %v, want params._meta's", p)
	}
	if l := fromMeta.Links(); len(l) != 1 || l[0].SpanContext.TraceID().String() != headerTrace {
		t.Errorf("links %v, want one to the HTTP request's context", l)
	}
	if got := attrs(fromMeta.Attributes())["jsonrpc.request.id"]; got != "three" {
		t.Errorf("string id: jsonrpc.request.id = %v, want three", got)
	}
	var names []string
	for _, s := range tm.spans.Ended() {
		names = append(names, s.Name())
	}
	sort.Strings(names)
	if diff := cmp.Diff([]string{"initialize", "notifications/initialized", "tools/call read_tool", "tools/call write_tool"}, names); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
	if n := tm.counts(t)["http.response.status_code=401,mcp.authz.outcome=denied,mcp.authz.rule.layer=http"]; n != 0 {
		t.Errorf("counted the status code: %d", n)
	}
	if n := tm.counts(t)["mcp.authz.outcome=denied,mcp.authz.rule.layer=http"]; n != 1 {
		t.Errorf("401 counted %d times, want 1; counts %v", n, tm.counts(t))
	}
}
