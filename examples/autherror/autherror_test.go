package autherror

import (
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func TestAuthorizationErrorMessage(t *testing.T) {
	c := mcptest.Connect(t, New())
	verified := mcptest.Token("verified")
	verified.Claims = map[string]any{"email_verified": true}
	unverified := mcptest.Token("unverified")

	text, isErr, err := c.Call(unverified, "send_newsletter", nil)
	if err != nil || !isErr || text != "Please verify your email address before using this server" {
		t.Errorf("send_newsletter unverified: %q isError=%v %v", text, isErr, err)
	}
	text, isErr, err = c.Call(verified, "send_newsletter", nil)
	if err != nil || isErr || text != "newsletter sent" {
		t.Errorf("send_newsletter verified: %q isError=%v %v", text, isErr, err)
	}
	// The broken quota check denies, and nothing of its error shows.
	for _, tok := range []*runtime.AccessToken{verified, unverified} {
		text, isErr, err = c.Call(tok, "bulk_export", nil)
		if err != nil || !isErr || text != "Authorization failed for tool 'bulk_export': not found or not authorized" {
			t.Errorf("bulk_export as %s: %q isError=%v %v", tok.ClientID, text, isErr, err)
		}
		if strings.Contains(text, "10.1.2.3") {
			t.Errorf("bulk_export leaks the backend error: %q", text)
		}
	}
}
