package runtime

import (
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
)

// WithCORS lets web pages from the given origins (scheme://host[:port], as
// browsers send them in the Origin header; "*" for any) use the server
// from a browser. For a request from an allowed origin, MCP answers, 401
// and 403 challenges and the protected resource metadata carry
// Access-Control-Allow-Origin (the request's origin) and expose
// WWW-Authenticate, Mcp-Session-Id and Mcp-Protocol-Version to the page;
// preflight requests are answered 204 with the methods and the MCP request
// headers allowed. Credentials are bearer tokens, never cookies, so
// Access-Control-Allow-Credentials is not sent. Requests from other origins
// get no CORS headers, and their preflights 403. Without WithCORS, no CORS
// headers are sent and preflights are answered 404.
func WithCORS(origins ...string) HTTPOption {
	return func(c *httpConfig) {
		c.cors.origins = append(c.cors.origins, origins...)
		c.cors.enabled = true
	}
}

type corsPolicy struct {
	enabled bool
	origins []string
}

const (
	corsAllowHeaders  = "Authorization, Content-Type, Accept, Last-Event-ID, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name"
	corsExposeHeaders = "WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version"
	corsMaxAge        = "600"
)

func (p *corsPolicy) allows(origin string) bool {
	return origin != "" && (slices.Contains(p.origins, "*") || slices.Contains(p.origins, origin))
}

// decorate adds the CORS headers of an actual (not preflight) request from
// an allowed origin.
func (p *corsPolicy) decorate(w http.ResponseWriter, r *http.Request) {
	if !p.enabled {
		return
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if !p.allows(origin) {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
}

// preflight answers a CORS preflight request and reports whether it did.
// methods are the methods the endpoint serves. Tool parameters bound to
// headers (Mcp-Param-*, protocol 2026-07-28) are allowed as requested.
func (p *corsPolicy) preflight(w http.ResponseWriter, r *http.Request, methods string) bool {
	if !p.enabled || !isPreflight(r) {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	origin := r.Header.Get("Origin")
	if !p.allows(origin) {
		http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		return true
	}
	allow := corsAllowHeaders
	for _, name := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
		name = strings.TrimSpace(name)
		if len(name) > len("Mcp-Param-") && strings.EqualFold(name[:len("Mcp-Param-")], "Mcp-Param-") && validHeaderName(name) {
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

// validHeaderName reports whether name is an RFC 9110 token, so that it
// can be echoed in a header value.
func validHeaderName(name string) bool {
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return name != ""
}

// WithAllowedHosts names the hosts (as in the Host header: "mcp.example.com"
// or "mcp.example.com:8443") the server answers for, besides loopback
// hosts. Without WithResourceURL, the public URL published in the
// protected resource metadata and in challenges is built from the Host of
// each request, so only these hosts and loopback hosts (localhost,
// 127.0.0.0/8, ::1) are accepted; any other is refused with 421
// Misdirected Request. With WithResourceURL every Host is accepted, except
// that a request arriving on a loopback connection must name a loopback
// host, the resource URL's host or one of these (DNS rebinding
// protection).
func WithAllowedHosts(hosts ...string) HTTPOption {
	return func(c *httpConfig) { c.allowedHosts = append(c.allowedHosts, hosts...) }
}

// hostAllowed applies the Host rules of WithAllowedHosts.
func (h *httpHandler) hostAllowed(r *http.Request) bool {
	if h.resource == nil {
		return h.knownHost(r.Host)
	}
	if local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok && local != nil && isLoopbackHost(local.String()) {
		return h.knownHost(r.Host) || strings.EqualFold(r.Host, h.resource.Host)
	}
	return true
}

// knownHost reports whether host is a loopback host or one of
// WithAllowedHosts (with or without its port).
func (h *httpHandler) knownHost(host string) bool {
	if isLoopbackHost(host) {
		return true
	}
	name := hostName(host)
	for _, a := range h.cfg.allowedHosts {
		if strings.EqualFold(a, host) || strings.EqualFold(a, name) {
			return true
		}
	}
	return false
}

func hostName(hostport string) string {
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		return host
	}
	return strings.Trim(hostport, "[]")
}

// isLoopbackHost reports whether a host, or host:port, names the loopback
// interface: localhost, 127.0.0.0/8 or ::1.
func isLoopbackHost(hostport string) bool {
	host := hostName(hostport)
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// refuseHost answers a request for a host the server does not serve. The
// body does not repeat the host.
func refuseHost(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, http.StatusText(http.StatusMisdirectedRequest), http.StatusMisdirectedRequest)
}
