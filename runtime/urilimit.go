package runtime

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// DefaultMaxURIBytes is the longest resource URI a request may name unless
// WithMaxURIBytes says otherwise: 8 KiB (authz.DefaultMaxURIBytes, which
// says why).
const DefaultMaxURIBytes = authz.DefaultMaxURIBytes

// WithMaxURIBytes limits the length of the resource URI a resources/read,
// resources/subscribe or resources/unsubscribe names to n bytes (n <= 0
// restores DefaultMaxURIBytes). A longer URI is refused at the request
// entry, before any resource or template is looked up, with a JSON-RPC
// error -32600 (Invalid Request) whose message names the limit: "resource
// URI longer than 8192 bytes". The answer depends on the length alone,
// not on whether a component would serve the URI, hide it, or none
// exists; the go-sdk backend answers the same. The limit holds on every
// transport: HTTPHandler, HandleMessage (and so package runtimetest), and
// stdio.
//
// mcp-go's resource template matcher takes time in proportion to the
// URI's length at a high rate per byte (about a second and a half per MiB
// and template), and a request body may hold 4 MiB (WithMaxBodyBytes):
// without the limit one request could hold a CPU for seconds.
func WithMaxURIBytes(n int) Option {
	return func(c *serverConfig) { c.maxURIBytes = n }
}

// refuseLongURI refuses, at the request entry, a request naming a resource
// URI longer than the server's limit, before any template is matched:
// ok reports whether it did, and ctx carries the refusal (refuseDenied
// answers it). With decision hooks the refusal is reported, its rule the
// limit's.
func (s *Server) refuseLongURI(ctx context.Context, method, uri string) (_ context.Context, ok bool) {
	msg := s.uriLimit.Refusal(uri)
	if msg == "" {
		return ctx, false
	}
	if s.hooks != nil && !skipChecks(ctx) {
		start := time.Now()
		s.report(ctx, &Decision{
			Time: start, Duration: time.Since(start),
			Method: method, Kind: KindResource, Target: uri,
			Rule: s.uriLimit.Rule(),
		})
	}
	return context.WithValue(ctx, verdictKey{}, &verdict{kind: KindResource, target: uri, refusal: msg}), true
}

// stdioURIRefusal is refuseLongURI for stdio, where mcp-go hands the
// OnRequestInitialization hook the JSON-RPC message (hook-error-answer):
// the verdict refusing message, or nil.
func (s *Server) stdioURIRefusal(message any) *verdict {
	raw, ok := message.(json.RawMessage)
	if !ok {
		return nil
	}
	method := mcp.MCPMethod(methodIn(raw))
	switch method {
	case mcp.MethodResourcesRead, mcp.MethodResourcesSubscribe, mcp.MethodResourcesUnsubscribe:
	default:
		return nil
	}
	t := targetIn(raw)
	if method != mcp.MethodResourcesRead && mcp.IsModernProtocol(t.protocol) {
		return nil // removed in 2026-07-28, as on the request entry
	}
	if msg := s.uriLimit.Refusal(t.URI); msg != "" {
		return &verdict{kind: KindResource, target: t.URI, refusal: msg}
	}
	return nil
}
