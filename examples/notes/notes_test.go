package notes

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

var (
	alice = mcptest.Token("alice", "notes")
	bob   = mcptest.Token("bob", "notes")
)

// raw sends one JSON-RPC request as tok and returns the answer as JSON
// without its id, for byte-for-byte comparisons.
func raw(t *testing.T, c *client.Client, tok *runtime.AccessToken, method string, params any) string {
	t.Helper()
	resp, err := c.GetTransport().SendRequest(mcptest.As(tok), transport.JSONRPCRequest{
		JSONRPC: mcp.JSONRPC_VERSION, ID: mcp.NewRequestId(int64(1)), Method: method, Params: params,
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

func create(t *testing.T, c *mcptest.Client, tok *runtime.AccessToken, text string) string {
	t.Helper()
	out, err := c.Structured(tok, "create_note", map[string]any{"text": text})
	if err != nil {
		t.Fatal(err)
	}
	var n Note
	if err := json.Unmarshal([]byte(out), &n); err != nil {
		t.Fatal(err)
	}
	return n.ID
}

func TestEveryoneSeesTheSameComponents(t *testing.T) {
	c := mcptest.Connect(t, New())
	create(t, c, alice, "alice's")
	wantTools := []string{"create_note", "delete_note", "list_notes", "update_note"}
	for _, tok := range []*runtime.AccessToken{alice, bob} {
		tools, _, templates, prompts := c.Visible(tok)
		got := [][]string{tools, templates, prompts}
		if diff := cmp.Diff([][]string{wantTools, {"notes://{id}"}, {"summarize_note"}}, got); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", tok.ClientID, diff)
		}
	}
	// Without the notes scope, nothing shows.
	if tools := c.Tools(mcptest.Token("carol")); len(tools) != 0 {
		t.Errorf("a token without the notes scope sees %v", tools)
	}
}

func TestOwnersOnly(t *testing.T) {
	c := mcptest.Connect(t, New())
	a := create(t, c, alice, "buy milk")
	b := create(t, c, bob, "call mum")

	// Each owner may read, update and delete their own note.
	if got, err := c.Read(alice, "notes://"+a); err != nil || !strings.Contains(got, `"text":"buy milk"`) {
		t.Errorf("alice reads her note: %q, %v", got, err)
	}
	if text, isErr, err := c.Call(alice, "update_note", map[string]any{"id": a, "text": "buy oat milk"}); err != nil || isErr || !strings.Contains(text, "buy oat milk") {
		t.Errorf("alice updates her note: %q %v %v", text, isErr, err)
	}
	if got, err := c.Prompt(bob, "summarize_note", map[string]string{"id": b}); err != nil || !strings.Contains(got, "call mum") {
		t.Errorf("bob's summary prompt: %q, %v", got, err)
	}

	// Neither may touch the other's.
	const denied = "Authorization failed for tool 'update_note': insufficient permissions"
	if text, isErr, err := c.Call(bob, "update_note", map[string]any{"id": a, "text": "pwned"}); err != nil || !isErr || text != denied {
		t.Errorf("bob updates alice's note: %q %v %v", text, isErr, err)
	}
	if text, isErr, err := c.Call(alice, "delete_note", map[string]any{"id": b}); err != nil || !isErr || text != "Authorization failed for tool 'delete_note': insufficient permissions" {
		t.Errorf("alice deletes bob's note: %q %v %v", text, isErr, err)
	}
	if _, err := c.Read(bob, "notes://"+a); err == nil {
		t.Error("bob reads alice's note")
	}
	if _, err := c.Prompt(alice, "summarize_note", map[string]string{"id": b}); !mcptest.ErrorContains(err, "Authorization failed for prompt 'summarize_note': insufficient permissions") {
		t.Errorf("alice's prompt on bob's note: %v", err)
	}

	// Nothing changed.
	if got, _ := c.Read(alice, "notes://"+a); !strings.Contains(got, "buy oat milk") {
		t.Errorf("alice's note after bob's attempt: %q", got)
	}
	if text, isErr, err := c.Call(bob, "delete_note", map[string]any{"id": b}); err != nil || isErr || text != "deleted "+b {
		t.Errorf("bob deletes his note: %q %v %v", text, isErr, err)
	}
	if _, err := c.Read(bob, "notes://"+b); err == nil {
		t.Error("a deleted note can still be read")
	}
}

// To bob, alice's note answers exactly as a note that does not exist,
// byte for byte, on every way in.
func TestAnothersNoteIsAMissingNote(t *testing.T) {
	srv := New()
	c, _ := mcptest.Start(t, srv)
	tc := mcptest.Connect(t, srv)
	a := create(t, tc, alice, "secret")
	const missing = "n999"
	same := func(what string, ask func(id string) string) {
		t.Helper()
		other, none := ask(a), ask(missing)
		t.Logf("%s: %s", what, other)
		if strings.ReplaceAll(other, a, missing) != none {
			t.Errorf("%s: alice's note is told apart from a missing one:\n%s\n%s", what, other, none)
		}
		if strings.Contains(other, "secret") {
			t.Errorf("%s leaks the note: %s", what, other)
		}
	}
	same("resources/read", func(id string) string {
		return raw(t, c, bob, "resources/read", map[string]any{"uri": "notes://" + id})
	})
	for _, tool := range []string{"update_note", "delete_note"} {
		same(tool, func(id string) string {
			return raw(t, c, bob, "tools/call", map[string]any{"name": tool, "arguments": map[string]any{"id": id, "text": "x"}})
		})
	}
	same("prompts/get", func(id string) string {
		return raw(t, c, bob, "prompts/get", map[string]any{"name": "summarize_note", "arguments": map[string]any{"id": id}})
	})
	// And a read of a note bob may not see answers as a URI nothing serves.
	other := raw(t, c, bob, "resources/read", map[string]any{"uri": "notes://" + a})
	nothing := raw(t, c, bob, "resources/read", map[string]any{"uri": "nothing://" + a})
	if strings.ReplaceAll(other, "notes://", "nothing://") != nothing {
		t.Errorf("a denied read is told apart from an unknown URI:\n%s\n%s", other, nothing)
	}
}
