// Package notes is a notes service in which every note has an owner. Every
// user with the notes scope sees the same tools, and may read, update and
// delete only their own notes: call checks on the tools' arguments and on
// the notes://{id} template decide each request on the note it names. To
// anyone but its owner, a note is indistinguishable from one that does
// not exist.
package notes

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// Note is one note.
type Note struct {
	ID    string `json:"id"`
	Owner string `json:"owner"`
	Text  string `json:"text"`
}

// store holds the notes of the server New returned last.
var store = newStore()

type noteStore struct {
	mu    sync.Mutex
	notes map[string]Note
	next  int
}

func newStore() *noteStore { return &noteStore{notes: map[string]Note{}} }

func (s *noteStore) get(id string) (Note, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.notes[id]
	return n, ok
}

// New returns the server, with an empty store; opts are added to its own
// (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	store = newStore()
	s := runtime.NewServer("Notes", "1.0.0", opts...)
	Register(s)
	return s
}

// user names the caller: the token's subject claim, else its client ID.
func user(tok *runtime.AccessToken) string {
	if tok == nil {
		return ""
	}
	if sub, ok := tok.Claims["sub"].(string); ok && sub != "" {
		return sub
	}
	return tok.ClientID
}

// ownsID passes when the note id exists and belongs to the caller. A note
// that does not exist fails it too, so that a caller cannot tell another
// user's note from a missing one.
func ownsID(ac runtime.AuthContext, id string) bool {
	n, ok := store.get(id)
	return ok && ac.Token != nil && n.Owner == user(ac.Token)
}

// ownsNote is ownsID for the input of update_note.
func ownsNote(ctx context.Context, ac runtime.AuthContext, in *UpdateNoteInput) (bool, error) {
	return ownsID(ac, in.ID), nil
}

// CreateNoteInput is the input of create_note.
type CreateNoteInput struct {
	// Text is the note's text.
	Text string `json:"text"`
}

// CreateNote creates a note owned by the caller.
//
//mcp:tool auth=scopes(notes)
func CreateNote(ctx context.Context, in CreateNoteInput) (Note, error) {
	owner := user(runtime.AccessTokenFromContext(ctx))
	if owner == "" {
		return Note{}, errors.New("a note needs an owner: call with a token")
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	store.next++
	n := Note{ID: fmt.Sprintf("n%d", store.next), Owner: owner, Text: in.Text}
	store.notes[n.ID] = n
	return n, nil
}

// ListNotes lists the caller's notes.
//
//mcp:tool auth=scopes(notes) readonly
func ListNotes(ctx context.Context) ([]Note, error) {
	owner := user(runtime.AccessTokenFromContext(ctx))
	store.mu.Lock()
	defer store.mu.Unlock()
	out := []Note{}
	for _, n := range store.notes {
		if n.Owner == owner {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b Note) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// UpdateNoteInput is the input of update_note.
type UpdateNoteInput struct {
	// ID is the note to update.
	ID string `json:"id"`
	// Text replaces the note's text.
	Text string `json:"text"`
}

// UpdateNote replaces the text of one of the caller's notes.
//
//mcp:tool auth=scopes(notes),check(ownsNote) idempotent
func UpdateNote(ctx context.Context, in *UpdateNoteInput) (Note, error) {
	store.mu.Lock()
	defer store.mu.Unlock()
	n := store.notes[in.ID]
	n.Text = in.Text
	store.notes[in.ID] = n
	return n, nil
}

// DeleteNote deletes one of the caller's notes.
//
//mcp:tool auth=scopes(notes),check(ownsID) destructive
func DeleteNote(ctx context.Context, id string) (string, error) {
	store.mu.Lock()
	defer store.mu.Unlock()
	delete(store.notes, id)
	return "deleted " + id, nil
}

// NoteByID is one of the caller's notes.
//
//mcp:resource uri=notes://{id} name=note auth=scopes(notes),check(ownsID)
func NoteByID(ctx context.Context, id string) (Note, error) {
	n, _ := store.get(id)
	return n, nil
}

// SummarizeNote asks for a summary of one of the caller's notes.
//
//mcp:prompt auth=scopes(notes),check(ownsID)
func SummarizeNote(ctx context.Context, id string) (string, error) {
	n, _ := store.get(id)
	return "Summarize this note in one sentence:\n\n" + n.Text, nil
}
