package authz

// OtherMethod is how a method MCP does not define is recorded, as the
// OpenTelemetry semantic conventions record an HTTP method they do not
// know.
const OtherMethod = "_OTHER"

// RecordedMethod is method as a record made of a client's request holds
// it: a method MCP defines, else OtherMethod. A request refused before
// its method is checked (one naming another principal's session) carries
// whatever method the client sent, as long as the request body allows; a
// record, or a metric label, taken from it as is would let a client write
// megabytes into every log line, or grow a counter's series without bound.
func RecordedMethod(method string) string {
	switch method {
	case "initialize", "ping",
		"tools/list", "tools/call",
		"prompts/list", "prompts/get",
		"resources/list", "resources/templates/list", "resources/read",
		"resources/subscribe", "resources/unsubscribe", "subscriptions/listen",
		"completion/complete", "logging/setLevel",
		"sampling/createMessage", "elicitation/create", "roots/list",
		"tasks/get", "tasks/list", "tasks/result", "tasks/cancel",
		"notifications/initialized", "notifications/cancelled", "notifications/progress",
		"notifications/roots/list_changed":
		return method
	}
	return OtherMethod
}

// OtherSessionID is how a session ID that no session ID can be is
// recorded.
const OtherSessionID = "_OTHER"

// MaxRecordedSessionID bounds the session IDs a record takes from a
// client's header: well above what either runtime issues (38 bytes on
// mcp-go, 26 on the go-sdk unless ServerOptions.GetSessionID says
// otherwise).
const MaxRecordedSessionID = 256

// RecordedSessionID is the Mcp-Session-Id header id as a record of a
// request refused before its session was checked holds it (a request
// refused for its token, or answered with a scope challenge): id when it
// could be a session ID (visible ASCII, as MCP requires, and at most
// MaxRecordedSessionID bytes), else OtherSessionID. Without the bound, a
// request without a token could write a megabyte into each log line.
func RecordedSessionID(id string) string {
	if len(id) > MaxRecordedSessionID {
		return OtherSessionID
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return OtherSessionID
		}
	}
	return id
}
