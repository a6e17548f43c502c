// Package otelmcp reports the MCP requests of a runtime.Server and its
// authorization decisions to OpenTelemetry. It depends on the
// OpenTelemetry API only; the application chooses the SDK and exporters
// (or none: without a configured provider every call is a no-op).
//
//	tel, err := otelmcp.New()
//	srv := runtime.NewServer("notes", "1.0.0", tel.Options()...)
//
// # Spans
//
// Every JSON-RPC request and notification that reaches an authorized
// transport (HTTPHandler, HandleMessage) gets a span of kind server, named
// and attributed as the OpenTelemetry semantic conventions for MCP say:
// "{mcp.method.name} {target}" where the target is the tool or prompt
// name ("tools/call get_weather"), else "{mcp.method.name}", with a
// method MCP does not define named and recorded as "_OTHER"
// (authz.RecordedMethod), as the conventions record unknown HTTP methods,
// so that a client's text never becomes a span's name; attributes
// mcp.method.name, jsonrpc.request.id, mcp.session.id,
// mcp.protocol.version, gen_ai.tool.name and gen_ai.operation.name
// ("execute_tool") for tools/call, gen_ai.prompt.name for prompts/get,
// mcp.resource.uri for resources/read, resources/subscribe and
// resources/unsubscribe, and network.transport ("tcp") and
// network.protocol.name ("http") over HTTP. A request answered with a
// JSON-RPC error gets error.type and rpc.response.status_code (the error
// code) and status Error with the error's message; a tools/call answered
// with an isError result gets error.type "tool_error" and status Error.
//
// A resource URI is recorded with the password of its userinfo replaced
// by xxxxx (authz.RedactURI), in mcp.resource.uri, in the decision's
// attributes and in the status message of an error that names the URI;
// the client is answered with the URI as it sent it.
//
// Names and URIs are recorded bounded, as package authz bounds them
// (authz.RecordedName, authz.RecordedURI): a tool or prompt name cut to
// 256 bytes, a resource URI to 2 KiB, at a UTF-8 boundary and followed by
// "…[N bytes truncated]", in the span's name, gen_ai.tool.name,
// gen_ai.prompt.name, mcp.resource.uri, the decision's attributes and the
// status message. The span of a tool the server does not have is named
// after the name the client sent, so cut: the span starts before the
// server looks the name up, when an unknown name and a registered one
// look alike. Span names of unknown tools are so bounded in length but
// not in number; the decision counter names no component.
//
// The span continues the client's trace: its parent is the context the
// request carries in params._meta (traceparent, tracestate, baggage, as
// the conventions say), linked to the transport's context when there is
// one; else the span already in the request's context (an otelhttp
// handler's, say); else the context of the HTTP request's headers. The
// propagator is W3C Trace Context and Baggage unless WithPropagator says
// otherwise.
//
// # Decisions
//
// Every decision (runtime.Decision) is recorded on the span of its
// request, if that span records: as the attributes mcp.authz.allowed,
// mcp.authz.rule, mcp.authz.rule.layer (and mcp.authz.list.visible and
// mcp.authz.list.hidden for a list), and as an event named
// "mcp.authz.decision" at the decision's time carrying every attribute of
// the decision, with the keys of package authz (authz.AttrAllowed,
// authz.AttrRule, ...; mcp.authz.duration in seconds, as a double). A request refused at the HTTP layer (401, 403,
// 503) has no MCP span: its decision goes to the span of the HTTP request,
// if the handler is instrumented (otelhttp), and to the counter.
//
// # Metrics
//
// The counter "mcp.authz.decisions" (unit "{decision}") counts decisions
// with the attributes mcp.authz.outcome ("allowed" or "denied"),
// mcp.authz.component.kind, mcp.method.name and mcp.authz.rule.layer
// (each left out when empty). A method MCP does not define is counted as
// "_OTHER" (authz.RecordedMethod), so that clients cannot add series by
// making methods up.
package otelmcp

import (
	"context"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// ScopeName is the instrumentation scope of the tracer and meter.
const ScopeName = "github.com/mcpauthgen/mcpauthgen/runtime/otelmcp"

// Names of what the package records.
const (
	DecisionEvent   = "mcp.authz.decision"  // the span event of a decision
	DecisionCounter = "mcp.authz.decisions" // the counter of decisions
	AttrOutcome     = "mcp.authz.outcome"   // the counter's outcome: allowed, denied
)

// Option configures New.
type Option func(*config)

type config struct {
	tp         trace.TracerProvider
	mp         metric.MeterProvider
	propagator propagation.TextMapPropagator
}

// WithTracerProvider sets the tracer provider; by default the global one
// (otel.GetTracerProvider).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets the meter provider; by default the global one
// (otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// WithPropagator sets how trace context is read from params._meta and
// HTTP headers; by default W3C Trace Context and Baggage.
func WithPropagator(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.propagator = p }
}

// Telemetry reports a server's requests and decisions. Its Options install
// it on a server; StartRequest and Decided are the hooks they add.
type Telemetry struct {
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator
	decisions  metric.Int64Counter
}

// New returns the telemetry of one or more servers. It fails only when the
// meter provider refuses the counter.
func New(opts ...Option) (*Telemetry, error) {
	c := config{}
	for _, opt := range opts {
		opt(&c)
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	if c.propagator == nil {
		c.propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	}
	counter, err := c.mp.Meter(ScopeName).Int64Counter(DecisionCounter,
		metric.WithDescription("Authorization decisions of MCP requests, by outcome and component kind."),
		metric.WithUnit("{decision}"))
	if err != nil {
		return nil, err
	}
	return &Telemetry{tracer: c.tp.Tracer(ScopeName), propagator: c.propagator, decisions: counter}, nil
}

// Options are the server options that install t: a request hook
// (StartRequest) and a decision hook (Decided).
func (t *Telemetry) Options() []runtime.Option {
	return []runtime.Option{runtime.WithRequestHook(t.StartRequest), runtime.WithDecisionHook(t.Decided)}
}

// StartRequest starts the server span of req; its end function ends it
// with the request's outcome. It is a runtime.RequestHook.
func (t *Telemetry) StartRequest(ctx context.Context, req runtime.Request) (context.Context, func(runtime.Outcome)) {
	parent := ctx
	if !trace.SpanContextFromContext(ctx).IsValid() && req.Header != nil {
		parent = t.propagator.Extract(ctx, propagation.HeaderCarrier(req.Header))
	}
	var links []trace.Link
	if carrier := metaCarrier(req.Meta); carrier != nil {
		fromMeta := t.propagator.Extract(ctx, carrier)
		if sc := trace.SpanContextFromContext(fromMeta); sc.IsValid() && !sc.Equal(trace.SpanContextFromContext(parent)) {
			if transport := trace.SpanContextFromContext(parent); transport.IsValid() {
				links = append(links, trace.Link{SpanContext: transport})
			}
			parent = fromMeta
		}
	}

	name := authz.RecordedMethod(req.Method) // a made-up method can be megabytes long
	attrs := []attribute.KeyValue{attribute.String(authz.AttrMethod, name)}
	target := authz.RecordedName(req.Name) // a name the server does not have can be megabytes long
	switch req.Method {
	case "tools/call":
		name += " " + target
		attrs = append(attrs, attribute.String("gen_ai.tool.name", target), attribute.String("gen_ai.operation.name", "execute_tool"))
	case "prompts/get":
		name += " " + target
		attrs = append(attrs, attribute.String("gen_ai.prompt.name", target))
	}
	uri := authz.RecordedURI(req.URI)
	if uri != "" {
		attrs = append(attrs, attribute.String("mcp.resource.uri", uri))
	}
	if req.ID != "" {
		attrs = append(attrs, attribute.String("jsonrpc.request.id", req.ID))
	}
	if req.SessionID != "" {
		// Taken from the header when the request is in no session yet.
		attrs = append(attrs, attribute.String(authz.AttrSessionID, authz.RecordedSessionID(req.SessionID)))
	}
	if v := protocolVersion(req); v != "" {
		attrs = append(attrs, attribute.String("mcp.protocol.version", v))
	}
	if req.Header != nil {
		attrs = append(attrs, attribute.String("network.transport", "tcp"), attribute.String("network.protocol.name", "http"))
	}
	ctx, span := t.tracer.Start(parent, name,
		trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...), trace.WithLinks(links...))
	return ctx, func(out runtime.Outcome) {
		switch {
		case out.Code != 0:
			code := strconv.Itoa(out.Code)
			span.SetAttributes(attribute.String("error.type", code), attribute.String("rpc.response.status_code", code))
			msg := out.Message
			// The error names the name or URI as the client sent it.
			if uri != req.URI {
				msg = strings.ReplaceAll(msg, req.URI, uri)
			}
			if target != req.Name {
				msg = strings.ReplaceAll(msg, req.Name, target)
			}
			span.SetStatus(codes.Error, msg)
		case out.ToolError:
			span.SetAttributes(attribute.String("error.type", "tool_error"))
			span.SetStatus(codes.Error, "tool_error")
		}
		span.End()
	}
}

// protocolVersion is the MCP protocol version of req: its HTTP header, or
// the one a 2026-07-28 request carries in _meta.
func protocolVersion(req runtime.Request) string {
	if req.Header != nil {
		if v := req.Header.Get("Mcp-Protocol-Version"); v != "" {
			return v
		}
	}
	v, _ := req.Meta["io.modelcontextprotocol/protocolVersion"].(string)
	return v
}

// metaCarrier reads the string members of params._meta as a propagation
// carrier (traceparent, tracestate, baggage); nil when there are none.
func metaCarrier(meta map[string]any) propagation.MapCarrier {
	var c propagation.MapCarrier
	for _, k := range []string{"traceparent", "tracestate", "baggage"} {
		if v, ok := meta[k].(string); ok {
			if c == nil {
				c = propagation.MapCarrier{}
			}
			c[k] = v
		}
	}
	return c
}

// Decided records d on the span of its request and counts it. It is a
// runtime.DecisionHook.
func (t *Telemetry) Decided(ctx context.Context, d runtime.Decision) {
	outcome := "denied"
	if d.Allowed {
		outcome = "allowed"
	}
	counted := make([]attribute.KeyValue, 0, 4)
	counted = append(counted, attribute.String(AttrOutcome, outcome))
	if kind := authz.KindLabel(d.Kind); kind != "" {
		counted = append(counted, attribute.String(authz.AttrKind, kind))
	}
	if d.Method != "" {
		counted = append(counted, attribute.String(authz.AttrMethod, authz.RecordedMethod(d.Method)))
	}
	if d.Rule.Layer != 0 {
		counted = append(counted, attribute.String(authz.AttrLayer, d.Rule.Layer.String()))
	}
	t.decisions.Add(ctx, 1, metric.WithAttributes(counted...))

	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	list := isList(d.Method)
	summary := []attribute.KeyValue{attribute.Bool(authz.AttrAllowed, d.Allowed)}
	if d.Rule.Layer != 0 {
		summary = append(summary, attribute.String(authz.AttrLayer, d.Rule.Layer.String()))
		if d.Rule.Text != "" {
			summary = append(summary, attribute.String(authz.AttrRule, d.Rule.Text))
		}
	}
	if list {
		summary = append(summary, attribute.Int(authz.AttrVisible, d.Visible), attribute.Int(authz.AttrHidden, d.Hidden))
	}
	span.SetAttributes(summary...)
	span.AddEvent(DecisionEvent, trace.WithTimestamp(d.Time), trace.WithAttributes(decisionAttrs(d, list)...))
}

// decisionAttrs are every attribute of d, as LogDecisions writes them
// (empty strings left out).
func decisionAttrs(d runtime.Decision, list bool) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 16)
	str := func(key, value string) {
		if value != "" {
			attrs = append(attrs, attribute.String(key, value))
		}
	}
	str(authz.AttrMethod, d.Method)
	attrs = append(attrs, attribute.Bool(authz.AttrAllowed, d.Allowed))
	str(authz.AttrKind, authz.KindLabel(d.Kind))
	str(authz.AttrName, d.Name)
	str(authz.AttrURI, d.URI)
	if d.Target != d.Name {
		str(authz.AttrTarget, d.Target)
	}
	str(authz.AttrSubject, d.Subject)
	str(authz.AttrClientID, d.ClientID)
	str(authz.AttrSessionID, d.SessionID)
	if d.Status != 0 {
		attrs = append(attrs, attribute.Int(authz.AttrStatus, d.Status))
	}
	if list {
		attrs = append(attrs, attribute.Int(authz.AttrVisible, d.Visible), attribute.Int(authz.AttrHidden, d.Hidden))
	}
	if r := d.Rule; r.Layer != 0 {
		attrs = append(attrs, attribute.String(authz.AttrLayer, r.Layer.String()))
		str(authz.AttrRule, r.Text)
		if r.Layer == authz.LayerMiddleware {
			attrs = append(attrs, attribute.Int(authz.AttrMiddleware, r.Middleware))
		}
		if r.Layer == authz.LayerComponent || r.Layer == authz.LayerMiddleware || r.Layer == authz.LayerCall {
			attrs = append(attrs, attribute.Int(authz.AttrCheck, r.Check))
		}
		if r.Failed {
			attrs = append(attrs, attribute.Bool(authz.AttrFailed, true))
		}
	}
	if len(d.Rule.Policies) > 0 {
		attrs = append(attrs, attribute.StringSlice(authz.AttrPolicies, d.Rule.Policies))
	}
	attrs = append(attrs, attribute.Float64(authz.AttrDuration, d.Duration.Seconds()))
	return attrs
}

func isList(method string) bool {
	switch method {
	case "tools/list", "prompts/list", "resources/list", "resources/templates/list":
		return true
	}
	return false
}
