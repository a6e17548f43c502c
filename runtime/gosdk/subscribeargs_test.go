package gosdk_test

import (
	"bytes"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestSubscribeJudgesTheURI: a template whose checks read the URI's
// variables may be listed yet deny the read of one URI. Subscribing to
// that URI must answer as for a missing one and never reach the handler,
// as the read does; a URI the checks allow is subscribed.
func TestSubscribeJudgesTheURI(t *testing.T) {
	calls := &recorder{}
	srv := fixture(sidewaysOptions(calls))
	notSecret := gosdk.Check(func(ac gosdk.AuthContext) bool { return ac.Arguments["id"] != "secret" })
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "owned://{id}", Name: "owned"}, readHandler("owned"), gosdk.WithAuth(notSecret))
	s := mcpwire.Connect(t, serve(t, authorized(srv)), "reader-token")

	for _, method := range []string{"resources/read", "resources/subscribe", "resources/unsubscribe"} {
		denied := s.Call(method, map[string]any{"uri": "owned://secret"})
		s.Next--
		absent := bytes.ReplaceAll(s.Call(method, map[string]any{"uri": "absent://secret"}), []byte("absent://secret"), []byte("owned://secret"))
		if !bytes.Equal(denied, absent) || mcpwire.ErrorOf(t, denied) == nil {
			t.Errorf("%s of a URI the checks deny: %s\nmissing: %s", method, denied, absent)
		}
	}
	if got := calls.all(); len(got) != 0 {
		t.Errorf("handlers ran for a URI the checks deny: %v", got)
	}
	if e := mcpwire.ErrorOf(t, s.Call("resources/subscribe", map[string]any{"uri": "owned://mine"})); e != nil {
		t.Errorf("subscribe owned://mine: %+v", e)
	}
}
