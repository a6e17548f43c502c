package layered

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func TestLayeredAuth(t *testing.T) {
	c := mcptest.Connect(t, New())
	for _, tc := range []struct {
		tok     *runtime.AccessToken
		tools   []string
		archive string // what archive_project answers
	}{
		{mcptest.Token("app", "api"), []string{"list_projects"}, "Authorization failed for tool 'archive_project': not found or not authorized"},
		{mcptest.Token("root", "admin"), []string{}, "Authorization failed for tool 'archive_project': insufficient permissions"},
		{mcptest.Token("ops", "api", "admin"), []string{"archive_project", "list_projects"}, "archived apollo"},
	} {
		if diff := cmp.Diff(tc.tools, c.Tools(tc.tok)); diff != "" {
			t.Errorf("%v sees (-want +got):\n%s", tc.tok.Scopes, diff)
		}
		text, _, err := c.Call(tc.tok, "archive_project", map[string]any{"project": "apollo"})
		if err != nil || text != tc.archive {
			t.Errorf("%v archive_project: %q %v, want %q", tc.tok.Scopes, text, err, tc.archive)
		}
	}
}
