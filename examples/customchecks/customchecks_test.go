package customchecks

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func TestCustomChecks(t *testing.T) {
	c := mcptest.Connect(t, New())
	withClaims := func(claims map[string]any) *runtime.AccessToken {
		tok := mcptest.Token("user")
		tok.Claims = claims
		return tok
	}
	for _, tc := range []struct {
		name string
		tok  *runtime.AccessToken
		want []string
	}{
		{"no token", nil, []string{}},
		{"free, level 1", withClaims(map[string]any{"tier": "free", "level": 1}), []string{}},
		{"free, level 2", withClaims(map[string]any{"tier": "free", "level": 2}), []string{"moderate_operation"}},
		{"premium, level 5 from JSON", withClaims(map[string]any{"tier": "premium", "level": 5.0}), []string{"moderate_operation", "premium_analytics", "sensitive_operation"}},
		{"level of the wrong type", withClaims(map[string]any{"level": "9"}), []string{}},
	} {
		if diff := cmp.Diff(tc.want, c.Tools(tc.tok)); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", tc.name, diff)
		}
	}
	premium := withClaims(map[string]any{"tier": "premium"})
	if text, _, err := c.Call(premium, "premium_analytics", nil); err != nil || text != "premium analytics report" {
		t.Errorf("premium_analytics as premium: %q %v", text, err)
	}
	if _, _, err := c.Call(premium, "sensitive_operation", nil); !mcptest.ErrorContains(err, "tool 'sensitive_operation' not found") {
		t.Errorf("sensitive_operation without level: %v", err)
	}
}
