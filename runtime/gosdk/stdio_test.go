package gosdk_test

import (
	"context"
	"errors"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestStdioSkipsChecks checks that a stdio server shows and serves
// everything, as FastMCP does, and then refuses the authorized
// transports.
func TestStdioSkipsChecks(t *testing.T) {
	srv := fixture(nil)
	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.ServeAsStdio(ctx, st)
	client := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, nil)
	cs, err := client.Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tools.Tools) != 6 {
		t.Errorf("stdio lists %d tools, want all 6", len(tools.Tools))
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "admin_tool"})
	if err != nil || res.IsError || res.Content[0].(*mcp.TextContent).Text != "admin_tool for anonymous" {
		t.Errorf("admin_tool on stdio: %+v %v", res, err)
	}
	read, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "users://3/profile"})
	if err != nil || read.Contents[0].Text != "user_profile users://3/profile for anonymous" {
		t.Errorf("template on stdio: %+v %v", read, err)
	}
	if _, err := srv.Connect(ctx, nil, nil); err == nil || !errors.Is(err, gosdk.ErrTransportTaken) {
		t.Errorf("Connect after stdio: %v", err)
	}
}

// TestConnectCarriesContextToken checks that a session connected with a
// context carrying a token acts as that token's caller, as an in-process
// test client does.
func TestConnectCarriesContextToken(t *testing.T) {
	srv := fixture(nil)
	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reader := tokens["reader-token"]
	if _, err := srv.Connect(gosdk.ContextWithAccessToken(ctx, &reader), st, nil); err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tool := range tools.Tools {
		got = append(got, tool.Name)
	}
	if !equal(got, []string{"public_tool", "read_tool", "tagged_tool", "whoami"}) {
		t.Errorf("reader's session lists %v", got)
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "whoami"})
	if err != nil || res.Content[0].(*mcp.TextContent).Text != "reader [read]" {
		t.Errorf("whoami: %+v %v", res, err)
	}
}
