package runtime

import (
	"context"
	"maps"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// sessionView is the client session as one request sees it. mcp-go looks
// up resources, resource templates and tools in the request's session
// before its shared registry, so a view listing only what the request may
// see makes mcp-go list, read and answer "not found" exactly as it does for
// components that do not exist: the answer is mcp-go's own, in the
// request's protocol version. The view is installed for resources/list,
// resources/templates/list, resources/read and denied tool calls only;
// handlers run with the original session (see restoreSession).
type sessionView struct {
	server.ClientSession // the request's own session; may be nil

	resources map[string]server.ServerResource
	templates map[string]server.ServerResourceTemplate
	tools     map[string]server.ServerTool
}

// withView installs a view of the request's session that adds resources,
// templates and tools to the session's own.
func (s *Server) withView(ctx context.Context, resources map[string]server.ServerResource, templates map[string]server.ServerResourceTemplate, tools map[string]server.ServerTool) context.Context {
	orig := server.ClientSessionFromContext(ctx)
	v := &sessionView{ClientSession: orig, resources: resources, templates: templates, tools: tools}
	if o, ok := orig.(server.SessionWithResources); ok {
		v.resources = merged(o.GetSessionResources(), resources)
	}
	if o, ok := orig.(server.SessionWithResourceTemplates); ok {
		v.templates = merged(o.GetSessionResourceTemplates(), templates)
	}
	if o, ok := orig.(server.SessionWithTools); ok {
		v.tools = merged(o.GetSessionTools(), tools)
	}
	return s.mcp.WithContext(ctx, v)
}

// merged returns the session's own entries overlaid with the runtime's,
// without modifying either.
func merged[V any](own, add map[string]V) map[string]V {
	if len(own) == 0 {
		return add
	}
	out := maps.Clone(own)
	maps.Copy(out, add)
	return out
}

func (v *sessionView) SessionID() string {
	if v.ClientSession == nil {
		return ""
	}
	return v.ClientSession.SessionID()
}

func (v *sessionView) Initialized() bool {
	return v.ClientSession != nil && v.ClientSession.Initialized()
}

func (v *sessionView) Initialize() {
	if v.ClientSession != nil {
		v.ClientSession.Initialize()
	}
}

func (v *sessionView) NotificationChannel() chan<- mcp.JSONRPCNotification {
	if v.ClientSession == nil {
		return nil
	}
	return v.ClientSession.NotificationChannel()
}

func (v *sessionView) GetSessionResources() map[string]server.ServerResource { return v.resources }

func (v *sessionView) SetSessionResources(m map[string]server.ServerResource) {
	if o, ok := v.ClientSession.(server.SessionWithResources); ok {
		o.SetSessionResources(m)
	}
}

func (v *sessionView) GetSessionResourceTemplates() map[string]server.ServerResourceTemplate {
	return v.templates
}

func (v *sessionView) SetSessionResourceTemplates(m map[string]server.ServerResourceTemplate) {
	if o, ok := v.ClientSession.(server.SessionWithResourceTemplates); ok {
		o.SetSessionResourceTemplates(m)
	}
}

func (v *sessionView) GetSessionTools() map[string]server.ServerTool { return v.tools }

func (v *sessionView) SetSessionTools(m map[string]server.ServerTool) {
	if o, ok := v.ClientSession.(server.SessionWithTools); ok {
		o.SetSessionTools(m)
	}
}

// ProtocolVersion forwards the negotiated protocol version, which decides
// the error code of a missing resource; "" is what mcp-go assumes for a
// session that does not record one.
func (v *sessionView) ProtocolVersion() string {
	if o, ok := v.ClientSession.(server.SessionWithProtocolVersion); ok {
		return o.ProtocolVersion()
	}
	return ""
}

func (v *sessionView) GetClientInfo() mcp.Implementation {
	if o, ok := v.ClientSession.(server.SessionWithClientInfo); ok {
		return o.GetClientInfo()
	}
	return mcp.Implementation{}
}

func (v *sessionView) SetClientInfo(info mcp.Implementation) {
	if o, ok := v.ClientSession.(server.SessionWithClientInfo); ok {
		o.SetClientInfo(info)
	}
}

func (v *sessionView) GetClientCapabilities() mcp.ClientCapabilities {
	if o, ok := v.ClientSession.(server.SessionWithClientInfo); ok {
		return o.GetClientCapabilities()
	}
	return mcp.ClientCapabilities{}
}

func (v *sessionView) SetClientCapabilities(c mcp.ClientCapabilities) {
	if o, ok := v.ClientSession.(server.SessionWithClientInfo); ok {
		o.SetClientCapabilities(c)
	}
}
