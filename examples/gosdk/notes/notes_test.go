package notes

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/gosdktest"
	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

var (
	alice = gosdktest.Token("alice", "notes")
	bob   = gosdktest.Token("bob", "notes")
)

// These tests are examples/notes's on the go-sdk: the same requests get
// the same answers, except where each SDK words its own errors.

func create(t *testing.T, c *gosdktest.Client, tok *gosdk.AccessToken, text string) string {
	t.Helper()
	out, isErr, err := c.Call(tok, "create_note", map[string]any{"text": text})
	if err != nil || isErr {
		t.Fatalf("create_note: %q %v %v", out, isErr, err)
	}
	var n Note
	if err := json.Unmarshal([]byte(out), &n); err != nil {
		t.Fatal(err)
	}
	return n.ID
}

func TestEveryoneSeesTheSameComponents(t *testing.T) {
	c := gosdktest.Connect(t, New())
	create(t, c, alice, "alice's")
	wantTools := []string{"create_note", "delete_note", "list_notes", "update_note"}
	for _, tok := range []*gosdk.AccessToken{alice, bob} {
		tools, _, templates, prompts := c.Visible(tok)
		got := [][]string{tools, templates, prompts}
		if diff := cmp.Diff([][]string{wantTools, {"notes://{id}"}, {"summarize_note"}}, got); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", tok.ClientID, diff)
		}
	}
	// Without the notes scope, nothing shows.
	if tools := c.Tools(gosdktest.Token("carol")); len(tools) != 0 {
		t.Errorf("a token without the notes scope sees %v", tools)
	}
}

func TestOwnersOnly(t *testing.T) {
	c := gosdktest.Connect(t, New())
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
	if _, err := c.Read(bob, "notes://"+a); !gosdktest.ErrorContains(err, "Resource not found") {
		t.Errorf("bob reads alice's note: %v", err)
	}
	if _, err := c.Prompt(alice, "summarize_note", map[string]string{"id": b}); !gosdktest.ErrorContains(err, "Authorization failed for prompt 'summarize_note': insufficient permissions") {
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
// byte for byte, on every way in, over Streamable HTTP.
func TestAnothersNoteIsAMissingNote(t *testing.T) {
	srv := New()
	ts := httptest.NewServer(srv.HTTPHandler(gosdk.WithTokenVerifier(gosdk.NewStaticTokenVerifier(map[string]gosdk.AccessToken{
		"alice-token": *alice,
		"bob-token":   *bob,
	}))))
	t.Cleanup(ts.Close)
	a := create(t, gosdktest.Connect(t, srv), alice, "secret")
	s := mcpwire.Connect(t, ts.URL, "bob-token")
	// ask sends one request, always with the same id, and returns the
	// answer as written.
	ask := func(method string, params any) string {
		s.Next = 1
		return string(s.Call(method, params))
	}
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
		return ask("resources/read", map[string]any{"uri": "notes://" + id})
	})
	for _, tool := range []string{"update_note", "delete_note"} {
		same(tool, func(id string) string {
			return ask("tools/call", map[string]any{"name": tool, "arguments": map[string]any{"id": id, "text": "x"}})
		})
	}
	same("prompts/get", func(id string) string {
		return ask("prompts/get", map[string]any{"name": "summarize_note", "arguments": map[string]any{"id": id}})
	})
	// And a read of a note bob may not see answers as a URI nothing serves.
	other := ask("resources/read", map[string]any{"uri": "notes://" + a})
	nothing := ask("resources/read", map[string]any{"uri": "nothing://" + a})
	if strings.ReplaceAll(other, "notes://", "nothing://") != nothing {
		t.Errorf("a denied read is told apart from an unknown URI:\n%s\n%s", other, nothing)
	}
}
