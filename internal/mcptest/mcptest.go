// Package mcptest drives a runtime.Server in tests the way a remote client
// would, through runtimetest's in-process client, as a given caller.
package mcptest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

// Client is an initialized in-process client of one server.
type Client struct {
	t    testing.TB
	c    *client.Client
	caps mcp.ServerCapabilities
}

// Start starts and initializes an in-process client of srv (protocol
// 2025-11-25), closed when the test ends.
func Start(t testing.TB, srv *runtime.Server) (*client.Client, mcp.ServerCapabilities) {
	t.Helper()
	c := runtimetest.NewClient(srv)
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	init.Params.ClientInfo = mcp.Implementation{Name: "mcptest", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	return c, res.Capabilities
}

// Connect starts an in-process client of srv for the test.
func Connect(t testing.TB, srv *runtime.Server) *Client {
	t.Helper()
	c, caps := Start(t, srv)
	return &Client{t: t, c: c, caps: caps}
}

// Token returns a token with the given client ID and scopes.
func Token(clientID string, scopes ...string) *runtime.AccessToken {
	return &runtime.AccessToken{Token: clientID + "-token", ClientID: clientID, Scopes: scopes}
}

// As returns a context acting as tok (nil: no token).
func As(tok *runtime.AccessToken) context.Context {
	return runtime.ContextWithAccessToken(context.Background(), tok)
}

// Visible lists, sorted, the names of the tools, the URIs of the resources
// and templates, and the names of the prompts tok sees.
func (c *Client) Visible(tok *runtime.AccessToken) (tools, resources, templates, prompts []string) {
	c.t.Helper()
	ctx := As(tok)
	tools, resources, templates, prompts = []string{}, []string{}, []string{}, []string{}
	// A server lists only the kinds it declares.
	if c.caps.Tools != nil {
		tl, err := c.c.ListTools(ctx, mcp.ListToolsRequest{})
		if err != nil {
			c.t.Fatal(err)
		}
		for _, x := range tl.Tools {
			tools = append(tools, x.Name)
		}
	}
	if c.caps.Resources != nil {
		rl, err := c.c.ListResources(ctx, mcp.ListResourcesRequest{})
		if err != nil {
			c.t.Fatal(err)
		}
		for _, x := range rl.Resources {
			resources = append(resources, x.URI)
		}
		tm, err := c.c.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
		if err != nil {
			c.t.Fatal(err)
		}
		for _, x := range tm.ResourceTemplates {
			templates = append(templates, x.URITemplate.Raw())
		}
	}
	if c.caps.Prompts != nil {
		pl, err := c.c.ListPrompts(ctx, mcp.ListPromptsRequest{})
		if err != nil {
			c.t.Fatal(err)
		}
		for _, x := range pl.Prompts {
			prompts = append(prompts, x.Name)
		}
	}
	slices.Sort(tools)
	slices.Sort(resources)
	slices.Sort(templates)
	slices.Sort(prompts)
	return tools, resources, templates, prompts
}

// Tools lists the names of the tools tok sees, sorted.
func (c *Client) Tools(tok *runtime.AccessToken) []string {
	c.t.Helper()
	tools, _, _, _ := c.Visible(tok)
	return tools
}

// Call calls a tool as tok and returns its text, whether the result is an
// error result, and a protocol error if the call was refused.
func (c *Client) Call(tok *runtime.AccessToken, name string, args map[string]any) (text string, isError bool, err error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.c.CallTool(As(tok), req)
	if err != nil {
		return "", false, err
	}
	return contentText(res.Content), res.IsError, nil
}

// Structured calls a tool as tok and returns its structured content as
// JSON.
func (c *Client) Structured(tok *runtime.AccessToken, name string, args map[string]any) (string, error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.c.CallTool(As(tok), req)
	if err != nil {
		return "", err
	}
	if res.IsError {
		return "", fmt.Errorf("tool error: %s", contentText(res.Content))
	}
	b, err := json.Marshal(res.StructuredContent)
	return string(b), err
}

// Read reads a resource as tok and returns its text.
func (c *Client) Read(tok *runtime.AccessToken, uri string) (string, error) {
	req := mcp.ReadResourceRequest{}
	req.Params.URI = uri
	res, err := c.c.ReadResource(As(tok), req)
	if err != nil {
		return "", err
	}
	var out string
	for _, content := range res.Contents {
		switch x := content.(type) {
		case mcp.TextResourceContents:
			out += x.Text
		case mcp.BlobResourceContents:
			out += x.Blob
		}
	}
	return out, nil
}

// Prompt gets a prompt as tok and returns the text of its messages.
func (c *Client) Prompt(tok *runtime.AccessToken, name string, args map[string]string) (string, error) {
	req := mcp.GetPromptRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.c.GetPrompt(As(tok), req)
	if err != nil {
		return "", err
	}
	var out string
	for _, m := range res.Messages {
		out += contentText([]mcp.Content{m.Content})
	}
	return out, nil
}

func contentText(contents []mcp.Content) string {
	var out string
	for _, c := range contents {
		if tc, ok := c.(mcp.TextContent); ok {
			out += tc.Text
		}
	}
	return out
}

// ErrorContains reports whether err is an error whose text contains want.
func ErrorContains(err error, want string) bool {
	return err != nil && strings.Contains(err.Error(), want)
}
