package e2e_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/examples/cedarnotes"
	gosdkcedarnotes "github.com/mcpauthgen/mcpauthgen/examples/gosdk/cedarnotes"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestCedarNotes drives the notes example, whose authorization is a Cedar
// policy file (runtime/cedarauth), and its go-sdk twin
// (examples/gosdk/cedarnotes), through the TypeScript SDK over Streamable
// HTTP: lists by partial evaluation, calls decided on their arguments,
// owner-only deletes through the server's entities, a forbid on a claim,
// and the explicit denial message as an isError result.
func TestCedarNotes(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	forEachBackend(t, func(t *testing.T, b backend) { cedarNotes(t, node, b) })
}

func cedarNotes(t *testing.T, node string, b backend) {
	claims := func(sub string, more ...any) map[string]any {
		c := map[string]any{"sub": sub}
		for i := 0; i+1 < len(more); i += 2 {
			c[more[i].(string)] = more[i+1]
		}
		return c
	}
	v := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
		"alice-token":     {ClientID: "notes-app", Scopes: []string{"notes:write", "notes:read"}, Claims: claims("alice")},
		"bob-token":       {ClientID: "notes-app", Scopes: []string{"notes:write", "notes:read"}, Claims: claims("bob")},
		"suspended-token": {ClientID: "notes-app", Scopes: []string{"notes:write", "notes:read"}, Claims: claims("alice", "suspended", true)},
	})
	var h http.Handler
	if b.goSDK {
		srv, _ := gosdkcedarnotes.New(false)
		h = srv.HTTPHandler(gosdk.WithTokenVerifier(v))
	} else {
		srv, _ := cedarnotes.New(false)
		h = srv.HTTPHandler(runtime.WithTokenVerifier(v))
	}
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	url := ts.URL + "/mcp"

	const denyDelete = "Authorization failed for tool 'delete_note': insufficient permissions"
	type step struct {
		token string
		op    op
		want  string // a list's names, or a call's text (prefixed "error: " when isError)
	}
	steps := []step{
		{"alice-token", op{"op": "listTools"}, "create_note delete_note list_notes"},
		{"alice-token", op{"op": "callTool", "name": "create_note", "args": map[string]any{"title": "mine"}}, `{"id":"n1","owner":"alice","title":"mine"}`},
		{"bob-token", op{"op": "callTool", "name": "delete_note", "args": map[string]any{"id": "n1"}}, "error: " + denyDelete},
		{"suspended-token", op{"op": "listTools"}, ""},
		{"suspended-token", op{"op": "callTool", "name": "delete_note", "args": map[string]any{"id": "n1"}}, "error: " + denyDelete},
		{"alice-token", op{"op": "callTool", "name": "delete_note", "args": map[string]any{"id": "n1"}}, "deleted n1"},
		{"bob-token", op{"op": "callTool", "name": "create_note", "args": map[string]any{"title": "x", "body": "to the ARCHIVE"}}, "error: Authorization failed for tool 'create_note': insufficient permissions"},
	}
	for i, s := range steps {
		out := runClient(t, node, url, s.token, []op{s.op})
		if !out.Connect.OK || len(out.Results) != 1 {
			t.Fatalf("step %d: connect %+v, %d results", i, out.Connect, len(out.Results))
		}
		r := out.Results[0]
		if r.Error != nil {
			t.Errorf("step %d %v: %+v", i, s.op, r.Error)
			continue
		}
		var got string
		switch s.op["op"] {
		case "listTools":
			var res struct {
				Tools []struct{ Name string } `json:"tools"`
			}
			if err := json.Unmarshal(r.Result, &res); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tl := range res.Tools {
				names = append(names, tl.Name)
			}
			slices.Sort(names)
			got = strings.Join(names, " ")
		default:
			var res struct {
				Content []struct{ Text string } `json:"content"`
				IsError bool                    `json:"isError"`
			}
			if err := json.Unmarshal(r.Result, &res); err != nil || len(res.Content) != 1 {
				t.Fatalf("step %d: %s %v", i, r.Result, err)
			}
			got = res.Content[0].Text
			if res.IsError {
				got = "error: " + got
			}
		}
		if diff := cmp.Diff(s.want, got); diff != "" {
			t.Errorf("step %d %s %v (-want +got):\n%s", i, s.token, s.op, diff)
		}
	}
}
