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
