package authz

import (
	"strconv"
	"unicode/utf8"
)

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
	case "initialize", "ping", "server/discover",
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

// Bounds of the names and URIs a record takes from a client's request.
// A tool or prompt name is recorded as the client sent it, and a resource
// template such as files://{+path} matches a URI of any length (bounded
// only by the size of a request body, 4 MiB on both runtimes): without a
// bound, one request could write megabytes into a decision, each log line
// and span made of it. MaxRecordedName is twice the 128 characters MCP
// asks tool names to stay within; MaxRecordedURI is the 2 KiB that URLs
// are commonly held to.
const (
	MaxRecordedName = 256
	MaxRecordedURI  = 2048
)

// RecordedName is a tool or prompt name as a record holds it: name when it
// has at most MaxRecordedName bytes, else cut as Truncate says.
func RecordedName(name string) string {
	return Truncate(name, MaxRecordedName)
}

// RecordedURI is a resource URI as a record holds it: redacted
// (RedactURI), then cut to MaxRecordedURI bytes as Truncate says.
// Redacting first matters: a password that runs past the cut is still
// found by the "@" that ends it.
func RecordedURI(uri string) string {
	return Truncate(RedactURI(uri), MaxRecordedURI)
}

// Truncate returns s when it has at most max bytes (the common case,
// without allocating); else its first max bytes or fewer, cut at the
// start of a UTF-8 sequence so that no character is split, followed by
// "…[N bytes truncated]", where N is how many bytes were cut:
//
//	files://docs/aaaa…[1046541 bytes truncated]
//
// The marker makes the cut visible, and a value so cut is longer than max,
// which a value recorded whole never is: a name a client sends cannot
// pass for a cut one. In a string that is not valid UTF-8, the cut moves
// back at most three bytes.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return truncate(s, max)
}

// truncate is Truncate of a string longer than max, apart so that
// Truncate is inlined.
func truncate(s string, max int) string {
	cut := max
	for back := 0; cut > 0 && back < utf8.UTFMax-1 && !utf8.RuneStart(s[cut]); back++ {
		cut--
	}
	return s[:cut] + "…[" + strconv.Itoa(len(s)-cut) + " bytes truncated]"
}
