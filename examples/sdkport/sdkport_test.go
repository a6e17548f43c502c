package sdkport

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/jsonschema-go/jsonschema"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
)

var reader = mcptest.Token("reader", "read")

// TestSchemaAsBefore checks that tools/list publishes the schema
// jsonschema-go infers for SearchArgs, as the go-sdk server did.
func TestSchemaAsBefore(t *testing.T) {
	c, _ := mcptest.Start(t, New())
	resp, err := c.GetTransport().SendRequest(mcptest.As(reader), transport.JSONRPCRequest{
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
	if len(list.Tools) != 1 || list.Tools[0].Name != "search" {
		t.Fatalf("tools: %+v", list.Tools)
	}
	want, err := jsonschema.For[SearchArgs](nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(decode(t, b), decode(t, list.Tools[0].InputSchema)); diff != "" {
		t.Errorf("input schema differs from jsonschema-go's (-go-sdk +published):\n%s", diff)
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

// TestCall checks that the required arguments are the fields without
// omitempty, as jsonschema-go has it, and that a required pointer, whose
// schema accepts null, takes null (or its absence) as nil.
func TestCall(t *testing.T) {
	c := mcptest.Connect(t, New())
	for _, tt := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"query": "mcp", "filter": map[string]any{"owner": "ann"}, "cursor": nil}, `{"result":[{"name":"mcp (limit 10, owner \"ann\", from start)"}]}`},
		{map[string]any{"query": "mcp", "filter": map[string]any{}, "cursor": "c2", "limit": 3}, `{"result":[{"name":"mcp (limit 3, owner \"\", from c2)"}]}`},
		{map[string]any{"query": "mcp", "filter": map[string]any{}}, `{"result":[{"name":"mcp (limit 10, owner \"\", from start)"}]}`},
	} {
		got, err := c.Structured(reader, "search", tt.args)
		if err != nil || got != tt.want {
			t.Errorf("search %v: %s %v, want %s", tt.args, got, err, tt.want)
		}
	}
	text, isErr, err := c.Call(reader, "search", map[string]any{"query": "mcp", "cursor": nil})
	if err != nil || !isErr || text != `missing required argument "filter"` {
		t.Errorf("search without filter: %q %v %v", text, isErr, err)
	}
}
