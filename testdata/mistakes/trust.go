// Package mistakes holds one of each mistake that used to get past the
// generator; its golden errors.txt lists what it now says.
package mistakes

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// The token is the server's, never an argument.
//
//mcp:tool auth=public
func TokenParam(ctx context.Context, tok *runtime.AccessToken) (string, error) { return "", nil }

// By value too.
//
//mcp:tool auth=public
func TokenValue(tok runtime.AccessToken) (string, error) { return "", nil }

// The auth context belongs to checks.
//
//mcp:prompt auth=public
func AuthCtx(ac runtime.AuthContext) (string, error) { return "", nil }

// The wrapper decodes the request.
//
//mcp:tool auth=public
func Request(ctx context.Context, req mcp.CallToolRequest) (string, error) { return "", nil }

// Smuggle hides a token in an input struct.
type Smuggle struct {
	Query string               `json:"query"`
	Owner *runtime.AccessToken `json:"owner"`
}

// A token inside the input struct.
//
//mcp:tool auth=public
func Smuggled(in Smuggle) (string, error) { return "", nil }

// A context inside a list argument.
//
//mcp:tool auth=public
func Contexts(ctx context.Context, all []context.Context) (string, error) { return "", nil }

// mcp-go types that are not a tool's result would be sent as JSON text.
//
//mcp:tool auth=public
func Content() (mcp.TextContent, error) { return mcp.TextContent{}, nil }

// A prompt's result from a tool.
//
//mcp:tool auth=public
func PromptFromTool() (*mcp.GetPromptResult, error) { return nil, nil }

// One contents value from a resource.
//
//mcp:resource uri=x://one auth=public
func OneContents() (mcp.TextResourceContents, error) { return mcp.TextResourceContents{}, nil }
