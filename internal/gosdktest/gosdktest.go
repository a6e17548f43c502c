// Package gosdktest drives a gosdk.Server in tests the way a remote client
// would, through the go-sdk's own client over its in-memory transports, as
// a given caller: each token gets a session whose requests carry it.
package gosdktest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// Client connects to one server, one session per caller.
type Client struct {
	t        testing.TB
	srv      *gosdk.Server
	sessions map[*gosdk.AccessToken]*mcp.ClientSession
}

// Connect returns a client of srv; its sessions close when the test ends.
func Connect(t testing.TB, srv *gosdk.Server) *Client {
	return &Client{t: t, srv: srv, sessions: map[*gosdk.AccessToken]*mcp.ClientSession{}}
}

// Token returns a token of client with scopes.
func Token(client string, scopes ...string) *gosdk.AccessToken {
	return &gosdk.AccessToken{Token: client + "-token", ClientID: client, Scopes: scopes}
}

// As returns the session of the caller with tok (nil: no token).
func (c *Client) As(tok *gosdk.AccessToken) *mcp.ClientSession {
	c.t.Helper()
	if cs, ok := c.sessions[tok]; ok {
		return cs
	}
	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	c.t.Cleanup(cancel)
	if _, err := c.srv.Connect(gosdk.ContextWithAccessToken(ctx, tok), st, nil); err != nil {
		c.t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "gosdktest", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { cs.Close() })
	c.sessions[tok] = cs
	return cs
}

// Tools lists the names of the tools tok sees, in list order.
func (c *Client) Tools(tok *gosdk.AccessToken) []string {
	tools, _, _, _ := c.Visible(tok)
	return tools
}

// Visible lists what tok sees: tools, resources, resource templates and
// prompts, each by name (URI, URI template), every page.
func (c *Client) Visible(tok *gosdk.AccessToken) (tools, resources, templates, prompts []string) {
	c.t.Helper()
	ctx, cs := context.Background(), c.As(tok)
	tools, resources, templates, prompts = []string{}, []string{}, []string{}, []string{}
	for t, err := range cs.Tools(ctx, nil) {
		c.check(err)
		tools = append(tools, t.Name)
	}
	if init := cs.InitializeResult(); init.Capabilities.Resources != nil {
		for r, err := range cs.Resources(ctx, nil) {
			c.check(err)
			resources = append(resources, r.URI)
		}
		for r, err := range cs.ResourceTemplates(ctx, nil) {
			c.check(err)
			templates = append(templates, r.URITemplate)
		}
	}
	if init := cs.InitializeResult(); init.Capabilities.Prompts != nil {
		for p, err := range cs.Prompts(ctx, nil) {
			c.check(err)
			prompts = append(prompts, p.Name)
		}
	}
	return tools, resources, templates, prompts
}

func (c *Client) check(err error) {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
}

// Call calls a tool as tok and returns the text of its first content and
// whether it is flagged isError, or the protocol error.
func (c *Client) Call(tok *gosdk.AccessToken, name string, args map[string]any) (string, bool, error) {
	res, err := c.As(tok).CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		return "", false, err
	}
	if len(res.Content) == 0 {
		return "", res.IsError, nil
	}
	text, _ := res.Content[0].(*mcp.TextContent)
	if text == nil {
		return "", res.IsError, errors.New("first content is not text")
	}
	return text.Text, res.IsError, nil
}

// Read reads a resource as tok and returns the text of its first content.
func (c *Client) Read(tok *gosdk.AccessToken, uri string) (string, error) {
	res, err := c.As(tok).ReadResource(context.Background(), &mcp.ReadResourceParams{URI: uri})
	if err != nil {
		return "", err
	}
	return res.Contents[0].Text, nil
}

// Prompt gets a prompt as tok and returns the text of its first message.
func (c *Client) Prompt(tok *gosdk.AccessToken, name string, args map[string]string) (string, error) {
	res, err := c.As(tok).GetPrompt(context.Background(), &mcp.GetPromptParams{Name: name, Arguments: args})
	if err != nil {
		return "", err
	}
	text, _ := res.Messages[0].Content.(*mcp.TextContent)
	if text == nil {
		return "", errors.New("first message is not text")
	}
	return text.Text, nil
}

// ErrorContains reports whether err's text contains want.
func ErrorContains(err error, want string) bool {
	return err != nil && strings.Contains(err.Error(), want)
}
