package runtime

import (
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
	var msg struct {
		Method string `json:"method"`
		Params target `json:"params"`
	}
	_ = json.Unmarshal(raw, &msg) // mcp-go answers a bad message itself
	ctx = s.enter(ctx, msg.Method, func() target { return msg.Params })
	return s.mcp.HandleMessage(ctx, raw), nil
}
