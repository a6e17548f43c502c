package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/mark3labs/mcp-go/mcp"
)

// streamWriter adapts an http.ResponseWriter to mcp-go's
// server.HTTPResponseWriter: it streams when the writer can flush. It also
// keeps list_changed notifications from callers who cannot see the change:
// mcp-go broadcasts notifications/tools/list_changed (prompts, resources)
// to every session when a component is added, so each SSE event of that
// kind written on a stream (a GET stream, or a POST answered as SSE) is
// let through only when the components its caller may list differ from
// those it could list before (when the stream started, or at the last
// such event let through).
type streamWriter struct {
	http.ResponseWriter
	flusher http.Flusher

	srv  *Server
	ctx  context.Context // the request's: its token decides
	seen *registry       // the registry as of the caller's last view
}

func (h *httpHandler) newStreamWriter(w http.ResponseWriter, ctx context.Context) *streamWriter {
	f, _ := w.(http.Flusher)
	return &streamWriter{ResponseWriter: w, flusher: f, srv: h.srv, ctx: ctx, seen: h.srv.reg.Load()}
}

func (w *streamWriter) Flush() {
	if w.flusher != nil {
		w.flusher.Flush()
	}
}

func (w *streamWriter) CanStream() bool { return w.flusher != nil }

// sseNotification starts the SSE event mcp-go writes for a notification.
var sseNotification = []byte("event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/")

func (w *streamWriter) Write(p []byte) (int, error) {
	if bytes.HasPrefix(p, sseNotification) && !w.tells(p[len("event: message\ndata: "):]) {
		return len(p), nil // dropped: nothing the caller may see changed
	}
	return w.ResponseWriter.Write(p)
}

// tells reports whether the SSE data of a notification is for the caller:
// anything but a list_changed, and a list_changed when what the caller may
// list of that kind changed.
func (w *streamWriter) tells(data []byte) bool {
	var msg struct {
		Method string `json:"method"`
	}
	if json.Unmarshal(bytes.TrimSpace(data), &msg) != nil {
		return true
	}
	var kinds []Kind
	switch mcp.MCPMethod(msg.Method) {
	case mcp.MCPMethod(mcp.MethodNotificationToolsListChanged):
		kinds = []Kind{KindTool}
	case mcp.MCPMethod(mcp.MethodNotificationPromptsListChanged):
		kinds = []Kind{KindPrompt}
	case mcp.MCPMethod(mcp.MethodNotificationResourcesListChanged):
		kinds = []Kind{KindResource, KindResourceTemplate}
	default:
		return true
	}
	now := w.srv.reg.Load()
	if now == w.seen {
		return true // not a change the runtime made: components added on MCP()
	}
	changed := false
	for _, k := range kinds {
		if !slices.Equal(w.srv.listed(w.ctx, w.seen, k), w.srv.listed(w.ctx, now, k)) {
			changed = true
		}
	}
	if changed {
		w.seen = now
	}
	return changed
}

// listed returns the sorted names (URIs) of the components of kind in reg
// that the request of ctx may list.
func (s *Server) listed(ctx context.Context, reg *registry, kind Kind) []string {
	ctx = s.policy.ListingContext(ctx)
	tok := AccessTokenFromContext(ctx)
	var out []string
	add := func(key string, rec *record) {
		if skipChecks(ctx) || s.policy.Listed(ctx, tok, &rec.Component, rec.Guard) {
			out = append(out, key)
		}
	}
	switch kind {
	case KindTool:
		for name, rec := range reg.tools {
			add(name, rec)
		}
	case KindPrompt:
		for name, rec := range reg.prompts {
			add(name, rec)
		}
	case KindResource:
		for uri, rec := range reg.resources {
			add(uri, rec)
		}
	case KindResourceTemplate:
		for _, rec := range reg.templates {
			add(rec.Component.URI, rec)
		}
	}
	slices.Sort(out)
	return out
}
