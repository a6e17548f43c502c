package authz

import (
	"context"
	"log/slog"
)

// The attribute keys of a decision, as LogDecisions writes them and the
// OpenTelemetry package (runtime/otelmcp) records them on spans. They are
// stable: dashboards and alerts are built on them. mcp.method.name,
// mcp.session.id and http.response.status_code are those of the
// OpenTelemetry semantic conventions; the others are this module's.
const (
	AttrMethod     = "mcp.method.name"           // string: tools/call, tools/list, ...; absent for HTTP refusals
	AttrSessionID  = "mcp.session.id"            // string
	AttrStatus     = "http.response.status_code" // int: 401 or 403, for refusals at the HTTP layer
	AttrAllowed    = "mcp.authz.allowed"         // bool
	AttrKind       = "mcp.authz.component.kind"  // tool, resource, resource_template, prompt
	AttrName       = "mcp.authz.component.name"  // string
	AttrURI        = "mcp.authz.component.uri"   // string: the URI or template as declared
	AttrTarget     = "mcp.authz.target"          // string: the name or URI the request asked for
	AttrSubject    = "mcp.authz.subject"         // string: the token's sub claim
	AttrClientID   = "mcp.authz.client_id"       // string
	AttrLayer      = "mcp.authz.rule.layer"      // component, middleware, call, http, policy
	AttrRule       = "mcp.authz.rule"            // string: the rule as written, scopes(write), check(isOwner)
	AttrMiddleware = "mcp.authz.rule.middleware" // int: index of the middleware (layer middleware)
	AttrCheck      = "mcp.authz.rule.check"      // int: index of the check in its chain
	AttrPolicies   = "mcp.authz.rule.policies"   // strings: policy ids (layer policy)
	AttrFailed     = "mcp.authz.rule.failed"     // bool, present when true: the check errored or panicked
	AttrVisible    = "mcp.authz.list.visible"    // int: items a list showed
	AttrHidden     = "mcp.authz.list.hidden"     // int: items a list left out
	AttrDuration   = "mcp.authz.duration"        // duration: time spent deciding
)

// KindLabel is the value of AttrKind for k: "tool", "resource",
// "resource_template" or "prompt"; "" for the zero Kind.
func KindLabel(k Kind) string {
	switch k {
	case KindTool:
		return "tool"
	case KindResource:
		return "resource"
	case KindResourceTemplate:
		return "resource_template"
	case KindPrompt:
		return "prompt"
	}
	return ""
}

// Messages of the log records LogDecisions writes.
const (
	LogMessageAllowed = "mcp authorization allowed"
	LogMessageDenied  = "mcp authorization denied"
)

// LogDecisions returns a hook that writes each decision to l (nil:
// slog.Default()) as one record, timed at the decision's Time, with the
// attributes above (empty strings, and the rule of an allowed request,
// left out): allowed requests and lists at Debug, denials at Info, and
// denials by a check that failed (Rule.Failed) at Warn. The token is never
// written.
func LogDecisions(l *slog.Logger) DecisionHook {
	return func(ctx context.Context, d Decision) {
		logger := l
		if logger == nil {
			logger = slog.Default()
		}
		level, msg := slog.LevelDebug, LogMessageAllowed
		if !d.Allowed {
			level, msg = slog.LevelInfo, LogMessageDenied
			if d.Rule.Failed {
				level = slog.LevelWarn
			}
		}
		h := logger.Handler()
		if !h.Enabled(ctx, level) {
			return
		}
		r := slog.NewRecord(d.Time, level, msg, 0)
		addString := func(key, value string) {
			if value != "" {
				r.AddAttrs(slog.String(key, value))
			}
		}
		addString(AttrMethod, d.Method)
		r.AddAttrs(slog.Bool(AttrAllowed, d.Allowed))
		addString(AttrKind, KindLabel(d.Kind))
		addString(AttrName, d.Name)
		addString(AttrURI, d.URI)
		if d.Target != d.Name {
			addString(AttrTarget, d.Target)
		}
		addString(AttrSubject, d.Subject)
		addString(AttrClientID, d.ClientID)
		addString(AttrSessionID, d.SessionID)
		if d.Status != 0 {
			r.AddAttrs(slog.Int(AttrStatus, d.Status))
		}
		if isList(d.Method) {
			r.AddAttrs(slog.Int(AttrVisible, d.Visible), slog.Int(AttrHidden, d.Hidden))
		}
		if d.Rule.Layer != 0 {
			r.AddAttrs(slog.String(AttrLayer, d.Rule.Layer.String()))
			addString(AttrRule, d.Rule.Text)
			if d.Rule.Layer == LayerMiddleware {
				r.AddAttrs(slog.Int(AttrMiddleware, d.Rule.Middleware))
			}
			if d.Rule.Layer == LayerComponent || d.Rule.Layer == LayerMiddleware || d.Rule.Layer == LayerCall {
				r.AddAttrs(slog.Int(AttrCheck, d.Rule.Check))
			}
			if d.Rule.Failed {
				r.AddAttrs(slog.Bool(AttrFailed, true))
			}
		}
		if len(d.Rule.Policies) > 0 {
			r.AddAttrs(slog.Any(AttrPolicies, d.Rule.Policies))
		}
		r.AddAttrs(slog.Duration(AttrDuration, d.Duration))
		_ = h.Handle(ctx, r)
	}
}

// isList reports whether method lists components.
func isList(method string) bool {
	switch method {
	case "tools/list", "prompts/list", "resources/list", "resources/templates/list":
		return true
	}
	return false
}
