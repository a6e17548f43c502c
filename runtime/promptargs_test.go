package runtime_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// TestPromptArgumentsAsTheHandlerSeesThem: generated call checks of a
// prompt read its arguments from AuthContext.Arguments with StringArgument
// and OptionalStringArgument, the handler from the request mcp-go decodes
// with BindPromptArguments; for any arguments object, both must see the
// same values, or a check would approve what the handler does not receive.
func TestPromptArgumentsAsTheHandlerSeesThem(t *testing.T) {
	type args struct {
		Topic *string `json:"topic"`
		Style string  `json:"style"`
	}
	for _, raw := range []string{
		`{}`,
		`{"topic":"go","style":"formal"}`,
		`{"topic":null}`,
		`{"style":null}`,
		`{"topic":""}`,
		`{"topic":"a","topic":"b"}`,
	} {
		var req mcp.GetPromptRequest
		if err := json.Unmarshal([]byte(`{"name":"p","arguments":`+raw+`}`), &req.Params); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		var handler args
		if err := runtime.BindPromptArguments(req, &handler); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		// The request entry decodes the arguments so (AuthContext.Arguments).
		var decoded map[string]any
		if err := json.Unmarshal([]byte(raw), &decoded); err != nil {
			t.Fatal(err)
		}
		ac := runtime.AuthContext{Arguments: decoded}
		check := args{Topic: runtime.OptionalStringArgument(ac, "topic"), Style: runtime.StringArgument(ac, "style")}
		if diff := cmp.Diff(handler, check); diff != "" {
			t.Errorf("%s: the check sees other arguments than the handler (-handler +check):\n%s", raw, diff)
		}
		// A check that takes the prompt's input struct.
		var in args
		if err := runtime.ArgumentsInto(ac, &in); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if diff := cmp.Diff(handler, in); diff != "" {
			t.Errorf("%s: the check's input differs from the handler's (-handler +check):\n%s", raw, diff)
		}
	}
}
