package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// generateAndVet writes files into a module that requires this repository
// (its go.mod and go.sum, under another module path), generates it, writes
// the one generated file, and runs go vet, then args (such as "test") when
// given, on it. It returns the generated file.
func generateAndVet(t *testing.T, files map[string]string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	root, _ := filepath.Abs("..")
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mod := strings.Replace(string(gomod), "module github.com/mcpauthgen/mcpauthgen", "module example.com/m", 1) +
		"\nrequire github.com/mcpauthgen/mcpauthgen v0.0.0\n\nreplace github.com/mcpauthgen/mcpauthgen => " + root + "\n"
	all := map[string]string{"go.mod": mod, "go.sum": string(gosum)}
	for name, src := range files {
		all[name] = src
	}
	for name, src := range all {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	gen, err := Generate(Config{Dir: dir}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if len(gen) != 1 {
		t.Fatalf("got %d files, want 1", len(gen))
	}
	if err := os.WriteFile(gen[0].Path, gen[0].Content, 0o666); err != nil {
		t.Fatal(err)
	}
	for _, cmdArgs := range [][]string{{"vet", "./..."}, append(args, "./...")} {
		if len(cmdArgs) == 1 {
			continue
		}
		cmd := exec.Command("go", cmdArgs...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s\ngenerated:\n%s", strings.Join(cmdArgs, " "), err, out, gen[0].Content)
		}
	}
	return string(gen[0].Content)
}

// TestGoSDKCallChecks generates testdata/advanced's call checks (every
// binding: named parameters out of order, a factory, an input struct by
// value for a handler that takes a pointer, an optional prompt argument, a
// check named like a generated local) and a template's on the go-sdk
// backend, and runs a test of the module against the generated server:
// the checks run in the order written, on the decoded arguments, and
// answer as SPEC section 7 says.
func TestGoSDKCallChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a module")
	}
	calls, err := os.ReadFile("../testdata/advanced/calls.go")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(calls), `. "github.com/mcpauthgen/mcpauthgen/runtime"`, `. "github.com/mcpauthgen/mcpauthgen/runtime/gosdk"`, 1)
	src = strings.Replace(src, "package advanced\n", "package bank\n\n//mcp:backend gosdk\n", 1)
	gen := generateAndVet(t, map[string]string{
		"bank/calls.go": src,
		"bank/template.go": `package bank

import "github.com/mcpauthgen/mcpauthgen/runtime/gosdk"

func ownAccount(ac gosdk.AuthContext, id string) bool { return ac.Token != nil && id == ac.Token.ClientID }

// Account is one account.
//
//mcp:resource uri=accounts://{id} auth=check(ownAccount)
func Account(id string) (string, error) { return "account " + id, nil }
`,
		"bank/bank_test.go": bankTest,
	}, "test")
	for _, want := range []string{
		"gosdk.AddToolCall(s, &mcp.Tool{",
		"gosdk.WithCallChecks(mcpauthPromptBriefCalls()...)",
		"gosdk.WithCallChecks(mcpauthResourceAccountCalls()...)",
		"gosdk.ArgumentsInto(",
		`gosdk.OptionalStringArgument(ac, "tone")`,
		"var site gosdk.CheckSite",
	} {
		if !strings.Contains(gen, want) {
			t.Errorf("generated file lacks %s:\n%s", want, gen)
		}
	}
}

// bankTest is the module's test: the generated server through the
// go-sdk's client, over its in-memory transports.
const bankTest = `package bank

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

func session(t *testing.T, client string) *mcp.ClientSession {
	srv := gosdk.NewServer(&mcp.Implementation{Name: "bank", Version: "1"}, nil)
	Register(srv)
	ct, st := mcp.NewInMemoryTransports()
	ctx := gosdk.ContextWithAccessToken(context.Background(), &gosdk.AccessToken{Token: client, ClientID: client})
	if _, err := srv.Connect(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func TestCallChecks(t *testing.T) {
	cs, ctx := session(t, "ann"), context.Background()
	call := func(args map[string]any) string {
		t.Helper()
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "transfer", Arguments: args})
		if err != nil {
			t.Fatal(err)
		}
		text := res.Content[0].(*mcp.TextContent).Text
		if res.IsError {
			return "error: " + text
		}
		return text
	}
	const denied = "error: Authorization failed for tool 'transfer': insufficient permissions"
	for _, c := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"from": "ann", "to": "bob", "amount": 100}, "ann->bob"},
		{map[string]any{"from": "bob", "to": "ann", "amount": 1}, denied},
		{map[string]any{"from": "ann", "to": "bob", "amount": 101}, denied},
		{map[string]any{"from": "ann", "to": "nowhere", "amount": 1}, denied},
		// fromSelf runs first: its message, though maxAmount denies too.
		{map[string]any{"from": "frozen", "to": "bob", "amount": 1000}, "error: account frozen is frozen"},
	} {
		if got := call(c.args); got != c.want {
			t.Errorf("transfer %v: %q, want %q", c.args, got, c.want)
		}
	}

	get := func(name string, args map[string]string) (string, error) {
		res, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: name, Arguments: args})
		if err != nil {
			return "", err
		}
		return res.Messages[0].Content.(*mcp.TextContent).Text, nil
	}
	for _, c := range []struct {
		name string
		args map[string]string
		want string // "" for denied
	}{
		{"brief", map[string]string{"topic": "rates"}, "brief on rates"},
		{"brief", map[string]string{"topic": "rates", "audience": "board"}, "brief on rates"},
		{"brief", map[string]string{"topic": "secret plans"}, ""},
		{"brief", map[string]string{"topic": "rates", "audience": "press"}, ""},
		{"reply", map[string]string{"text": "hi"}, "reply to hi"},
		{"reply", map[string]string{"text": "hi", "tone": "rude"}, ""},
	} {
		got, err := get(c.name, c.args)
		if c.want != "" {
			if err != nil || got != c.want {
				t.Errorf("%s %v: %q, %v", c.name, c.args, got, err)
			}
			continue
		}
		if want := "Authorization failed for prompt '" + c.name + "': insufficient permissions"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s %v: %q, %v, want an error %q", c.name, c.args, got, err, want)
		}
	}

	if res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "accounts://ann"}); err != nil || res.Contents[0].Text != "account ann" {
		t.Errorf("read own account: %v", err)
	}
	_, other := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "accounts://bob"})
	_, none := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "nothing://bob"})
	if other == nil || none == nil || strings.ReplaceAll(other.Error(), "accounts://", "nothing://") != none.Error() {
		t.Errorf("another's account reads as %v, a URI nothing serves as %v", other, none)
	}

	// Lists are the same whatever the call checks would say.
	tools, err := cs.ListTools(ctx, nil)
	if err != nil || len(tools.Tools) != 1 {
		t.Errorf("tools: %v, %v", tools, err)
	}
}
`
