package gosdk

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Decisions of requests the HTTP layer refuses (HTTPHandler), reported
// only when there are decision hooks, as the mcp-go backend reports them:
// the bearer token (401, 403, 503), a session of another principal (404),
// a scope step-up (403). Each names the session the request named, as
// authz.RecordedSessionID bounds it.

// refusedHTTP reports a request whose bearer token was refused with
// status by rule.
func (s *Server) refusedHTTP(r *http.Request, start time.Time, status int, rule string) {
	s.report(r.Context(), Decision{
		Time: start, Duration: time.Since(start),
		SessionID: authz.RecordedSessionID(r.Header.Get(sessionIDHeader)),
		Rule:      authz.Rule{Layer: authz.LayerHTTP, Text: rule},
		Status:    status,
	})
}

// refusedSession reports a request of tok refused (404, as an unknown
// session) for naming a session another principal initialized; body is
// the request's message, which names its method: recorded only if MCP
// defines it (authz.RecordedMethod).
func (s *Server) refusedSession(r *http.Request, tok *AccessToken, body []byte) {
	var msg struct {
		Method string `json:"method"`
	}
	_ = json.Unmarshal(body, &msg) // a message that is not one has no method
	s.report(authz.ContextWithAccessToken(r.Context(), tok), Decision{
		Time:      time.Now(),
		Method:    authz.RecordedMethod(msg.Method),
		SessionID: authz.RecordedSessionID(r.Header.Get(sessionIDHeader)),
		Rule:      authz.Rule{Layer: authz.LayerHTTP, Text: authz.RuleSessionPrincipal},
		Status:    http.StatusNotFound,
	})
}

// steppedUp reports a tools/call of name by tok answered with a scope
// challenge: the rule is the scope check that denies.
func (s *Server) steppedUp(r *http.Request, tok *AccessToken, start time.Time, name string) {
	ctx := authz.ContextWithAccessToken(r.Context(), tok)
	rec := s.reg.Load().tools.byKey[name]
	_, rule := s.policy.Evaluate(ctx, tok, &rec.Component, rec.Guard)
	s.report(ctx, Decision{
		Time: start, Duration: time.Since(start),
		Method: methodCallTool,
		Kind:   KindTool, Name: name, Target: name,
		SessionID: authz.RecordedSessionID(r.Header.Get(sessionIDHeader)),
		Rule:      rule,
		Status:    http.StatusForbidden,
	})
}
