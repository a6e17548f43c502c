package runtime

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// WithStateless serves Streamable HTTP without sessions: no Mcp-Session-Id
// is issued, every POST is served on its own, and GET and DELETE are
// answered 405 Method Not Allowed (there is no session to stream to or to
// end). Any replica behind a plain load balancer then answers any request
// with the same authorization results. What needs a session (server-sent
// requests and notifications on a GET stream, per-session log levels) is
// not available. Clients on protocol 2026-07-28 need no sessions in either
// mode.
func WithStateless() HTTPOption {
	return func(c *httpConfig) { c.stateless = true }
}

// principal identifies who a token speaks for: its issuer and subject, or,
// without a subject, its client; a token with neither is its own principal.
// A session is bound to the principal that initialized it, so that a
// refreshed token of the same principal keeps the session.
type principal struct {
	issuer, subject, client, token string
}

func principalOf(tok *AccessToken) principal {
	if tok == nil {
		return principal{}
	}
	iss, _ := tok.Claims["iss"].(string)
	if sub, _ := tok.Claims["sub"].(string); sub != "" {
		return principal{issuer: iss, subject: sub}
	}
	if tok.ClientID != "" {
		return principal{issuer: iss, client: tok.ClientID}
	}
	return principal{token: tok.Token}
}

// sessionTable is the session ID manager of a stateful HTTP handler: it
// issues session IDs, records the principal each was issued to, and forgets
// an ID when its session is deleted or idles out (mcp-go's sweeper calls
// Terminate). It is mcp-go's SessionIdManagerResolver, so that Generate
// knows the principal of the initialize request.
type sessionTable struct {
	mu     sync.RWMutex
	owners map[string]principal
}

func newSessionTable() *sessionTable {
	return &sessionTable{owners: map[string]principal{}}
}

// ResolveSessionIdManager returns the manager for r: for an initialize
// request, one that issues IDs to r's principal; for any other (and for
// mcp-go's idle sweeper, whose r is nil), the table itself, which issues
// none (the request entry refuses a GET without a session ID, the only
// other request mcp-go mints an ID for).
func (t *sessionTable) ResolveSessionIdManager(r *http.Request) server.SessionIdManager {
	if r == nil {
		return t
	}
	if m, ok := r.Context().Value(httpMessageKey{}).(httpMessage); !ok || m.method != string(mcp.MethodInitialize) {
		return t
	}
	return boundManager{t: t, owner: principalOf(AccessTokenFromContext(r.Context()))}
}

// owner reports the principal a live session ID was issued to.
func (t *sessionTable) owner(id string) (principal, bool) {
	t.mu.RLock()
	p, ok := t.owners[id]
	t.mu.RUnlock()
	return p, ok
}

func (t *sessionTable) len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.owners)
}

// boundManager issues session IDs to one principal.
type boundManager struct {
	t     *sessionTable
	owner principal
}

// sessionIDPrefix starts every session ID, as mcp-go's own IDs do.
const sessionIDPrefix = "mcp-session-"

// Generate issues a new session ID to the request's principal: 128 random
// bits (crypto/rand.Text).
func (m boundManager) Generate() string {
	id := sessionIDPrefix + rand.Text()
	m.t.mu.Lock()
	m.t.owners[id] = m.owner
	m.t.mu.Unlock()
	return id
}

func (m boundManager) Validate(id string) (bool, error)  { return m.t.Validate(id) }
func (m boundManager) Terminate(id string) (bool, error) { return m.t.Terminate(id) }

// Generate issues no ID: the table hands it to requests that do not open
// a session. "" is what mcp-go's stateless manager issues.
func (t *sessionTable) Generate() string { return "" }

var errUnknownSession = errors.New("unknown session")

// Validate accepts only live session IDs. The request entry has already
// refused IDs of other principals (admitSession).
func (t *sessionTable) Validate(id string) (bool, error) {
	if _, ok := t.owner(id); !ok {
		return false, errUnknownSession
	}
	return false, nil
}

// Terminate forgets a session ID. The request entry lets DELETE through
// only for the session's own principal.
func (t *sessionTable) Terminate(id string) (bool, error) {
	t.mu.Lock()
	delete(t.owners, id)
	t.mu.Unlock()
	return false, nil
}

// unknownSessionText is mcp-go's answer to a POST on a session ID it does
// not know (404); the request entry answers every unknown or foreign
// session the same way, whatever the method.
const unknownSessionText = "Invalid session ID"

// admitSession applies the session rules before mcp-go sees a request, and
// answers the request itself (returning false) when it breaks them:
//
//   - stateless: GET and DELETE are 405 (no session to stream to or end);
//   - stateful, a request of protocol 2026-07-28 or later: nothing to check
//     (that protocol has no sessions; mcp-go ignores Mcp-Session-Id);
//   - stateful, GET or DELETE without Mcp-Session-Id: 400;
//   - stateful, any request naming a session that does not exist or was
//     issued to another principal: 404 "Invalid session ID", the answer
//     for an unknown session, so that nobody learns whether a session ID
//     is live and nothing about that session changes.
func (h *httpHandler) admitSession(w http.ResponseWriter, r *http.Request, ctx context.Context, msg *wireMessage) bool {
	if r.Method != http.MethodPost && r.Method != http.MethodGet && r.Method != http.MethodDelete {
		return true
	}
	if mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) || mcp.IsModernProtocol(msg.Params.protocol) {
		return true
	}
	if h.sessions == nil {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, r.Method+" is not supported: this server is stateless", http.StatusMethodNotAllowed)
			return false
		}
		return true
	}
	id := r.Header.Get(server.HeaderKeySessionID)
	if id == "" {
		if r.Method == http.MethodPost {
			return true // initialize, or mcp-go's own 404
		}
		http.Error(w, "Bad Request: Mcp-Session-Id header is required", http.StatusBadRequest)
		return false
	}
	if r.Method == http.MethodPost && msg.Method == string(mcp.MethodInitialize) {
		return true // a new session; mcp-go ignores the old ID
	}
	owner, ok := h.sessions.owner(id)
	if !ok || owner != principalOf(AccessTokenFromContext(ctx)) {
		if ok && h.srv.hooks != nil {
			h.srv.refusedSession(ctx, r, msg.Method)
		}
		http.Error(w, unknownSessionText, http.StatusNotFound)
		return false
	}
	return true
}
