package gosdk_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestPromptArgumentsAsTheHandlerSeesThem: generated call checks of a
// prompt read its arguments from AuthContext.Arguments with StringArgument,
// OptionalStringArgument or ArgumentsInto, the handler from the request
// with BindPromptArguments; for any arguments object a client sends, both
// must see the same values, or a check would approve what the handler does
// not receive.
func TestPromptArgumentsAsTheHandlerSeesThem(t *testing.T) {
	type args struct {
		Topic *string `json:"topic"`
		Style string  `json:"style"`
	}
	var mu sync.Mutex
	var check, in, handler args
	srv := gosdk.NewServer(&mcp.Implementation{Name: "prompts", Version: "1"}, nil)
	srv.AddPrompt(&mcp.Prompt{Name: "p", Arguments: []*mcp.PromptArgument{{Name: "topic"}, {Name: "style"}}},
		func(_ context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			mu.Lock()
			defer mu.Unlock()
			if err := gosdk.BindPromptArguments(req, &handler); err != nil {
				return nil, err
			}
			return gosdk.PromptText("ok", nil)
		},
		gosdk.WithCallChecks(gosdk.AuthCheck(func(_ context.Context, ac gosdk.AuthContext) (bool, error) {
			mu.Lock()
			defer mu.Unlock()
			check = args{Topic: gosdk.OptionalStringArgument(ac, "topic"), Style: gosdk.StringArgument(ac, "style")}
			return true, gosdk.ArgumentsInto(ac, &in)
		})))
	s := mcpwire.Connect(t, serve(t, authorized(srv)), "reader-token")
	for _, raw := range []string{
		`{}`,
		`{"topic":"go","style":"formal"}`,
		`{"topic":null}`,
		`{"style":null}`,
		`{"topic":""}`,
		`{"topic":"a","topic":"b"}`,
	} {
		mu.Lock()
		check, in, handler = args{}, args{}, args{}
		mu.Unlock()
		answer := s.Call("prompts/get", map[string]any{"name": "p", "arguments": json.RawMessage(raw)})
		mu.Lock()
		if e := mcpwire.ErrorOf(t, answer); e != nil {
			t.Errorf("%s: %s", raw, answer)
		}
		if diff := cmp.Diff(handler, check); diff != "" {
			t.Errorf("%s: the check sees other arguments than the handler (-handler +check):\n%s", raw, diff)
		}
		if diff := cmp.Diff(handler, in); diff != "" {
			t.Errorf("%s: the check's input differs from the handler's (-handler +check):\n%s", raw, diff)
		}
		mu.Unlock()
	}
}
