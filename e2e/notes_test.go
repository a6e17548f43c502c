package e2e_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	gosdknotes "github.com/mcpauthgen/mcpauthgen/examples/gosdk/notes"
	"github.com/mcpauthgen/mcpauthgen/examples/notes"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestNotesOwners drives examples/notes (and its go-sdk twin,
// examples/gosdk/notes), whose update_note and delete_note
// tools, notes://{id} template and summarize_note prompt carry call checks
// (only a note's owner may touch it), with the TypeScript SDK as two users:
// both see the same components, each may use only their own notes, and to
// bob, alice's note answers exactly as a note that does not exist.
func TestNotesOwners(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	forEachBackend(t, func(t *testing.T, b backend) { notesOwners(t, node, b) })
}

func notesOwners(t *testing.T, node string, b backend) {
	v := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
		"alice-token": {ClientID: "notes-app", Scopes: []string{"notes"}, Claims: map[string]any{"sub": "alice"}},
		"bob-token":   {ClientID: "notes-app", Scopes: []string{"notes"}, Claims: map[string]any{"sub": "bob"}},
	})
	var h http.Handler
	if b.goSDK {
		h = gosdknotes.New().HTTPHandler(gosdk.WithTokenVerifier(v))
	} else {
		h = notes.New().HTTPHandler(runtime.WithTokenVerifier(v))
	}
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	url := ts.URL + "/mcp"

	alice := runClient(t, node, url, "alice-token", []op{
		{"op": "callTool", "name": "create_note", "args": map[string]any{"text": "buy milk"}},
		{"op": "callTool", "name": "update_note", "args": map[string]any{"id": "n1", "text": "buy oat milk"}},
		{"op": "readResource", "uri": "notes://n1"},
		{"op": "getPrompt", "name": "summarize_note", "args": map[string]any{"id": "n1"}},
		{"op": "listTools"},
	})
	for i, r := range alice.Results {
		if r.Error != nil || strings.Contains(string(r.Result), `"isError":true`) {
			t.Errorf("alice, step %d (%s): %s %+v", i, r.Op, r.Result, r.Error)
		}
	}
	if got := string(alice.Results[2].Result); !strings.Contains(got, `buy oat milk`) || !strings.Contains(got, `alice`) {
		t.Errorf("alice reads her note: %s", got)
	}

	// bob asks for alice's note n1 and for n999, which does not exist, by
	// every way in; the answers must be equal once the ids are swapped.
	ways := func(id string) []op {
		return []op{
			{"op": "readResource", "uri": "notes://" + id},
			{"op": "callTool", "name": "update_note", "args": map[string]any{"id": id, "text": "pwned"}},
			{"op": "callTool", "name": "delete_note", "args": map[string]any{"id": id}},
			{"op": "getPrompt", "name": "summarize_note", "args": map[string]any{"id": id}},
		}
	}
	bob := runClient(t, node, url, "bob-token", append(append(ways("n1"), ways("n999")...), op{"op": "listTools"}))
	answer := func(r opResult) string {
		if r.Error != nil {
			code := 0
			if r.Error.Code != nil {
				code = *r.Error.Code
			}
			return fmt.Sprintf("%s %d %s", r.Error.Name, code, r.Error.Message)
		}
		return string(r.Result)
	}
	n := len(ways(""))
	for i := range n {
		other, missing := answer(bob.Results[i]), answer(bob.Results[n+i])
		t.Logf("bob, %s: %s", bob.Results[i].Op, other)
		if strings.ReplaceAll(other, "n1", "n999") != missing {
			t.Errorf("bob, %s: alice's note is told apart from a missing one:\n%s\n%s", bob.Results[i].Op, other, missing)
		}
		if strings.Contains(other, "milk") {
			t.Errorf("bob, %s: alice's note leaks: %s", bob.Results[i].Op, other)
		}
	}
	if r := bob.Results[1]; !strings.Contains(string(r.Result), "Authorization failed for tool 'update_note': insufficient permissions") {
		t.Errorf("bob updates alice's note: %s %+v", r.Result, r.Error)
	}
	// Each SDK's own resource-not-found error: mcp-go's -32002, the
	// go-sdk's mcp.ResourceNotFoundError (-32602 since its v1.7.0).
	notFound := -32002
	if b.goSDK {
		notFound = -32602
	}
	if r := bob.Results[0]; r.Error == nil || r.Error.Code == nil || *r.Error.Code != notFound {
		t.Errorf("bob reads alice's note: %s %+v, want the resource-not-found error %d", r.Result, r.Error, notFound)
	}
	// Both see the same tools.
	if d := cmp.Diff(string(alice.Results[4].Result), string(bob.Results[2*n].Result)); d != "" {
		t.Errorf("alice and bob see different tools (-alice +bob):\n%s", d)
	}

	// alice's note is as she left it.
	after := runClient(t, node, url, "alice-token", []op{{"op": "readResource", "uri": "notes://n1"}})
	if got := string(after.Results[0].Result); !strings.Contains(got, "buy oat milk") {
		t.Errorf("alice's note after bob's attempts: %s %+v", got, after.Results[0].Error)
	}
}
