package authz

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClaims(t *testing.T) {
	for _, tc := range []struct {
		claims map[string]any
		client string
		scopes []string
	}{
		{map[string]any{"client_id": "c", "azp": "a", "sub": "s", "scope": "read  write"}, "c", []string{"read", "write"}},
		{map[string]any{"azp": "a", "sub": "s", "scp": []any{"read", 7, "", "admin"}}, "a", []string{"read", "admin"}},
		{map[string]any{"client_id": "", "sub": "s", "scope": 42, "scp": "x"}, "s", []string{"x"}},
		{map[string]any{"client_id": 3}, "", nil},
	} {
		if got := ClientIDFromClaims(tc.claims); got != tc.client {
			t.Errorf("ClientIDFromClaims(%v) = %q, want %q", tc.claims, got, tc.client)
		}
		if diff := cmp.Diff(tc.scopes, ScopesFromClaims(tc.claims)); diff != "" {
			t.Errorf("ScopesFromClaims(%v) (-want +got):\n%s", tc.claims, diff)
		}
	}
}
