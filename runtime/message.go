package runtime

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// HandleMessage handles one JSON-RPC message of a client session through
// the runtime's request entry, as HTTPHandler does, and returns mcp-go's
// answer: a response or an error for a request, nil for a notification.
// It is the way in for a transport of one's own (package runtimetest's
// in-process client is one): register session with MCP().RegisterSession
// first, and let ctx carry the caller's token (ContextWithAccessToken), or
// none. session may be nil for a transport without sessions.
//
// It returns an error, and handles nothing, when s serves stdio: a Server
// serves either stdio or authorized transports, never both.
func (s *Server) HandleMessage(ctx context.Context, session server.ClientSession, raw json.RawMessage) (mcp.JSONRPCMessage, error) {
	if err := s.claimTransport(servedAuthorized); err != nil {
		return nil, err
	}
	if session != nil {
		ctx = s.mcp.WithContext(ctx, session)
	}
	if s.requestHooks != nil {
		var finish func()
		if ctx, finish = s.observe(ctx, raw, nil); finish != nil {
			defer finish()
		}
	}
	ctx = s.enter(ctx, methodIn(raw), func() target { return targetIn(raw) })
	return s.mcp.HandleMessage(ctx, raw), nil
}

// enteredMethods are the methods the request entry acts on.
var enteredMethods = []mcp.MCPMethod{
	mcp.MethodToolsCall,
	mcp.MethodPromptsGet,
	mcp.MethodResourcesRead,
	mcp.MethodResourcesList,
	mcp.MethodResourcesTemplatesList,
	mcp.MethodToolsList,
	mcp.MethodPromptsList,
	mcp.MethodCompletionComplete,
	mcp.MethodResourcesSubscribe,
	mcp.MethodResourcesUnsubscribe,
}

// methodIn returns the method of the JSON-RPC message raw when it is one
// the request entry acts on, else "". It reads the message as
// encoding/json (and so mcp-go) would: the last member whose key equals
// "method" without regard to case. The common message is read without
// decoding it, allocating nothing; one with escapes in a key or in the
// method is decoded. A message that is not a JSON object yields "", and
// mcp-go answers it.
func methodIn(raw []byte) string {
	method, ok := scanMethod(raw)
	if !ok {
		var head struct {
			Method string `json:"method"`
		}
		_ = json.Unmarshal(raw, &head)
		method = []byte(head.Method)
	}
	for _, m := range enteredMethods {
		if string(method) == string(m) {
			return string(m)
		}
	}
	return ""
}

// scanMethod finds the raw value of the last top-level "method" member of
// the JSON object raw. ok is false when raw needs decoding: a key or the
// value has escapes, or raw is not an object scanMethod can read.
func scanMethod(raw []byte) (method []byte, ok bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, false
	}
	i++
	for {
		i = skipSpace(raw, i)
		if i < len(raw) && raw[i] == '}' {
			return method, true
		}
		key, next, plain := scanString(raw, i)
		if next < 0 || !plain {
			return nil, false
		}
		i = skipSpace(raw, next)
		if i >= len(raw) || raw[i] != ':' {
			return nil, false
		}
		i = skipSpace(raw, i+1)
		if bytes.EqualFold(key, []byte("method")) {
			if i < len(raw) && raw[i] == '"' {
				value, next, plain := scanString(raw, i)
				if next < 0 || !plain {
					return nil, false
				}
				method, i = value, next
			} else if i = skipValue(raw, i); i < 0 {
				// Not a string: encoding/json keeps what an earlier
				// member set (null) or fails (anything else).
				return nil, false
			}
		} else if i = skipValue(raw, i); i < 0 {
			return nil, false
		}
		i = skipSpace(raw, i)
		if i < len(raw) && raw[i] == ',' {
			i++
			continue
		}
		if i < len(raw) && raw[i] == '}' {
			return method, true
		}
		return nil, false
	}
}

func skipSpace(raw []byte, i int) int {
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the string starting at raw[i] (a quote). It returns its
// content, the index after it (-1 if raw ends first), and whether the
// content has no escapes.
func scanString(raw []byte, i int) (content []byte, next int, plain bool) {
	if i >= len(raw) || raw[i] != '"' {
		return nil, -1, false
	}
	plain = true
	for j := i + 1; j < len(raw); j++ {
		switch raw[j] {
		case '\\':
			plain = false
			j++
		case '"':
			return raw[i+1 : j], j + 1, plain
		}
	}
	return nil, -1, false
}

// skipValue returns the index after the JSON value starting at raw[i], or
// -1 when raw ends first. It does not validate the value: encoding/json,
// which mcp-go decodes the message with, does.
func skipValue(raw []byte, i int) int {
	depth := 0
	for i < len(raw) {
		switch raw[i] {
		case '"':
			_, next, _ := scanString(raw, i)
			if next < 0 {
				return -1
			}
			i = next
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the end of the enclosing object
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return -1
}

// targetIn reads the name or URI, and the arguments, a JSON-RPC message targets, for the
// methods that need it. A message that does not parse yields nothing, and
// mcp-go reports the parse error itself.
func targetIn(raw []byte) target {
	var msg struct {
		Params target `json:"params"`
	}
	_ = json.Unmarshal(raw, &msg)
	msg.Params.protocol = protocolIn(raw)
	return msg.Params
}
