// Package authz is the authorization core of mcpauthgen: tokens, checks,
// middleware, and the decisions they make about MCP components, with no MCP
// SDK in it. Package runtime puts it on mcp-go servers and re-exports its
// names (runtime.AuthContext is authz.AuthContext), so that a check written
// against one backend works with any other.
//
// The pieces:
//
//   - AccessToken, TokenVerifier and NewStaticTokenVerifier: who is
//     calling, and how a raw bearer token becomes an AccessToken.
//   - Checker, AuthCheck, Check and RunAuthChecks: the checks and how a
//     chain of them runs. The built-in checks are values that describe
//     what they require, which a type switch reads: ScopeCheck
//     (RequireScopes, RestrictTag), RoleCheck (RequireRoles) and AnyCheck
//     (AnyOf). Any other Checker is opaque: it is only ever called to
//     decide a request.
//     RoleClaims says where a token's claims hold its roles; a Policy
//     hands its mapping to every check it runs (AuthContext.HasRole).
//   - Middleware (AuthMiddleware), Policy and Guard: a server's
//     authorization as a backend applies it. A Policy holds the middleware;
//     a Guard holds one component with its own checks. Policy.Listed
//     decides whether a list shows a component, Guard.Permits whether the
//     component's own checks let a request use it, and Policy.Refusal what
//     a request that targets one component is answered when middleware is
//     present.
//   - Authenticate and the helpers around it: the bearer-token side of
//     HTTP (RFC 6750 challenges pointing at RFC 9728 metadata), which needs
//     no MCP types either.
//   - CORS, Hosts and ReadBody: the browser- and network-facing rules of
//     an HTTP endpoint (cross-origin access, which Host headers are
//     answered, bounded request bodies read once).
package authz
