package errors

import "context"

// MissingParam has a URI variable without a parameter.
//
//mcp:resource uri=users://{id}/posts/{post}
func MissingParam(ctx context.Context, id string) (string, error) { return "", nil }

// ExtraParam has a parameter the URI lacks.
//
//mcp:resource uri=users://{id}
func ExtraParam(ctx context.Context, id, name string) (string, error) { return "", nil }

// IntParam binds a variable to an int.
//
//mcp:resource uri=items://{n}
func IntParam(n int) (string, error) { return "", nil }

// StaticParam is a static resource with a parameter.
//
//mcp:resource uri=static://a
func StaticParam(id string) (string, error) { return "", nil }

// SameURI reuses a URI.
//
//mcp:resource uri=static://b
func SameURI1() (string, error) { return "", nil }

// SameURI reuses a URI again.
//
//mcp:resource uri=static://b
func SameURI2() ([]byte, error) { return nil, nil }

// IntPrompt takes an int.
//
//mcp:prompt
func IntPrompt(topic string, n int) (string, error) { return "", nil }

// IntResult returns an int.
//
//mcp:prompt
func IntResult() (int, error) { return 0, nil }

// PromptArgs has a non-string field.
type PromptArgs struct {
	Topic string `json:"topic"`
	Level int    `json:"level"`
}

// StructPrompt takes PromptArgs.
//
//mcp:prompt
func StructPrompt(args PromptArgs) (string, error) { return "", nil }
