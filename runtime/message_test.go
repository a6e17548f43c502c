package runtime

import (
	"encoding/json"
	"testing"
)

// methodInDecoded is methodIn by encoding/json alone.
func methodInDecoded(raw []byte) (string, bool) {
	var head struct {
		Method string `json:"method"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return "", false
	}
	for _, m := range enteredMethods {
		if head.Method == string(m) {
			return head.Method, true
		}
	}
	return "", true
}

var methodInSeeds = []string{
	`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"method":"resources/read"}}}`,
	`{"method":"resources/read","params":{"uri":"a://b"},"id":"q\"}"}`,
	`{"params":{"a":[1,{"b":"}"}],"c":"]"},"method":"prompts/get"}`,
	`{"METHOD":"tools/call"}`,
	`{"method":"tools/call","Method":"prompts/get"}`,
	`{"method":"tools/call","method":null}`,
	`{"me\u0074hod":"resources/list"}`,
	`{"method":"resources\/templates\/list"}`,
	`{"method":"tools/list"}`,
	`{"method":"Tools/Call"}`,
	` { "method" : "resources/templates/list" , "id" : 2 } `,
	`{"id":1e3,"method":"tools/call","x":true,"y":null,"z":-0.5}`,
	`{}`, `[]`, `"method"`, `{"method":`, `{"method":"tools/call"`, `{"a":{"method":"tools/call"}}`,
}

// TestMethodIn: methodIn reads the method as encoding/json does.
func TestMethodIn(t *testing.T) {
	for _, raw := range methodInSeeds {
		want, valid := methodInDecoded([]byte(raw))
		if got := methodIn([]byte(raw)); valid && got != want {
			t.Errorf("methodIn(%s) = %q, want %q", raw, got, want)
		}
	}
}

func FuzzMethodIn(f *testing.F) {
	for _, s := range methodInSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		want, valid := methodInDecoded(raw)
		got := methodIn(raw)
		if valid && got != want {
			t.Errorf("methodIn(%q) = %q, encoding/json reads %q", raw, got, want)
		}
	})
}

// TestMethodInAllocates: the common message is read without allocating.
func TestMethodInAllocates(t *testing.T) {
	raw := []byte(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"a":[1,2]}}}`)
	if n := testing.AllocsPerRun(100, func() { methodIn(raw) }); n != 0 {
		t.Errorf("methodIn allocates %v times per message", n)
	}
}
