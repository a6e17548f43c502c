package runtime

// WithCORS lets web pages from the given origins (scheme://host[:port], as
// browsers send them in the Origin header; "*" for any) use the server
// from a browser. For a request from an allowed origin, MCP answers, 401
// and 403 challenges and the protected resource metadata carry
// Access-Control-Allow-Origin (the request's origin) and expose
// WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version and Retry-After
// (of a 503 when the token verifier is unavailable) to the page;
// preflight requests are answered 204 with the methods and the MCP request
// headers allowed. Credentials are bearer tokens, never cookies, so
// Access-Control-Allow-Credentials is not sent. Requests from other origins
// get no CORS headers, and their preflights 403. Without WithCORS, no CORS
// headers are sent and preflights are answered 404. See authz.CORS.
func WithCORS(origins ...string) HTTPOption {
	return func(c *httpConfig) { c.cors.Origins = append(c.cors.Origins, origins...) }
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
// protection). See authz.Hosts.
func WithAllowedHosts(hosts ...string) HTTPOption {
	return func(c *httpConfig) { c.hosts.Allowed = append(c.hosts.Allowed, hosts...) }
}
