// Package backends holds the mistakes of a package on the go-sdk backend:
// the other SDK's result types, a second //mcp:backend line, a call
// check that does not bind, misspelt names given to the built-in checks
// inside check(…), and values that are no checks (named in gosdk's terms).
package backends

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

//mcp:backend gosdk

// Fine returns the go-sdk's result.
//
//mcp:tool
func Fine(ctx context.Context) (*sdk.CallToolResult, error) { return nil, nil }

// Wrong returns mcp-go's result.
//
//mcp:tool
func Wrong(ctx context.Context) (*mcp.CallToolResult, error) { return nil, nil }

// WrongPrompt returns mcp-go's messages.
//
//mcp:prompt
func WrongPrompt() ([]mcp.PromptMessage, error) { return nil, nil }

// WrongResource returns mcp-go's contents.
//
//mcp:resource uri=x://y
func WrongResource() ([]mcp.ResourceContents, error) { return nil, nil }

// WrongValue returns a go-sdk type that is no tool result.
//
//mcp:tool
func WrongValue() (*sdk.Tool, error) { return nil, nil }

// WrongArg takes a go-sdk request.
//
//mcp:tool
func WrongArg(req *sdk.CallToolRequest) (string, error) { return "", nil }

//mcp:backend mcpgo

// Target is what Move moves.
type Target struct {
	To string `json:"to"`
}

// Move takes a call check, bound on this backend as on mcp-go: here to
// an input of the wrong type.
//
//mcp:tool auth=check(allowedTarget)
func Move(in Target) (string, error) { return in.To, nil }

func allowedTarget(ac gosdk.AuthContext, to *string) bool { return to != nil }

//mcp:scopes read
//mcp:roles editor
//mcp:tags admin

// Vocab misspells a scope, a tag and a role given to gosdk's built-in
// checks: the vocabularies hold inside check(…) on this backend too.
//
//mcp:tool auth=check(gosdk.RequireScopes("raed")),check(gosdk.RestrictTag("admn","read")),check(gosdk.RequireRoles("edtor"))
func Vocab() (string, error) { return "", nil }

// pointerChecker is a Checker only through its pointer.
type pointerChecker struct{}

func (*pointerChecker) Check(context.Context, gosdk.AuthContext) (bool, error) { return true, nil }

// Pointer names the value where the pointer is the Checker.
//
//mcp:tool auth=check(pointerChecker{})
func Pointer() (string, error) { return "", nil }

// NotACheck names a function of no check's shape.
//
//mcp:tool auth=check(strings.ToUpper)
func NotACheck() (string, error) { return "", nil }
