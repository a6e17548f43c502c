package tagrules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func TestTagRules(t *testing.T) {
	c := mcptest.Connect(t, New())
	for _, tc := range []struct {
		tok                       *runtime.AccessToken
		tools, resources, prompts []string
	}{
		{nil, []string{"ping"}, []string{}, []string{}},
		{mcptest.Token("admin", "admin"), []string{"ping", "reset_cache"}, []string{}, []string{}},
		{mcptest.Token("cfo", "finance"), []string{"ping"}, []string{"reports://quarterly"}, []string{"budget_review"}},
		{mcptest.Token("both", "admin", "finance"), []string{"payroll", "ping", "reset_cache"}, []string{"reports://quarterly"}, []string{"budget_review"}},
	} {
		tools, resources, _, prompts := c.Visible(tc.tok)
		if diff := cmp.Diff([][]string{tc.tools, tc.resources, tc.prompts}, [][]string{tools, resources, prompts}); diff != "" {
			t.Errorf("%v sees (-want +got):\n%s", tc.tok, diff)
		}
	}
	text, isErr, err := c.Call(mcptest.Token("admin", "admin"), "payroll", nil)
	if err != nil || !isErr || text != "Authorization failed for tool 'payroll': insufficient permissions" {
		t.Errorf("payroll as admin only: %q isError=%v %v", text, isErr, err)
	}
}
