package authz

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
)

// This file is the browser- and network-facing side of an MCP HTTP
// endpoint that needs no MCP types: CORS, the Host rules that keep a
// server from echoing an arbitrary Host, and bounded request bodies.

// CORS is the cross-origin policy of an endpoint. The zero value allows no
// origin and answers no preflight.
type CORS struct {
	// Origins are the allowed origins (scheme://host[:port], as browsers
	// send them in the Origin header); "*" allows any.
	Origins []string
}

const (
	corsAllowHeaders  = "Authorization, Content-Type, Accept, Last-Event-ID, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name"
	corsExposeHeaders = "WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version, Retry-After"
	corsMaxAge        = "600"
	paramHeaderPrefix = "Mcp-Param-"
)

// Allows reports whether origin is allowed.
func (c *CORS) Allows(origin string) bool {
	return c != nil && origin != "" && (slices.Contains(c.Origins, "*") || slices.Contains(c.Origins, origin))
}

// IsPreflight reports whether r is a CORS preflight request, which
// browsers send without credentials.
func IsPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
}

// Decorate adds the CORS headers of an actual (not preflight) request:
// Vary: Origin always, and for an allowed origin Access-Control-Allow-Origin
// (that origin) and Access-Control-Expose-Headers (WWW-Authenticate,
// Mcp-Session-Id, Mcp-Protocol-Version, and Retry-After for the 503 of an
// unavailable verifier). A nil or empty CORS adds nothing.
func (c *CORS) Decorate(w http.ResponseWriter, r *http.Request) {
	if c == nil || len(c.Origins) == 0 {
		return
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if !c.Allows(origin) {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
}

// Preflight answers a CORS preflight request and reports whether it did:
// 204 with the given methods, the MCP request headers and any Mcp-Param-*
// headers requested (tool parameters bound to headers) for an allowed
// origin, 403 for another. Credentials are bearer tokens, never cookies,
// so Access-Control-Allow-Credentials is not sent. A nil or empty CORS
// answers nothing.
func (c *CORS) Preflight(w http.ResponseWriter, r *http.Request, methods string) bool {
	if c == nil || len(c.Origins) == 0 || !IsPreflight(r) {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	origin := r.Header.Get("Origin")
	if !c.Allows(origin) {
		http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		return true
	}
	allow := corsAllowHeaders
	for _, name := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
		name = strings.TrimSpace(name)
		if len(name) > len(paramHeaderPrefix) && strings.EqualFold(name[:len(paramHeaderPrefix)], paramHeaderPrefix) && validToken(name) {
			allow += ", " + name
		}
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Methods", methods)
	h.Set("Access-Control-Allow-Headers", allow)
	h.Set("Access-Control-Max-Age", corsMaxAge)
	w.WriteHeader(http.StatusNoContent)
	return true
}

// validToken reports whether s is an RFC 9110 token, so that it can be
// echoed in a header value.
func validToken(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// Hosts are the Host rules of an endpoint whose public URL may be built
// from requests.
type Hosts struct {
	// Allowed are the hosts served besides loopback hosts, with or
	// without a port ("mcp.example.com", "mcp.example.com:8443").
	Allowed []string
	// Fixed is the host of a configured public URL; "" when the URL is
	// built from each request.
	Fixed string
}

// Permits reports whether r may be answered. Without a fixed URL, the
// public URL is built from r's Host, so only loopback hosts and Allowed
// ones are served. With one, any Host is, except that a request arriving
// on a loopback connection must name a loopback host, the fixed host or an
// allowed one (DNS rebinding protection).
func (h *Hosts) Permits(r *http.Request) bool {
	if h.Fixed == "" {
		return h.known(r.Host)
	}
	if local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok && local != nil && IsLoopbackHost(local.String()) {
		return h.known(r.Host) || strings.EqualFold(r.Host, h.Fixed)
	}
	return true
}

func (h *Hosts) known(host string) bool {
	if IsLoopbackHost(host) {
		return true
	}
	name := hostName(host)
	for _, a := range h.Allowed {
		if strings.EqualFold(a, host) || strings.EqualFold(a, name) {
			return true
		}
	}
	return false
}

// Refuse answers a request for a host that is not served: 421 Misdirected
// Request, without repeating the host.
func (h *Hosts) Refuse(w http.ResponseWriter) {
	http.Error(w, http.StatusText(http.StatusMisdirectedRequest), http.StatusMisdirectedRequest)
}

func hostName(hostport string) string {
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		return host
	}
	return strings.Trim(hostport, "[]")
}

// IsLoopbackHost reports whether a host, or host:port, names the loopback
// interface: localhost, 127.0.0.0/8 or ::1.
func IsLoopbackHost(hostport string) bool {
	host := hostName(hostport)
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// ReadBody reads r's body, of at most limit bytes, once. A larger body is
// answered 413 (and the connection closed) before any of it is parsed: at
// once when its Content-Length says so, else as soon as limit+1 bytes have
// arrived; a body that cannot be read is answered 400. ok is false when it
// answered.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) (body []byte, ok bool) {
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
