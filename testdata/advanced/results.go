package advanced

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"
)

// The result shapes of mcp-go by value, pointers to strings and resource
// contents: each is sent as the result it is, never as JSON text.

// FullResult returns a whole tool result by value.
//
//mcp:tool auth=public
func FullResult(ctx context.Context, mode string) (mcp.CallToolResult, error) {
	return mcp.CallToolResult{Content: []mcp.Content{mcp.NewTextContent("full " + mode)}}, nil
}

// MaybeText returns text or nothing; nothing is empty text.
//
//mcp:tool auth=public
func MaybeText(some bool) (*string, error) {
	if !some {
		return nil, nil
	}
	s := "some"
	return &s, nil
}

// MaybeNote is text or nothing, as a resource.
//
//mcp:resource uri=notes://maybe/{which} auth=public
func MaybeNote(which string) (*string, error) {
	if which == "none" {
		return nil, nil
	}
	return &which, nil
}

// Contents returns its own resource contents.
//
//mcp:resource uri=contents://two auth=public
func Contents(ctx context.Context) ([]mcp.ResourceContents, error) {
	return []mcp.ResourceContents{
		mcp.TextResourceContents{URI: "contents://two#a", MIMEType: "text/markdown", Text: "# a"},
		mcp.TextResourceContents{URI: "contents://two#b", MIMEType: "text/plain", Text: "b"},
	}, nil
}

// WholePrompt returns a whole prompt result by value.
//
//mcp:prompt auth=public
func WholePrompt(topic string) (mcp.GetPromptResult, error) {
	return mcp.GetPromptResult{
		Description: "about " + topic,
		Messages:    []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleAssistant, mcp.NewTextContent(topic))},
	}, nil
}

// MaybePrompt is text or nothing, as a prompt.
//
//mcp:prompt auth=public
func MaybePrompt(topic *string) (*string, error) { return topic, nil }

// Found is a structured result.
type Found struct {
	Name string `json:"name"`
}

// MaybeFound returns a pointer: nil is JSON null.
//
//mcp:tool auth=public
func MaybeFound(some bool) (*Found, error) {
	if !some {
		return nil, nil
	}
	return &Found{Name: "x"}, nil
}
