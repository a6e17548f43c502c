package gosdkbasic

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// AdminPrompt helps administrators.
//
//mcp:prompt auth=scopes(admin)
func AdminPrompt(ctx context.Context, topic string, style *string) (string, error) {
	s := "plain"
	if style != nil {
		s = *style
	}
	return "Explain " + topic + " in a " + s + " style.", nil
}

// ReviewArgs are review's arguments.
type ReviewArgs struct {
	// Code is the code to review.
	Code     string  `json:"code"`
	Language *string `json:"language"`
}

//mcp:prompt name=review description="Review some code." title=Review
func ReviewPrompt(args ReviewArgs) ([]*mcp.PromptMessage, error) {
	return []*mcp.PromptMessage{
		{Role: "user", Content: &mcp.TextContent{Text: "Review: " + args.Code}},
	}, nil
}
