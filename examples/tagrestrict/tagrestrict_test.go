package tagrestrict

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func TestTagRestrictedServer(t *testing.T) {
	c := mcptest.Connect(t, New())
	admin := mcptest.Token("admin", "admin")
	user := mcptest.Token("user", "read")
	for _, tc := range []struct {
		tok              *runtime.AccessToken
		tools, resources []string
	}{
		{nil, []string{"list_users"}, []string{}},
		{user, []string{"list_users"}, []string{}},
		{admin, []string{"delete_user", "list_users"}, []string{"audit://log"}},
	} {
		tools, resources, _, _ := c.Visible(tc.tok)
		if diff := cmp.Diff(tc.tools, tools); diff != "" {
			t.Errorf("%v tools (-want +got):\n%s", tc.tok, diff)
		}
		if diff := cmp.Diff(tc.resources, resources); diff != "" {
			t.Errorf("%v resources (-want +got):\n%s", tc.tok, diff)
		}
	}
	text, isErr, err := c.Call(user, "delete_user", map[string]any{"user": "bob"})
	if err != nil || !isErr || text != "Authorization failed for tool 'delete_user': insufficient permissions" {
		t.Errorf("delete_user as user: %q isError=%v %v", text, isErr, err)
	}
	text, isErr, err = c.Call(admin, "delete_user", map[string]any{"user": "bob"})
	if err != nil || isErr || text != "deleted bob" {
		t.Errorf("delete_user as admin: %q isError=%v %v", text, isErr, err)
	}
	if _, err := c.Read(user, "audit://log"); !mcptest.ErrorContains(err, "Authorization failed for resource 'audit://log': insufficient permissions") {
		t.Errorf("audit://log as user: %v", err)
	}
	if got, err := c.Read(admin, "audit://log"); err != nil || got != "2026-11-25 alice deleted bob" {
		t.Errorf("audit://log as admin: %q %v", got, err)
	}
}
