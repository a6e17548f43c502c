package authz_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestLogDecisions writes decisions of every shape through a JSON handler
// and compares the records: level, message, time and every attribute by
// its documented key.
func TestLogDecisions(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		d    authz.Decision
		want map[string]any
	}{
		{"allowed call", authz.Decision{Time: at, Duration: 1500 * time.Nanosecond, Method: "tools/call", Kind: authz.KindTool, Name: "read", Target: "read",
			Subject: "alice", ClientID: "app", SessionID: "s1", Allowed: true},
			map[string]any{"level": "DEBUG", "msg": authz.LogMessageAllowed, "mcp.method.name": "tools/call", "mcp.authz.allowed": true,
				"mcp.authz.component.kind": "tool", "mcp.authz.component.name": "read", "mcp.authz.subject": "alice", "mcp.authz.client_id": "app",
				"mcp.session.id": "s1", "mcp.authz.duration": 1500.0}},
		{"denied by a component check", authz.Decision{Time: at, Method: "resources/read", Kind: authz.KindResourceTemplate, Name: "profile", URI: "users://{id}", Target: "users://7",
			Rule: authz.Rule{Layer: authz.LayerComponent, Text: "check(isOwner)", Check: 1}},
			map[string]any{"level": "INFO", "msg": authz.LogMessageDenied, "mcp.method.name": "resources/read", "mcp.authz.allowed": false,
				"mcp.authz.component.kind": "resource_template", "mcp.authz.component.name": "profile", "mcp.authz.component.uri": "users://{id}",
				"mcp.authz.target": "users://7", "mcp.authz.rule.layer": "component", "mcp.authz.rule": "check(isOwner)", "mcp.authz.rule.check": 1.0,
				"mcp.authz.duration": 0.0}},
		{"denied by a failing middleware check", authz.Decision{Time: at, Method: "prompts/get", Kind: authz.KindPrompt, Name: "p", Target: "p",
			Rule: authz.Rule{Layer: authz.LayerMiddleware, Text: "check(store.Allows)", Middleware: 2, Failed: true}},
			map[string]any{"level": "WARN", "msg": authz.LogMessageDenied, "mcp.method.name": "prompts/get", "mcp.authz.allowed": false,
				"mcp.authz.component.kind": "prompt", "mcp.authz.component.name": "p", "mcp.authz.rule.layer": "middleware",
				"mcp.authz.rule": "check(store.Allows)", "mcp.authz.rule.middleware": 2.0, "mcp.authz.rule.check": 0.0, "mcp.authz.rule.failed": true,
				"mcp.authz.duration": 0.0}},
		{"list", authz.Decision{Time: at, Method: "tools/list", Kind: authz.KindTool, Allowed: true, Visible: 3},
			map[string]any{"level": "DEBUG", "msg": authz.LogMessageAllowed, "mcp.method.name": "tools/list", "mcp.authz.allowed": true,
				"mcp.authz.component.kind": "tool", "mcp.authz.list.visible": 3.0, "mcp.authz.list.hidden": 0.0, "mcp.authz.duration": 0.0}},
		{"HTTP refusal", authz.Decision{Time: at, Status: 401, SessionID: "s2", Rule: authz.Rule{Layer: authz.LayerHTTP, Text: authz.RuleBearerInvalid}},
			map[string]any{"level": "INFO", "msg": authz.LogMessageDenied, "mcp.authz.allowed": false, "mcp.session.id": "s2",
				"http.response.status_code": 401.0, "mcp.authz.rule.layer": "http", "mcp.authz.rule": "bearer(invalid)", "mcp.authz.duration": 0.0}},
		{"policies", authz.Decision{Time: at, Method: "tools/call", Kind: authz.KindTool, Name: "t", Target: "t",
			Rule: authz.Rule{Layer: authz.LayerPolicy, Policies: []string{"p1", "p2"}}},
			map[string]any{"level": "INFO", "msg": authz.LogMessageDenied, "mcp.method.name": "tools/call", "mcp.authz.allowed": false,
				"mcp.authz.component.kind": "tool", "mcp.authz.component.name": "t", "mcp.authz.rule.layer": "policy",
				"mcp.authz.rule.policies": []any{"p1", "p2"}, "mcp.authz.duration": 0.0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			authz.LogDecisions(l)(context.Background(), tc.d)
			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, buf.Bytes())
			}
			tc.want["time"] = at.Format(time.RFC3339)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLogDecisionsLevels checks that a handler at Info level hears
// denials and not allowed requests.
func TestLogDecisionsLevels(t *testing.T) {
	var buf bytes.Buffer
	hook := authz.LogDecisions(slog.New(slog.NewTextHandler(&buf, nil)))
	hook(context.Background(), authz.Decision{Method: "tools/call", Allowed: true})
	if buf.Len() != 0 {
		t.Errorf("an allowed request was logged at Info: %s", buf.Bytes())
	}
	hook(context.Background(), authz.Decision{Method: "tools/call"})
	if buf.Len() == 0 {
		t.Error("a denial was not logged at Info")
	}
}
