package parity_test

import (
	"context"
	"strings"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// With middleware, completion/complete, resources/subscribe and
// resources/unsubscribe answer as prompts/get and resources/read answer
// the same target: the middleware's message, explicit when it denies a
// component the caller may see, "not found or not authorized" for one
// hidden or missing. Each setup runs without a decision hook and with one
// (the go-sdk backend decides these requests on another path then).
func init() {
	noHook := func(context.Context, authz.Decision) {}
	setups := []setup{
		{id: "mw-sideways", middleware: withMW.middleware, sideways: true},
		{id: "mw-sideways-hooked", middleware: withMW.middleware, hook: noHook},
		{id: "forbid-docs-sideways", middleware: withForbidDocs.middleware, sideways: true},
		{id: "forbid-docs-sideways-hooked", middleware: withForbidDocs.middleware, hook: noHook},
	}
	completion := func(typ, key, value string) map[string]any {
		return map[string]any{"ref": map[string]any{"type": typ, key: value}, "argument": map[string]any{"name": "id", "value": ""}}
	}
	uri := func(u string) map[string]any { return map[string]any{"uri": u} }
	for _, su := range setups {
		{
			suffix := " (" + su.id + ")"
			if strings.HasPrefix(su.id, "mw-") {
				cases = append(cases,
					testCase{"mw: subscribe hidden" + suffix, su, "writer", "resources/subscribe", uri("admin://config"),
						rpcError(-32600, "Authorization failed for resource 'admin://config': not found or not authorized")},
					testCase{"mw: subscribe missing" + suffix, su, "writer", "resources/subscribe", uri("absent://x"),
						rpcError(-32600, "Authorization failed for resource 'absent://x': not found or not authorized")},
					testCase{"mw: unsubscribe hidden" + suffix, su, "writer", "resources/unsubscribe", uri("admin://config"),
						rpcError(-32600, "Authorization failed for resource 'admin://config': not found or not authorized")},
					testCase{"mw: complete hidden prompt" + suffix, su, "writer", "completion/complete", completion("ref/prompt", "name", "admin_prompt"),
						rpcError(-32600, "Authorization failed for prompt 'admin_prompt': not found or not authorized")},
					testCase{"mw: complete missing prompt" + suffix, su, "writer", "completion/complete", completion("ref/prompt", "name", "absent_prompt"),
						rpcError(-32600, "Authorization failed for prompt 'absent_prompt': not found or not authorized")},
					testCase{"mw: complete prompt AuthorizationError" + suffix, su, "reader", "completion/complete", completion("ref/prompt", "name", "billing_prompt"),
						rpcError(-32600, "billing tools need a billing plan")},
					testCase{"mw: complete missing template" + suffix, su, "writer", "completion/complete", completion("ref/resource", "uri", "absent://{x}"),
						rpcError(-32600, "Authorization failed for resource 'absent://{x}': not found or not authorized")},
				)
				continue
			}
			cases = append(cases,
				testCase{"mw: subscribe to the template the middleware denies" + suffix, su, "admin", "resources/subscribe", uri("docs://a/b"),
					rpcError(-32600, "Authorization failed for resource 'docs://a/b': insufficient permissions")},
				testCase{"mw: unsubscribe from the template the middleware denies" + suffix, su, "admin", "resources/unsubscribe", uri("docs://a/b"),
					rpcError(-32600, "Authorization failed for resource 'docs://a/b': insufficient permissions")},
				testCase{"mw: complete the template the middleware denies" + suffix, su, "admin", "completion/complete", completion("ref/resource", "uri", "docs://{a}/b"),
					rpcError(-32600, "Authorization failed for resource 'docs://{a}/b': insufficient permissions")},
			)
		}
	}
}
