package e2e_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// A backend is one of the two SDKs mcpauthgen's runtime serves on: the
// tests written against the fixture run on each, with the same clients
// and the same expectations.
type backend struct {
	name  string
	goSDK bool
}

var backends = []backend{{name: "mcp-go"}, {name: "go-sdk", goSDK: true}}

// The server-wide layers of the fixture.
type layer int

const (
	noLayer     layer = iota
	fullLayer         // middleware(): RestrictTag("admin", "admin") and the frozen refusal
	restrictTag       // RestrictTag("admin", "admin") only, for step-up
)

// fixtureConfig is what a test asks of the fixture's server, said once for
// both backends.
type fixtureConfig struct {
	layer       layer
	verifier    runtime.TokenVerifier // the static verifier of tokens when nil
	authServers []string
	scopes      []string // WithScopesSupported when set
	stepUp      bool
	stateless   bool   // WithStateless
	resourceURL string // WithResourceURL when set
}

// handler builds the fixture on b as c says and returns its HTTP handler,
// to be mounted at /mcp and /.well-known/oauth-protected-resource/mcp.
func (b backend) handler(c fixtureConfig) http.Handler {
	v := c.verifier
	if v == nil {
		v = runtime.NewStaticTokenVerifier(tokens)
	}
	if b.goSDK {
		var mw []authz.Middleware
		switch c.layer {
		case fullLayer:
			mw = gosdkMiddleware()
		case restrictTag:
			mw = []authz.Middleware{authz.AuthMiddleware(authz.RestrictTag("admin", "admin"))}
		}
		opts := []gosdk.HTTPOption{gosdk.WithTokenVerifier(v)}
		if len(c.authServers) > 0 {
			opts = append(opts, gosdk.WithAuthorizationServers(c.authServers...))
		}
		if len(c.scopes) > 0 {
			opts = append(opts, gosdk.WithScopesSupported(c.scopes...))
		}
		if c.stepUp {
			opts = append(opts, gosdk.WithStepUp())
		}
		if c.stateless {
			opts = append(opts, gosdk.WithStateless())
		}
		if c.resourceURL != "" {
			opts = append(opts, gosdk.WithResourceURL(c.resourceURL))
		}
		return gosdkFixture(gosdkOptions{middleware: mw}).HTTPHandler(opts...)
	}
	var srvOpts []runtime.Option
	switch c.layer {
	case fullLayer:
		srvOpts = append(srvOpts, middleware())
	case restrictTag:
		srvOpts = append(srvOpts, runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))))
	}
	opts := []runtime.HTTPOption{runtime.WithTokenVerifier(v)}
	if len(c.authServers) > 0 {
		opts = append(opts, runtime.WithAuthorizationServers(c.authServers...))
	}
	if len(c.scopes) > 0 {
		opts = append(opts, runtime.WithScopesSupported(c.scopes...))
	}
	if c.stepUp {
		opts = append(opts, runtime.WithStepUp())
	}
	if c.stateless {
		opts = append(opts, runtime.WithStateless())
	}
	if c.resourceURL != "" {
		opts = append(opts, runtime.WithResourceURL(c.resourceURL))
	}
	return fixture(srvOpts...).HTTPHandler(opts...)
}

// forEachBackend runs f as a parallel subtest per backend.
func forEachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f(t, b)
		})
	}
}

// serveFixture serves the fixture on b as serve does (at /mcp, with its
// metadata) and returns the server's base URL.
func serveFixture(t *testing.T, b backend, c fixtureConfig) string {
	t.Helper()
	h := b.handler(c)
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	mux.Handle("/.well-known/oauth-protected-resource/mcp", h)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.URL
}
