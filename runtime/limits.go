package runtime

import (
	"errors"
	"io"
	"net/http"
	"time"
)

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
// is read once; the runtime and mcp-go share that one copy.
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

// readBody reads a POST body of at most cfg.maxBodyBytes bytes. When the
// body is larger, or cannot be read, it answers the request (413 or 400)
// and returns false.
func (h *httpHandler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	limit := h.cfg.maxBodyBytes
	if r.ContentLength > limit {
		tooLarge(w)
		return nil, false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	// A Content-Length within the limit sizes the buffer exactly; without
	// one the buffer grows as bytes arrive, never beyond limit+1.
	size := int64(512)
	if r.ContentLength > 0 {
		size = r.ContentLength + 1 // +1: reading to EOF needs one spare byte
	}
	body, err := readLimited(r.Body, limit, size)
	if errors.Is(err, errBodyTooLarge) {
		tooLarge(w)
		return nil, false
	}
	if err != nil {
		http.Error(w, "cannot read request body", http.StatusBadRequest)
		return nil, false
	}
	return body, true
}

var errBodyTooLarge = errors.New("request body too large")

// readLimited reads r to EOF into a buffer of initial capacity size,
// failing with errBodyTooLarge once more than limit bytes have arrived.
func readLimited(r io.Reader, limit, size int64) ([]byte, error) {
	most := int(limit) + 1
	buf := make([]byte, 0, int(min(size, limit+1)))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // let append pick the growth
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), most)])
		buf = buf[:len(buf)+n]
		if len(buf) > int(limit) {
			return nil, errBodyTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// tooLarge answers 413 and closes the connection afterwards, so that the
// server does not read the rest of the body.
func tooLarge(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
}
