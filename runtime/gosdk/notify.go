package gosdk

import (
	"context"
	"slices"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The SDK sends notifications/tools/list_changed (prompts, resources) to
// every session when a component is added (and, in protocol 2026-07-28, to
// every session listening for it). A session must not learn of a change to
// a component its caller may not see, so the runtime's sending middleware
// lets such a notification through only when what the session's caller
// may list of that kind differs from what it could list when the session
// began, or at the last such notification let through. The caller is the
// token of the session's latest request.

// views are the sessions the runtime has seen, with what each last saw.
type views struct {
	mu sync.Mutex
	m  map[*mcp.ServerSession]*view
}

// view is one session's caller and the registry as of its last view.
type view struct {
	tok  *AccessToken
	seen *registry
}

// record notes the token of a request of ss, and for a new session the
// registry it starts with.
func (v *views) record(s *Server, ss *mcp.ServerSession, tok *AccessToken) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		v.m = map[*mcp.ServerSession]*view{}
	}
	if cur, ok := v.m[ss]; ok {
		cur.tok = tok
		return
	}
	v.m[ss] = &view{tok: tok, seen: s.reg.Load()}
	if len(v.m) >= 64 {
		live := map[*mcp.ServerSession]bool{}
		for l := range s.mcp.Sessions() {
			live[l] = true
		}
		if len(v.m) > 2*len(live) {
			for k := range v.m {
				if !live[k] && k != ss {
					delete(v.m, k)
				}
			}
		}
	}
}

// tells reports whether the list_changed notification of kinds should
// reach ss, and if so records the registry it now reflects.
func (v *views) tells(s *Server, ss *mcp.ServerSession, kinds ...Kind) bool {
	v.mu.Lock()
	cur, ok := v.m[ss]
	var tok *AccessToken
	var seen *registry
	if ok {
		tok, seen = cur.tok, cur.seen
	}
	v.mu.Unlock()
	if !ok {
		return true // not through the request entry: nothing to compare with
	}
	// The checks run without the lock: they are the user's code.
	now := s.reg.Load()
	ctx := ContextWithAccessToken(context.Background(), tok)
	for _, k := range kinds {
		if !slices.Equal(s.visible(ctx, tok, *seen.catalog(k)), s.visible(ctx, tok, *now.catalog(k))) {
			v.mu.Lock()
			cur.seen = now
			v.mu.Unlock()
			return true
		}
	}
	return false
}

// visible lists the keys of c's components a caller with tok may list.
func (s *Server) visible(ctx context.Context, tok *AccessToken, c catalog) []string {
	ctx = s.policy.ListingContext(ctx)
	var out []string
	for _, rec := range c.sorted {
		if s.listed(ctx, tok, rec) {
			out = append(out, rec.key)
		}
	}
	return out
}

// The list_changed notifications and the kinds each concerns.
var listChanged = map[string][]Kind{
	"notifications/tools/list_changed":     {KindTool},
	"notifications/prompts/list_changed":   {KindPrompt},
	"notifications/resources/list_changed": {KindResource, KindResourceTemplate},
}

// filterNotifications is the runtime's sending middleware: it drops a
// list_changed notification that tells a session nothing its caller may
// see.
func (s *Server) filterNotifications(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if kinds, ok := listChanged[method]; ok {
			if ss, ok := req.GetSession().(*mcp.ServerSession); ok && !s.notifyViews.tells(s, ss, kinds...) {
				return nil, nil
			}
		}
		return next(ctx, method, req)
	}
}
