package porting

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/invopop/jsonschema"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

var editor = mcptest.Token("editor", "read", "write")

// TestSchemasAsBefore checks that tools/list publishes, for each struct
// of arguments, the schema the server published before the port: what
// invopop/jsonschema reflects with the settings the server used.
func TestSchemasAsBefore(t *testing.T) {
	c, _ := mcptest.Start(t, New())
	resp, err := c.GetTransport().SendRequest(mcptest.As(editor), transport.JSONRPCRequest{
		JSONRPC: mcp.JSONRPC_VERSION, ID: mcp.NewRequestId(int64(1)), Method: "tools/list",
	})
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Tools []struct {
			Name        string          `json:"name"`
			InputSchema json.RawMessage `json:"inputSchema"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(resp.Result, &list); err != nil {
		t.Fatal(err)
	}
	r := &jsonschema.Reflector{Anonymous: true, DoNotReference: true, ExpandedStruct: true, RequiredFromJSONSchemaTags: true}
	before := map[string]any{
		"list_alert_rules": r.Reflect(ListAlertRulesParams{}),
		"update_dashboard": r.Reflect(UpdateDashboardParams{}),
	}
	seen := 0
	for _, tool := range list.Tools {
		want, ok := before[tool.Name]
		if !ok {
			continue
		}
		seen++
		b, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		w := decode(t, b)
		delete(w.(map[string]any), "$schema")
		if diff := cmp.Diff(w, decode(t, tool.InputSchema)); diff != "" {
			t.Errorf("%s: input schema differs from invopop's (-invopop +published):\n%s", tool.Name, diff)
		}
	}
	if seen != len(before) {
		t.Errorf("compared %d tools, want %d", seen, len(before))
	}
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRequiredByTags checks that only fields tagged jsonschema:"required"
// are required: title has no omitempty and may still be left out.
func TestRequiredByTags(t *testing.T) {
	c := mcptest.Connect(t, New())
	text, isErr, err := c.Call(editor, "update_dashboard", map[string]any{"uid": "d1", "operation": "patch"})
	if err != nil || isErr || text != "dashboard d1: patch, title (unchanged), 0 panels" {
		t.Errorf("update_dashboard without title: %q %v %v", text, isErr, err)
	}
	text, isErr, err = c.Call(editor, "update_dashboard", map[string]any{"operation": "patch"})
	if err != nil || !isErr || text != `missing required argument "uid"` {
		t.Errorf("update_dashboard without uid: %q %v %v", text, isErr, err)
	}
	text, isErr, err = c.Call(editor, "update_dashboard", map[string]any{"uid": "d1", "operation": "patch", "panels": []any{map[string]any{"type": "graph"}}})
	if err != nil || isErr || text != "dashboard d1: patch, title (unchanged), 1 panels" {
		// Nested required fields are the client's to honour: the
		// runtime checks the top-level arguments only.
		t.Errorf("update_dashboard with a panel: %q %v %v", text, isErr, err)
	}
}

// TestDisableWrite checks the --disable-write switch of
// examples/cmd/porting: the writing tools do not exist, even for a token
// that may write.
func TestDisableWrite(t *testing.T) {
	all := mcptest.Connect(t, New())
	if got, want := all.Tools(editor), []string{"create_annotation", "list_alert_rules", "update_dashboard"}; !slices.Equal(got, want) {
		t.Errorf("tools %v, want %v", got, want)
	}
	readOnly := mcptest.Connect(t, New(runtime.WithExcludeTags("write")))
	if got, want := readOnly.Tools(editor), []string{"list_alert_rules"}; !slices.Equal(got, want) {
		t.Errorf("tools with write excluded %v, want %v", got, want)
	}
	if _, _, err := readOnly.Call(editor, "update_dashboard", map[string]any{"uid": "d1", "operation": "patch"}); !mcptest.ErrorContains(err, "tool 'update_dashboard' not found") {
		t.Errorf("update_dashboard with write excluded: %v", err)
	}
}

// TestPromptArguments checks that prompt arguments take their
// descriptions and required flags from the same tags.
func TestPromptArguments(t *testing.T) {
	c, _ := mcptest.Start(t, New())
	res, err := c.ListPrompts(mcptest.As(editor), mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Prompts) != 1 {
		t.Fatalf("prompts: %+v", res.Prompts)
	}
	want := []mcp.PromptArgument{
		{Name: "uid", Description: "The dashboard to review", Required: true},
		{Name: "focus", Description: "What to look at"},
	}
	if diff := cmp.Diff(want, res.Prompts[0].Arguments); diff != "" {
		t.Errorf("review's arguments (-want +got):\n%s", diff)
	}
}
