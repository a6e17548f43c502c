package cedarnotes

import (
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
)

// TestCedarNotesFoldedKey sends delete_note arguments whose second key
// differs from the argument's name only in case: encoding/json binds it
// to the same parameter, so the policies must not decide on one note
// while the handler deletes another.
func TestCedarNotesFoldedKey(t *testing.T) {
	s, store := New(false)
	c, _ := mcptest.Start(t, s)
	alices := store.add("alice", "mine", "")
	bobs := store.add("bob", "his", "")

	req := mcp.CallToolRequest{}
	req.Params.Name = "delete_note"
	req.Params.Arguments = json.RawMessage(`{"id":"` + alices.ID + `","ID":"` + bobs.ID + `"}`)
	res, err := c.CallTool(mcptest.As(alice), req)
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsError {
		t.Errorf("a call whose arguments bind a key twice is served: %+v", res.Content)
	}
	if _, ok := store.notes[bobs.ID]; !ok {
		t.Errorf("alice deleted bob's note %s through the key %q", bobs.ID, "ID")
	}
	if _, ok := store.notes[alices.ID]; !ok {
		t.Errorf("alice's note %s is gone, though the call was refused", alices.ID)
	}
}
