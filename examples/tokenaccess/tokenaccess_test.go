package tokenaccess

import (
	"testing"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
)

func TestTokenInHandlers(t *testing.T) {
	c := mcptest.Connect(t, New())
	alice := mcptest.Token("alice", "notes", "read")
	alice.Claims = map[string]any{"sub": "user-17"}

	got, err := c.Structured(alice, "whoami", nil)
	if want := `{"client_id":"alice","scopes":["notes","read"],"subject":"user-17"}`; err != nil || got != want {
		t.Errorf("whoami as alice: %s %v, want %s", got, err, want)
	}
	got, err = c.Structured(nil, "whoami", nil)
	if want := `{"client_id":"anonymous","scopes":[]}`; err != nil || got != want {
		t.Errorf("whoami anonymous: %s %v, want %s", got, err, want)
	}
	if got, err := c.Read(alice, "notes://mine"); err != nil || got != "notes of alice" {
		t.Errorf("notes://mine as alice: %q %v", got, err)
	}
	if got, err := c.Prompt(alice, "personalize", nil); err != nil || got != "Greet alice warmly." {
		t.Errorf("personalize as alice: %q %v", got, err)
	}
	if got, err := c.Prompt(nil, "personalize", nil); err != nil || got != "Greet stranger warmly." {
		t.Errorf("personalize anonymous: %q %v", got, err)
	}
}
