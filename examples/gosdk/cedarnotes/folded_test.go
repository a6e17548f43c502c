package cedarnotes

import (
	"testing"

	"github.com/mcpauthgen/mcpauthgen/internal/gosdktest"
)

// TestCedarNotesFoldedKey sends delete_note arguments whose second key
// differs from the argument's name only in case: encoding/json binds it
// to the same parameter, so the policies must not decide on one note
// while the handler deletes another.
func TestCedarNotesFoldedKey(t *testing.T) {
	s, store := New(false)
	c := gosdktest.Connect(t, s)
	alices := store.add("alice", "mine", "")
	bobs := store.add("bob", "his", "")

	text, isErr, err := c.Call(alice, "delete_note", map[string]any{"id": alices.ID, "ID": bobs.ID})
	if err != nil {
		t.Fatal(err)
	}
	const want = `invalid argument "ID": no such argument (names are case-sensitive: "id")`
	if !isErr || text != want {
		t.Errorf("a call whose arguments bind a key twice: %q (isError %v), want the refusal %q", text, isErr, want)
	}
	if _, ok := store.notes[bobs.ID]; !ok {
		t.Errorf("alice deleted bob's note %s through the key %q", bobs.ID, "ID")
	}
	if _, ok := store.notes[alices.ID]; !ok {
		t.Errorf("alice's note %s is gone, though the call was refused", alices.ID)
	}
}
