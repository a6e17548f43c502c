package gosdk_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestSessionsOfTokensWithoutPrincipal: a token with neither subject nor
// client ID names no principal but itself, as on the mcp-go backend, so
// another such token with a session's id is answered as for an unknown
// session, and only the token that opened it is served.
func TestSessionsOfTokensWithoutPrincipal(t *testing.T) {
	verifier := gosdk.NewStaticTokenVerifier(map[string]gosdk.AccessToken{
		"anon-a": {Scopes: []string{"read"}},
		"anon-b": {Scopes: []string{"read"}},
	})
	url := serve(t, fixture(nil).HTTPHandler(gosdk.WithTokenVerifier(verifier)))
	owner := mcpwire.Connect(t, url, "anon-a")

	ask := func(token, session string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":5,"method":"tools/list"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Mcp-Session-Id", session)
		req.Header.Set("Mcp-Protocol-Version", mcpwire.ProtocolVersion)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type") + "\n" + string(b)
	}
	hijackStatus, hijack := ask("anon-b", owner.ID)
	unknownStatus, unknown := ask("anon-b", "no-such-session")
	if hijackStatus != http.StatusNotFound || hijackStatus != unknownStatus || hijack != unknown {
		t.Errorf("another token's request: %d %q; an unknown session's: %d %q", hijackStatus, hijack, unknownStatus, unknown)
	}
	if status, _ := ask("anon-a", owner.ID); status != http.StatusOK {
		t.Errorf("the owner's token: %d, want 200", status)
	}
}
