package runtime

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// This file keeps hidden components out of the requests that reach them
// sideways: completions, resource subscriptions, tool parameters bound to
// headers, and cache hints.

// completionRef is the ref of a completion/complete request.
type completionRef struct {
	Type string `json:"type"` // "ref/prompt" or "ref/resource"
	Name string `json:"name"`
	URI  string `json:"uri"`
}

// enterCompletion refuses a completion for a prompt or resource template
// the caller may not see, and for one that does not exist, with the same
// answer (JSON-RPC -32600 and the message below), before any completion
// provider runs; a provider is only ever asked about components the caller
// may use.
func (s *Server) enterCompletion(ctx context.Context, ref completionRef) context.Context {
	if skipChecks(ctx) {
		return ctx
	}
	var kind Kind
	var label, missing string
	var rec *record
	exists := false
	reg := s.reg.Load()
	switch ref.Type {
	case "ref/prompt":
		kind, label = KindPrompt, ref.Name
		missing = fmt.Sprintf("prompt '%s' not found: %v", ref.Name, server.ErrPromptNotFound)
		if rec = reg.prompts[ref.Name]; rec == nil {
			_, exists = s.mcp.ListPrompts()[ref.Name]
		}
	case "ref/resource":
		kind, label = KindResource, ref.URI
		missing = resourceNotFound(ref.URI)
		rec = reg.resources[ref.URI]
		for _, t := range reg.templates {
			if rec == nil && t.Component.URI == ref.URI {
				rec = t
			}
		}
		if rec == nil {
			_, exists = s.mcp.ListResources()[ref.URI]
		}
	default:
		return ctx // mcp-go answers an unknown reference type
	}
	comp := &Component{Kind: kind, Name: label}
	if rec != nil {
		comp, exists = &rec.Component, true
	}
	var msg string
	if !s.policy.HasMiddleware() {
		if !exists || !s.guardPermits(ctx, rec, label) {
			msg = missing
		}
	} else {
		msg = s.refusal(ctx, comp, rec, exists, label)
	}
	if msg == "" {
		return ctx
	}
	return context.WithValue(ctx, verdictKey{}, &verdict{kind: kind, target: label, refusal: msg})
}

// resourceNotFound is mcp-go's message for a URI no resource serves.
func resourceNotFound(uri string) string {
	return fmt.Sprintf("handler not found for resource URI '%s': %v", uri, server.ErrResourceNotFound)
}

// enterSubscription refuses resources/subscribe and
// resources/unsubscribe for a URI the caller may not read, exactly as for a
// URI nothing serves (JSON-RPC -32600, mcp-go's not-found message; with
// middleware, the message resources/read would answer), the read's call
// checks included, before any hook or
// session records the subscription. So a session only ever subscribes to
// what its principal may read, and resources/updated notifications sent to
// subscribers reach no one else.
func (s *Server) enterSubscription(ctx context.Context, uri string) context.Context {
	if skipChecks(ctx) || uri == "" {
		return ctx // mcp-go answers a missing URI
	}
	rec, exists, audit := s.findResource(ctx, uri)
	var msg string
	if audit != nil {
		msg = s.auditedSubscription(ctx, audit, uri, rec, exists)
	} else if !s.policy.HasMiddleware() {
		if rec == nil {
			if _, direct := s.mcp.ListResources()[uri]; !direct {
				msg = resourceNotFound(uri)
			}
		} else if s.callDenied(ctx, rec, uri) {
			msg = resourceNotFound(uri)
		}
	} else {
		msg = s.resourceRefusal(ctx, uri, rec, exists)
		if msg == "" && rec != nil && s.callDenied(ctx, rec, uri) {
			// As resources/read: answered as for a URI nothing serves.
			msg = s.policy.Refusal(ctx, AccessTokenFromContext(ctx), &Component{Kind: KindResource, Name: uri, URI: uri}, nil, false, uri)
		}
	}
	if msg == "" {
		return ctx
	}
	return context.WithValue(ctx, verdictKey{}, &verdict{kind: KindResource, target: uri, refusal: msg})
}

// enterHeaderBoundCall handles, without middleware, a tools/call of a
// tool with parameters bound to headers (x-mcp-header, protocol
// 2026-07-28). mcp-go checks those headers against the tool's schema before
// the tool filter runs, so a hidden tool would answer "header mismatch"
// where a missing one answers "not found". For a caller who may not see the
// tool, the request gets a stand-in without header bindings, which the tool
// filter then refuses as missing.
func (s *Server) enterHeaderBoundCall(ctx context.Context, name string) context.Context {
	rec := s.reg.Load().tools[name]
	if rec == nil || !rec.headerBound || skipChecks(ctx) || (rec.ScopeOnly() && stepUpFrom(ctx)) {
		return ctx
	}
	if s.policy.Listed(ctx, AccessTokenFromContext(ctx), &rec.Component, rec.Guard) {
		return ctx
	}
	return s.withMissingTool(ctx, name)
}

// withMissingTool routes a tools/call of name to a stand-in without header
// bindings, which the tool filter then refuses as missing.
func (s *Server) withMissingTool(ctx context.Context, name string) context.Context {
	standIn := server.ServerTool{
		Tool: mcp.Tool{Name: name, InputSchema: mcp.ToolInputSchema{Type: "object"}},
		Handler: func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return nil, fmt.Errorf("tool '%s' not found: %w", name, server.ErrToolNotFound)
		},
	}
	return s.withView(ctx, nil, nil, map[string]server.ServerTool{name: standIn})
}

// markPrivate is the after-hook of every list and of resources/read: a
// result that depends on who asks is never marked cacheScope "public"
// (protocol 2026-07-28), whatever cache hints the server was given, so a
// shared cache never hands one principal's list to another. Results the
// handler gave no hints are marked ttlMs 0 (always revalidate), private.
func markPrivate(ctx context.Context, r *mcp.CacheableResult) {
	if !server.IsModernRequest(ctx) {
		return // the fields do not exist before 2026-07-28
	}
	ttl, ok := r.TTL()
	if !ok {
		ttl = 0
	}
	r.SetCacheHints(ttl, mcp.CacheScopePrivate)
}

func addCacheHooks(h *server.Hooks) {
	h.AddAfterListTools(func(ctx context.Context, _ any, _ *mcp.ListToolsRequest, r *mcp.ListToolsResult) {
		markPrivate(ctx, &r.CacheableResult)
	})
	h.AddAfterListPrompts(func(ctx context.Context, _ any, _ *mcp.ListPromptsRequest, r *mcp.ListPromptsResult) {
		markPrivate(ctx, &r.CacheableResult)
	})
	h.AddAfterListResources(func(ctx context.Context, _ any, _ *mcp.ListResourcesRequest, r *mcp.ListResourcesResult) {
		markPrivate(ctx, &r.CacheableResult)
	})
	h.AddAfterListResourceTemplates(func(ctx context.Context, _ any, _ *mcp.ListResourceTemplatesRequest, r *mcp.ListResourceTemplatesResult) {
		markPrivate(ctx, &r.CacheableResult)
	})
	h.AddAfterReadResource(func(ctx context.Context, _ any, _ *mcp.ReadResourceRequest, r *mcp.ReadResourceResult) {
		markPrivate(ctx, &r.CacheableResult)
	})
}
