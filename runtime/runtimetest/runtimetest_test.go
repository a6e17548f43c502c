package runtimetest_test

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

type sampler struct{}

func (sampler) CreateMessage(context.Context, mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
	return &mcp.CreateMessageResult{SamplingMessage: mcp.SamplingMessage{Role: mcp.RoleAssistant, Content: mcp.NewTextContent("sampled")}}, nil
}

type elicitor struct{}

func (elicitor) Elicit(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"answer": "elicited"}}}, nil
}

type rooter struct{}

func (rooter) ListRoots(context.Context, mcp.ListRootsRequest) (*mcp.ListRootsResult, error) {
	return &mcp.ListRootsResult{Roots: []mcp.Root{{URI: "file:///rooted"}}}, nil
}

// TestClientHandlers: the client answers the server's sampling,
// elicitation and roots requests with the handlers it was given, as
// mcp-go's in-process client does, and without them the server learns
// that the client cannot.
func TestClientHandlers(t *testing.T) {
	srv := runtime.NewServer("handlers", "1")
	ask := func(name string, f func(ctx context.Context) (string, error)) {
		srv.AddTool(mcp.NewTool(name), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			text, err := f(ctx)
			if err != nil {
				return mcp.NewToolResultError(err.Error()), nil
			}
			return mcp.NewToolResultText(text), nil
		}, runtime.WithScopes("ask"))
	}
	ask("sample", func(ctx context.Context) (string, error) {
		//lint:ignore SA1019 sampling is deprecated from protocol 2026-07-28 on, but mcp-go's in-process transport still offers it, and so does runtimetest
		res, err := srv.MCP().RequestSampling(ctx, mcp.CreateMessageRequest{})
		if err != nil {
			return "", err
		}
		return res.Content.(mcp.TextContent).Text, nil
	})
	ask("elicit", func(ctx context.Context) (string, error) {
		req := mcp.ElicitationRequest{}
		req.Params.Message = "answer?"
		req.Params.RequestedSchema = map[string]any{"type": "object"}
		res, err := srv.MCP().RequestElicitation(ctx, req)
		if err != nil {
			return "", err
		}
		return res.Content.(map[string]any)["answer"].(string), nil
	})
	ask("roots", func(ctx context.Context) (string, error) {
		res, err := srv.MCP().RequestRoots(ctx, mcp.ListRootsRequest{})
		if err != nil {
			return "", err
		}
		return res.Roots[0].URI, nil
	})

	call := func(t *testing.T, opts []runtimetest.Option, tool string) (string, bool) {
		t.Helper()
		c := runtimetest.NewClient(srv, opts...)
		defer c.Close()
		ctx := runtime.ContextWithAccessToken(context.Background(), &runtime.AccessToken{Scopes: []string{"ask"}})
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Initialize(ctx, mcp.InitializeRequest{}); err != nil {
			t.Fatal(err)
		}
		req := mcp.CallToolRequest{}
		req.Params.Name = tool
		res, err := c.CallTool(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return res.Content[0].(mcp.TextContent).Text, res.IsError
	}
	all := []runtimetest.Option{
		runtimetest.WithSamplingHandler(sampler{}),
		runtimetest.WithElicitationHandler(elicitor{}),
		runtimetest.WithRootsHandler(rooter{}),
	}
	for tool, want := range map[string]string{"sample": "sampled", "elicit": "elicited", "roots": "file:///rooted"} {
		if got, isErr := call(t, all, tool); isErr || got != want {
			t.Errorf("%s with handlers = %q (isError %v), want %q", tool, got, isErr, want)
		}
		if got, isErr := call(t, nil, tool); !isErr {
			t.Errorf("%s without handlers = %q, want an error", tool, got)
		}
	}
}
