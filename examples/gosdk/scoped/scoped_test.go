package scoped

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/gosdktest"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestScopedServer is examples/scoped's test on the go-sdk: the same
// callers see the same tools; a hidden tool answers as the go-sdk answers
// a missing one.
func TestScopedServer(t *testing.T) {
	c := gosdktest.Connect(t, New())
	editor, reader := gosdktest.Token("editor", "read", "write"), gosdktest.Token("reader", "read")
	for _, tc := range []struct {
		tok  *gosdk.AccessToken
		want []string
	}{
		{nil, []string{"public_operation"}},
		{reader, []string{"public_operation"}},
		{editor, []string{"public_operation", "read_write_operation"}},
		{gosdktest.Token("admin", "admin"), []string{"admin_operation", "public_operation"}},
		{gosdktest.Token("root", "admin", "read", "write"), []string{"admin_operation", "public_operation", "read_write_operation"}},
	} {
		if diff := cmp.Diff(tc.want, c.Tools(tc.tok)); diff != "" {
			t.Errorf("%v sees (-want +got):\n%s", tc.tok, diff)
		}
	}
	text, _, err := c.Call(editor, "read_write_operation", nil)
	if err != nil || text != "Read/write action completed" {
		t.Errorf("read_write_operation as editor: %q, %v", text, err)
	}
	_, _, err = c.Call(reader, "read_write_operation", nil)
	if want := `unknown tool "read_write_operation"`; !gosdktest.ErrorContains(err, want) {
		t.Errorf("read_write_operation as reader: %v, want %q", err, want)
	}
}
