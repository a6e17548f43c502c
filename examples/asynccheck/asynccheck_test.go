package asynccheck

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
)

func TestContextAwareCheck(t *testing.T) {
	c := mcptest.Connect(t, New())
	alice := mcptest.Token("alice", "payments")
	mallory := mcptest.Token("mallory", "payments")
	Revocations.Revoke("mallory")

	if diff := cmp.Diff([]string{"transfer_funds"}, c.Tools(alice)); diff != "" {
		t.Errorf("alice sees (-want +got):\n%s", diff)
	}
	if got := c.Tools(mallory); len(got) != 0 {
		t.Errorf("revoked mallory sees %v", got)
	}
	got, err := c.Structured(alice, "transfer_funds", map[string]any{"from": "a-1", "to": "b-2", "cents": 1250})
	if want := `{"cents":1250,"from":"a-1","status":"done","to":"b-2"}`; err != nil || got != want {
		t.Errorf("transfer as alice: %s %v, want %s", got, err, want)
	}
	if _, _, err := c.Call(mallory, "transfer_funds", map[string]any{"from": "a-1", "to": "b-2", "cents": 1}); !mcptest.ErrorContains(err, "tool 'transfer_funds' not found") {
		t.Errorf("transfer as revoked mallory: %v", err)
	}
}
