package gosdk

import (
	"context"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// DefaultMaxURIBytes is the longest resource URI a request may name unless
// WithMaxURIBytes says otherwise: 8 KiB, as package runtime
// (authz.DefaultMaxURIBytes, which says why).
const DefaultMaxURIBytes = authz.DefaultMaxURIBytes

// WithMaxURIBytes limits the length of the resource URI a resources/read,
// resources/subscribe or resources/unsubscribe names to n bytes (n <= 0
// restores DefaultMaxURIBytes). A longer URI is refused at the request
// entry, before any resource or template is looked up, with a JSON-RPC
// error -32600 (Invalid Request) whose message names the limit: "resource
// URI longer than 8192 bytes". The answer depends on the length alone,
// not on whether a component would serve the URI, hide it, or none
// exists; the mcp-go backend (package runtime) answers the same. The limit
// holds on every transport: HTTPHandler, Connect, and stdio.
//
// The SDK's resource template matcher takes time in proportion to the
// URI's length at a high rate per byte (about a second and a half per MiB
// and template), and a request body may hold 4 MiB (WithMaxBodyBytes):
// without the limit one request could hold a CPU for seconds.
func WithMaxURIBytes(n int) Option {
	return func(c *serverConfig) { c.maxURI = n }
}

// refuseLongURI refuses a request of method naming a resource URI longer
// than the server's limit, before any template is matched: the error to
// answer with, or nil. With decision hooks the refusal is reported, its
// rule the limit's.
func (s *Server) refuseLongURI(ctx context.Context, method, uri string) error {
	msg := s.uriLimit.Refusal(uri)
	if msg == "" {
		return nil
	}
	if s.hooks != nil && !s.skipChecks.Load() {
		start := time.Now()
		s.report(ctx, Decision{
			Time: start, Duration: time.Since(start),
			Method: method, Kind: KindResource, Target: uri,
			Rule: s.uriLimit.Rule(),
		})
	}
	return &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: msg}
}
