// Package cedarnotes is examples/cedarnotes on the official go-sdk: the
// same annotations and the same policy file, notes.cedar (a copy, kept
// identical by TestPoliciesAreTheOriginals), with //mcp:backend gosdk,
// registered on a gosdk.Server.
//
// It is a notes server whose authorization is a Cedar policy file enforced
// by runtime/cedarauth: anyone with notes:write may create a note, only
// its owner may delete it, and a suspended account may do nothing. The
// generator validates the policies against the components below
// (//mcp:policies), so a renamed tool or argument fails go generate, and
// -check in CI.
package cedarnotes

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

//mcp:backend gosdk

//mcp:policies notes.cedar

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/cedarauth"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

//go:embed notes.cedar
var policies []byte

// New returns the server and its store, enforcing notes.cedar (in monitor
// mode, reporting without enforcing, when monitor is set).
func New(monitor bool) (*gosdk.Server, *Store) {
	set, err := cedarauth.ParsePolicies("notes.cedar", policies)
	if err != nil {
		panic(err) // the generator has validated the file
	}
	store := &Store{notes: map[string]Note{}}
	opts := []cedarauth.Option{cedarauth.WithEntities(store)}
	if monitor {
		opts = append(opts, cedarauth.Monitor())
	}
	s := gosdk.NewServer(&mcp.Implementation{Name: "Notes", Version: "1.0.0"}, nil,
		gosdk.WithMiddleware(cedarauth.New(set, opts...).Middleware()))
	Register(s)
	current.Lock()
	current.s = store
	current.Unlock()
	return s, store
}

// Note is one note.
type Note struct {
	ID    string `json:"id"`
	Owner string `json:"owner"`
	Title string `json:"title"`
	Body  string `json:"body,omitempty"`
}

// Store holds the notes. It is also the policies' entity store: it tags
// each principal with the ids of the notes it owns.
type Store struct {
	mu    sync.Mutex
	next  int
	notes map[string]Note
}

// Get implements types.EntityGetter: Principal::"sub" is tagged with
// "ID": "owner" for each note it owns.
func (s *Store) Get(uid types.EntityUID) (types.Entity, bool) {
	if uid.Type != cedarauth.PrincipalType {
		return types.Entity{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tags := types.RecordMap{}
	for id, n := range s.notes {
		if n.Owner == string(uid.ID) {
			tags[types.String(id)] = types.String("owner")
		}
	}
	return types.Entity{UID: uid, Tags: types.NewRecord(tags)}, true
}

func (s *Store) add(owner, title, body string) Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	n := Note{ID: "n" + strconv.Itoa(s.next), Owner: owner, Title: title, Body: body}
	s.notes[n.ID] = n
	return n
}

// caller is the subject of the request's token.
func caller(ctx context.Context) string {
	if tok := gosdk.AccessTokenFromContext(ctx); tok != nil {
		if sub, ok := tok.Claims["sub"].(string); ok && sub != "" {
			return sub
		}
		return tok.ClientID
	}
	return ""
}

// current is the store of the server New built last, which the handlers
// use: the example serves one server per process.
var current struct {
	sync.Mutex
	s *Store
}

func store() *Store {
	current.Lock()
	defer current.Unlock()
	return current.s
}

// NewNote is what create_note takes.
type NewNote struct {
	// Title of the note.
	Title string `json:"title"`
	// Body of the note.
	Body string `json:"body,omitempty"`
}

// CreateNote creates a note owned by the caller.
//
//mcp:tool
func CreateNote(ctx context.Context, in NewNote) (Note, error) {
	return store().add(caller(ctx), in.Title, in.Body), nil
}

// DeleteNote deletes a note.
//
//mcp:tool destructive
func DeleteNote(ctx context.Context, id string) (string, error) {
	s := store()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.notes[id]; !ok {
		return "", fmt.Errorf("no note %q", id)
	}
	delete(s.notes, id)
	return "deleted " + id, nil
}

// ListNotes lists the ids of every note.
//
//mcp:tool readonly
func ListNotes(ctx context.Context) ([]string, error) {
	s := store()
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.notes))
	for id := range s.notes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

// ReadNote is one note.
//
//mcp:resource uri=notes://{id} mime=application/json
func ReadNote(ctx context.Context, id string) (Note, error) {
	s := store()
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.notes[id]
	if !ok {
		return Note{}, fmt.Errorf("no note %q", id)
	}
	return n, nil
}

// PurgeNotes deletes every note.
//
//mcp:tool destructive tags=admin
func PurgeNotes(ctx context.Context) (string, error) {
	s := store()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.notes)
	clear(s.notes)
	return fmt.Sprintf("purged %d notes", n), nil
}
