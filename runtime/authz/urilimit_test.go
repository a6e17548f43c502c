package authz_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestURILimit: a URI of at most the limit passes, one byte more is
// refused with a message that names the limit and nothing of the URI; a
// limit of zero or less is the default; the rule names the limit.
func TestURILimit(t *testing.T) {
	for _, c := range []struct {
		limit authz.URILimit
		bytes int
	}{{0, authz.DefaultMaxURIBytes}, {-1, authz.DefaultMaxURIBytes}, {100, 100}} {
		if got := c.limit.Bytes(); got != c.bytes {
			t.Errorf("URILimit(%d).Bytes() = %d, want %d", c.limit, got, c.bytes)
		}
		at := "files://" + strings.Repeat("a", c.bytes-len("files://"))
		if msg := c.limit.Refusal(at); msg != "" {
			t.Errorf("URILimit(%d) refuses %d bytes: %q", c.limit, len(at), msg)
		}
		want := "resource URI longer than " + strconv.Itoa(c.bytes) + " bytes"
		for _, uri := range []string{at + "a", "secret://" + strings.Repeat("b", 3<<20)} {
			if msg := c.limit.Refusal(uri); msg != want {
				t.Errorf("URILimit(%d) on %d bytes: %q, want %q", c.limit, len(uri), msg, want)
			}
		}
		if got, want := c.limit.Rule().String(), "limit max_uri_bytes("+strconv.Itoa(c.bytes)+")"; got != want {
			t.Errorf("URILimit(%d).Rule() = %q, want %q", c.limit, got, want)
		}
	}
}
