package tokenaccess

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/gosdktest"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestTokenInHandlers is examples/tokenaccess's test on the go-sdk.
func TestTokenInHandlers(t *testing.T) {
	c := gosdktest.Connect(t, New())
	alice := gosdktest.Token("alice", "notes", "read")
	alice.Claims = map[string]any{"sub": "user-17"}

	structured := func(tok *gosdk.AccessToken) string {
		res, err := c.As(tok).CallTool(context.Background(), &mcp.CallToolParams{Name: "whoami"})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res.StructuredContent)
		return string(b)
	}
	if got, want := structured(alice), `{"client_id":"alice","scopes":["notes","read"],"subject":"user-17"}`; got != want {
		t.Errorf("whoami as alice: %s, want %s", got, want)
	}
	if got, want := structured(nil), `{"client_id":"anonymous","scopes":[]}`; got != want {
		t.Errorf("whoami anonymous: %s, want %s", got, want)
	}
	if got, err := c.Read(alice, "notes://mine"); err != nil || got != "notes of alice" {
		t.Errorf("notes://mine as alice: %q %v", got, err)
	}
	if _, err := c.Read(nil, "notes://mine"); !gosdktest.ErrorContains(err, "Resource not found") {
		t.Errorf("notes://mine anonymous: %v", err)
	}
	if got, err := c.Prompt(alice, "personalize", nil); err != nil || got != "Greet alice warmly." {
		t.Errorf("personalize as alice: %q %v", got, err)
	}
	if got, err := c.Prompt(nil, "personalize", nil); err != nil || got != "Greet stranger warmly." {
		t.Errorf("personalize anonymous: %q %v", got, err)
	}
}
