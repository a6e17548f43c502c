package runtime

import "time"

// DefaultMaxBodyBytes is the largest request body HTTPHandler accepts
// unless WithMaxBodyBytes says otherwise: 4 MiB, room for any JSON-RPC
// message an MCP client sends in practice (tool arguments, sampling
// answers) and small enough that a burst of oversized requests cannot
// exhaust memory.
const DefaultMaxBodyBytes = 4 << 20

// DefaultSessionIdleTimeout is how long a stateful Streamable HTTP session
// may go without a request before it ends, unless WithSessionIdleTimeout
// says otherwise.
const DefaultSessionIdleTimeout = 30 * time.Minute

// WithMaxBodyBytes limits the size of a request body to n bytes (n <= 0
// restores DefaultMaxBodyBytes). A larger body is answered 413 Request
// Entity Too Large before any of it is parsed: at once when its
// Content-Length says so, else as soon as n+1 bytes have arrived. The body
// is read once; the runtime and mcp-go share that one copy. See
// authz.ReadBody.
func WithMaxBodyBytes(n int64) HTTPOption {
	return func(c *httpConfig) { c.maxBodyBytes = n }
}

// WithSessionIdleTimeout ends a stateful session, and frees what the
// server keeps for it, once no request has used it for d (d <= 0 restores
// DefaultSessionIdleTimeout). A request on an ended session is answered
// 404, as for any unknown session, and the client initializes a new one.
// Messages sent on an open GET stream count as use. Sessions are checked
// every d/2 (at least every second), so one may outlive d by that much.
func WithSessionIdleTimeout(d time.Duration) HTTPOption {
	return func(c *httpConfig) { c.idleTimeout = d }
}
