package authz_test

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

func ExampleLogDecisions() {
	// A text handler without time, so that the output is stable.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	hook := authz.LogDecisions(logger)
	hook(context.Background(), authz.Decision{
		Time: time.Now(), Duration: 2 * time.Microsecond,
		Method: "tools/call", Kind: authz.KindTool, Name: "delete_all", Target: "delete_all",
		Subject: "alice", ClientID: "notes-app", SessionID: "9f2c",
		Rule: authz.Rule{Layer: authz.LayerComponent, Text: "scopes(admin)"},
	})
	// Output:
	// level=INFO msg="mcp authorization denied" mcp.method.name=tools/call mcp.authz.allowed=false mcp.authz.component.kind=tool mcp.authz.component.name=delete_all mcp.authz.subject=alice mcp.authz.client_id=notes-app mcp.session.id=9f2c mcp.authz.rule.layer=component mcp.authz.rule=scopes(admin) mcp.authz.rule.check=0 mcp.authz.duration=2µs
}
