package parity_test

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// withForbidDocs has middleware that denies one template, docs://{a}/b, as
// a policy written for that template would. The URI docs://a/b matches it
// and, after it, docs://{x}/{y}.
var withForbidDocs = setup{id: "forbid-docs", middleware: []authz.Middleware{authz.AuthMiddleware(authz.AuthCheck(
	func(_ context.Context, ac authz.AuthContext) (bool, error) {
		return ac.Component.URI != "docs://{a}/b", nil
	})).Named("forbid(docs://{a}/b)")}}

func init() {
	cases = append(cases,
		// The component's own checks choose the template that serves a
		// read (a hidden one never shadows a visible one); the middleware
		// then decides about that template, and its denial is explicit. A
		// later match the middleware would permit is not served instead.
		testCase{"mw: the template the middleware denies is not skipped", withForbidDocs, "admin", "resources/read", map[string]any{"uri": "docs://a/b"},
			rpcError(-32600, "Authorization failed for resource 'docs://a/b': insufficient permissions")},
		testCase{"mw: a hidden template does not shadow", withForbidDocs, "reader", "resources/read", map[string]any{"uri": "docs://a/b"},
			text("docs://{x}/{y} docs://a/b for reader [read]")},
	)
}
