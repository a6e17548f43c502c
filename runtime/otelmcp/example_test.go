package otelmcp_test

import (
	"context"
	"fmt"
	"log"

	"github.com/mark3labs/mcp-go/mcp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/otelmcp"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

// A server instrumented with otelmcp: each request is a server span, and
// its authorization decision an event on it.
func Example() {
	spans := tracetest.NewSpanRecorder()
	tel, err := otelmcp.New(otelmcp.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))))
	if err != nil {
		log.Fatal(err)
	}
	srv := runtime.NewServer("notes", "1.0.0", tel.Options()...)
	srv.AddTool(mcp.NewTool("delete_all"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("deleted"), nil
	}, runtime.WithScopes("admin"))

	c := runtimetest.NewClient(srv)
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	if _, err := c.Initialize(ctx, init); err != nil {
		log.Fatal(err)
	}
	call := mcp.CallToolRequest{}
	call.Params.Name = "delete_all"
	reader := runtime.ContextWithAccessToken(ctx, &runtime.AccessToken{ClientID: "notes-app", Scopes: []string{"read"}})
	c.CallTool(reader, call) // denied: answered as a missing tool

	for _, s := range spans.Ended() {
		if s.Name() != "tools/call delete_all" {
			continue
		}
		fmt.Println(s.Name(), s.SpanKind())
		for _, ev := range s.Events() {
			for _, kv := range ev.Attributes {
				switch kv.Key {
				case "mcp.authz.allowed", "mcp.authz.rule", "mcp.authz.client_id":
					fmt.Printf("  %s %s=%s\n", ev.Name, kv.Key, kv.Value.String())
				}
			}
		}
	}
	// Output:
	// tools/call delete_all server
	//   mcp.authz.decision mcp.authz.allowed=false
	//   mcp.authz.decision mcp.authz.client_id=notes-app
	//   mcp.authz.decision mcp.authz.rule=scopes(admin)
}
