package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestTour runs the demo's tour of examples over real HTTP and checks what
// it reports for each token, and the decisions the server made.
func TestTour(t *testing.T) {
	for _, tc := range []struct {
		example string
		want    []string
	}{
		{"scoped", []string{
			`without a token: HTTP 401, WWW-Authenticate: Bearer resource_metadata="http://127.0.0.1:`,
			"reader-token (scopes: read) sees 1 of 3 tools",
			`hidden   read_write_operation  → error: invalid params: tool 'read_write_operation' not found: tool not found`,
			"editor-token (scopes: read write) sees 2 of 3 tools",
			`listed   read_write_operation  → "Read/write action completed"`,
			"sees 3 of 3 tools",
			"    HTTP 401: denied by http bearer(missing)\n",
			"    tools/list client=reader: allowed, 1 visible, 2 hidden\n",
			`    tools/call tool "read_write_operation" client=reader: denied by component scopes(read,write)` + "\n",
			`    tools/call tool "read_write_operation" client=editor: allowed` + "\n",
		}},
		{"autherror", []string{
			`    tools/call tool "send_newsletter" client=reader: denied by middleware[0] check(requireVerifiedEmail)` + "\n",
		}},
		{"tagrestrict", []string{
			`hidden   delete_user  → isError "Authorization failed for tool 'delete_user': insufficient permissions"`,
		}},
	} {
		var out, errOut bytes.Buffer
		if code := run([]string{"-example", tc.example}, &out, &errOut); code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.example, code, errOut.String())
		}
		for _, want := range tc.want {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: output lacks %q:\n%s", tc.example, want, out.String())
			}
		}
	}
}

func TestUnknownExample(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-example", "nope"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), `unknown example "nope"`) {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
