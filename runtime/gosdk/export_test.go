package gosdk

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// DecodeCursor returns what a list cursor names, or "!" when it does not
// decode.
func DecodeCursor(cursor string) string {
	if cursor == "" {
		return ""
	}
	key, err := decodeCursor(cursor)
	if err != nil {
		return "!"
	}
	return key
}

var (
	UnknownTool      = unknownTool
	UnknownPrompt    = unknownPrompt
	ErrInvalidCursor = errInvalidCursor
	EncodeCursor     = encodeCursor
)

var UnknownSession = unknownSession

// ServeAsStdio serves t as ServeStdio serves standard input and output.
func (s *Server) ServeAsStdio(ctx context.Context, t mcp.Transport) error {
	return s.serveUnauthorized(ctx, t)
}

var ErrTransportTaken = errTransportTaken
