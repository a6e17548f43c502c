package authz_test

import (
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestRecordedMethod: every method MCP defines for a client to send is
// recorded as is, on the protocol versions both backends speak (2026-07-28's
// server/discover and subscriptions/listen included); anything else,
// however close, is recorded as OtherMethod.
func TestRecordedMethod(t *testing.T) {
	for _, m := range []string{
		"initialize", "ping", "server/discover",
		"tools/list", "tools/call", "prompts/list", "prompts/get",
		"resources/list", "resources/templates/list", "resources/read",
		"resources/subscribe", "resources/unsubscribe", "subscriptions/listen",
		"completion/complete", "logging/setLevel",
		"tasks/get", "tasks/list", "tasks/result", "tasks/cancel",
		"notifications/initialized", "notifications/cancelled", "notifications/progress",
		"notifications/roots/list_changed",
	} {
		if got := authz.RecordedMethod(m); got != m {
			t.Errorf("RecordedMethod(%q) = %q, want it kept", m, got)
		}
	}
	for _, m := range []string{"", "Tools/list", "tools/list ", "server/discover/", "tools/made-up", strings.Repeat("a", 1<<20)} {
		if got := authz.RecordedMethod(m); got != authz.OtherMethod {
			t.Errorf("RecordedMethod(%.20q) = %.20q, want %q", m, got, authz.OtherMethod)
		}
	}
}
