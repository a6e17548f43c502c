package combined

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func TestCombinedChecks(t *testing.T) {
	c := mcptest.Connect(t, New())
	token := func(premium bool, scopes ...string) *runtime.AccessToken {
		tok := mcptest.Token("user", scopes...)
		if premium {
			tok.Claims = map[string]any{"tier": "premium"}
		}
		return tok
	}
	for _, tc := range []struct {
		name string
		tok  *runtime.AccessToken
		want []string
	}{
		{"admin and premium", token(true, "admin"), []string{"secure_admin_action"}},
		{"admin only", token(false, "admin"), []string{}},
		{"premium only", token(true, "read"), []string{}},
		{"neither", token(false), []string{}},
	} {
		if diff := cmp.Diff(tc.want, c.Tools(tc.tok)); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", tc.name, diff)
		}
		text, _, err := c.Call(tc.tok, "secure_admin_action", nil)
		if allowed := err == nil && text == "secure admin action done"; allowed != (len(tc.want) == 1) {
			t.Errorf("%s calls secure_admin_action: %q %v", tc.name, text, err)
		}
	}
}
