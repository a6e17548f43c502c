package scoped

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func TestScopedServer(t *testing.T) {
	c := mcptest.Connect(t, New())
	for _, tc := range []struct {
		tok  *runtime.AccessToken
		want []string
	}{
		{nil, []string{"public_operation"}},
		{mcptest.Token("reader", "read"), []string{"public_operation"}},
		{mcptest.Token("editor", "read", "write"), []string{"public_operation", "read_write_operation"}},
		{mcptest.Token("admin", "admin"), []string{"admin_operation", "public_operation"}},
		{mcptest.Token("root", "admin", "read", "write"), []string{"admin_operation", "public_operation", "read_write_operation"}},
	} {
		if diff := cmp.Diff(tc.want, c.Tools(tc.tok)); diff != "" {
			t.Errorf("%v sees (-want +got):\n%s", tc.tok, diff)
		}
	}
	text, _, err := c.Call(mcptest.Token("editor", "read", "write"), "read_write_operation", nil)
	if err != nil || text != "Read/write action completed" {
		t.Errorf("read_write_operation as editor: %q, %v", text, err)
	}
	_, _, err = c.Call(mcptest.Token("reader", "read"), "read_write_operation", nil)
	if want := "tool 'read_write_operation' not found: tool not found"; !mcptest.ErrorContains(err, want) {
		t.Errorf("read_write_operation as reader: %v, want %q", err, want)
	}
}
