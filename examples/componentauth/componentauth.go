// Package componentauth puts checks on each kind of component: a tool, a
// resource, a resource template and a prompt.
package componentauth

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"
	"fmt"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	s := runtime.NewServer("Component Auth Server", "1.0.0", opts...)
	Register(s)
	return s
}

// ProtectedTool needs the write scope.
//
//mcp:tool auth=scopes(write)
func ProtectedTool(ctx context.Context, note string) (string, error) {
	return "saved: " + note, nil
}

// SecretData is readable with the read scope.
//
//mcp:resource uri=data://secret mime=text/plain auth=scopes(read)
func SecretData(ctx context.Context) (string, error) {
	return "the secret is 42", nil
}

// UserProfile is each user's profile, readable with the read scope.
//
//mcp:resource uri=users://{id}/profile auth=scopes(read)
func UserProfile(ctx context.Context, id string) (Profile, error) {
	return Profile{ID: id, Name: "user " + id}, nil
}

// Profile is a user's public profile.
type Profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AdminPrompt drafts an announcement; it needs the admin scope.
//
//mcp:prompt auth=scopes(admin)
func AdminPrompt(ctx context.Context, topic string) (string, error) {
	return fmt.Sprintf("Draft an announcement to all staff about %s.", topic), nil
}
