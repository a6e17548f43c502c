package runtime_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// toolRequest builds a tools/call request as mcp-go decodes one from the
// wire, raw arguments included.
func toolRequest(t *testing.T, args string) mcp.CallToolRequest {
	t.Helper()
	var req mcp.CallToolRequest
	if err := json.Unmarshal([]byte(`{"name":"t","arguments":`+args+`}`), &req.Params); err != nil {
		t.Fatal(err)
	}
	return req
}

type page struct {
	Offset uint `json:"offset"`
	Size   int  `json:"size,omitempty"`
}

type bindInput struct {
	ID    string     `json:"id"`
	Count int        `json:"count,omitempty"`
	Tags  []string   `json:"tags,omitempty"`
	Page  *page      `json:"page,omitempty"`
	Since *time.Time `json:"since,omitempty"`
	Big   int64      `json:"big,omitempty"`
}

func TestBindArguments(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     string
		required []string
		want     bindInput // when no error
		wantErr  string    // prefix of the isError text
	}{
		{name: "ok", args: `{"id":"a","count":2,"tags":["x"]}`, required: []string{"id"},
			want: bindInput{ID: "a", Count: 2, Tags: []string{"x"}}},
		{name: "unknown arguments ignored", args: `{"id":"a","other":true}`, required: []string{"id"},
			want: bindInput{ID: "a"}},
		{name: "optional null", args: `{"id":"a","page":null}`, required: []string{"id"},
			want: bindInput{ID: "a"}},
		{name: "above 2^53 exact", args: `{"big":9007199254740993}`,
			want: bindInput{Big: 9007199254740993}},
		{name: "missing required", args: `{"count":1}`, required: []string{"id"},
			wantErr: `missing required argument "id"`},
		{name: "first missing of several", args: `{"id":"a"}`, required: []string{"id", "count", "tags"},
			wantErr: `missing required argument "count"`},
		{name: "null required", args: `{"id":null}`, required: []string{"id"},
			wantErr: `missing required argument "id"`},
		{name: "no arguments", args: `null`, required: []string{"id"},
			wantErr: `missing required argument "id"`},
		{name: "wrong type", args: `{"id":"a","count":"two"}`,
			wantErr: `invalid argument "count": want integer, got string`},
		{name: "wrong type in a list", args: `{"tags":[1]}`,
			wantErr: `invalid argument "tags": want string, got number`},
		{name: "wrong type with field path", args: `{"page":{"offset":-1}}`,
			wantErr: `invalid argument "page.offset": want integer, got number -1`},
		{name: "object expected", args: `{"page":[]}`,
			wantErr: `invalid argument "page": want object, got array`},
		{name: "self-decoding type", args: `{"id":"a","since":"yesterday"}`,
			wantErr: `invalid argument "since": parsing time "yesterday" as`},
		{name: "not an object", args: `[1,2]`,
			wantErr: `invalid arguments: want a JSON object`},
		// encoding/json would bind these keys to a field case-insensitively,
		// so that a check or policy reading the arguments by name saw one
		// value and the handler another.
		{name: "key in another case", args: `{"id":"a","ID":"b"}`, required: []string{"id"},
			wantErr: `invalid argument "ID": no such argument (names are case-sensitive: "id")`},
		{name: "optional key in another case", args: `{"Count":2}`,
			wantErr: `invalid argument "Count": no such argument (names are case-sensitive: "count")`},
		{name: "key folded by Unicode", args: `{"tag\u017f":["x"]}`,
			wantErr: `invalid argument "tagſ": no such argument (names are case-sensitive: "tags")`},
		{name: "nested key in another case", args: `{"page":{"Offset":1}}`,
			wantErr: `invalid argument "page.Offset": no such argument (names are case-sensitive: "offset")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bindInput
			res := runtime.BindArguments(toolRequest(t, tc.args), &got, tc.required...)
			if tc.wantErr == "" {
				if res != nil {
					t.Fatalf("got error %q", resultText(res))
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("decoded (-want +got):\n%s", d)
				}
				return
			}
			if res == nil {
				t.Fatalf("got %+v, want error %q", got, tc.wantErr)
			}
			if text := resultText(res); !res.IsError || !strings.HasPrefix(text, tc.wantErr) {
				t.Errorf("got %q (isError %v), want isError %q…", text, res.IsError, tc.wantErr)
			}
		})
	}
}

// TestBindArgumentsNil: a nil or non-pointer destination is encoding/json's
// error, not a panic.
func TestBindArgumentsNil(t *testing.T) {
	if res := runtime.BindArguments(toolRequest(t, `{"id":"a"}`), nil); res == nil || !strings.HasPrefix(resultText(res), "invalid arguments: json: Unmarshal(nil)") {
		t.Errorf("got %+v", res)
	}
	if res := runtime.BindArguments(toolRequest(t, `{"id":"a"}`), bindInput{}); res == nil || !strings.HasPrefix(resultText(res), "invalid arguments: json: Unmarshal(non-pointer") {
		t.Errorf("got %+v", res)
	}
	var req mcp.GetPromptRequest
	req.Params.Arguments = map[string]string{"topic": "go"}
	if err := runtime.BindPromptArguments(req, nil); err == nil {
		t.Error("BindPromptArguments into nil: no error")
	}
}

// TestBindArgumentsMap binds a request built in Go, whose arguments are a
// map rather than raw JSON.
func TestBindArgumentsMap(t *testing.T) {
	var req mcp.CallToolRequest
	req.Params.Arguments = map[string]any{"id": "a", "count": 3}
	var got bindInput
	if res := runtime.BindArguments(req, &got, "id"); res != nil {
		t.Fatalf("got error %q", resultText(res))
	}
	if got.ID != "a" || got.Count != 3 {
		t.Errorf("got %+v", got)
	}
	req.Params.Arguments = map[string]any{"count": 3}
	if res := runtime.BindArguments(req, &got, "id"); res == nil || resultText(res) != `missing required argument "id"` {
		t.Errorf("missing argument: got %+v", res)
	}
	req.Params.Arguments = map[string]any{"bad": func() {}}
	if res := runtime.BindArguments(req, &got); res == nil || !strings.HasPrefix(resultText(res), "invalid arguments: json: unsupported type") {
		t.Errorf("unencodable arguments: got %+v", res)
	}
}

type record struct {
	ID string `json:"id"`
}

func TestToolResults(t *testing.T) {
	failed := errors.New("disk on fire")
	own := mcp.NewToolResultText("own")
	for _, tc := range []struct {
		name           string
		res            *mcp.CallToolResult
		wantText       string
		wantError      bool
		wantStructured any
	}{
		{name: "text", wantText: "hello",
			res: first(runtime.TextResult("hello", nil))},
		{name: "named text", wantText: "LOUD",
			res: first(runtime.TextResult(level("LOUD"), nil))},
		{name: "text error", wantText: "disk on fire", wantError: true,
			res: withError(t, failed)(runtime.TextResult("ignored", failed))},
		{name: "object", wantText: `{"id":"r1"}`, wantStructured: record{ID: "r1"},
			res: first(runtime.StructuredResult(record{ID: "r1"}, nil))},
		{name: "pointer to object", wantText: `{"id":"r1"}`, wantStructured: &record{ID: "r1"},
			res: first(runtime.StructuredResult(&record{ID: "r1"}, nil))},
		{name: "map", wantText: `{"a":1}`, wantStructured: map[string]int{"a": 1},
			res: first(runtime.StructuredResult(map[string]int{"a": 1}, nil))},
		{name: "list", wantText: `[1,2]`, wantStructured: map[string]any{"result": []int{1, 2}},
			res: first(runtime.StructuredResult([]int{1, 2}, nil))},
		{name: "number", wantText: `42`, wantStructured: map[string]any{"result": 42},
			res: first(runtime.StructuredResult(42, nil))},
		{name: "string", wantText: `"s"`, wantStructured: map[string]any{"result": "s"},
			res: first(runtime.StructuredResult("s", nil))},
		{name: "nil pointer", wantText: `null`, wantStructured: map[string]any{"result": (*record)(nil)},
			res: first(runtime.StructuredResult((*record)(nil), nil))},
		{name: "structured error", wantText: "disk on fire", wantError: true,
			res: withError(t, failed)(runtime.StructuredResult(record{}, failed))},
		{name: "unencodable", wantText: "cannot encode the result: json: unsupported type: chan int", wantError: true,
			res: func(res *mcp.CallToolResult, err error) *mcp.CallToolResult {
				// The encoding error comes along, for a masking Server to mask.
				if ute := (*json.UnsupportedTypeError)(nil); !errors.As(err, &ute) {
					t.Errorf("unencodable: error %v, want the *json.UnsupportedTypeError", err)
				}
				return res
			}(runtime.StructuredResult(make(chan int), nil))},
		{name: "own result", wantText: "own",
			res: first(runtime.ToolResult(own, nil))},
		{name: "own result error", wantText: "disk on fire", wantError: true,
			res: withError(t, failed)(runtime.ToolResult(own, failed))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := resultText(tc.res); got != tc.wantText || tc.res.IsError != tc.wantError {
				t.Errorf("got %q (isError %v), want %q (isError %v)", got, tc.res.IsError, tc.wantText, tc.wantError)
			}
			if d := cmp.Diff(tc.wantStructured, tc.res.StructuredContent); d != "" {
				t.Errorf("structured content (-want +got):\n%s", d)
			}
		})
	}
}

type level string

func TestBindPromptArguments(t *testing.T) {
	type args struct {
		Topic string  `json:"topic"`
		Style *string `json:"style"`
	}
	formal := "formal"
	for _, tc := range []struct {
		name     string
		args     map[string]string
		required []string
		want     args
		wantErr  string
	}{
		{name: "all", args: map[string]string{"topic": "go", "style": "formal"}, required: []string{"topic"},
			want: args{Topic: "go", Style: &formal}},
		{name: "optional left out", args: map[string]string{"topic": "go"}, required: []string{"topic"},
			want: args{Topic: "go"}},
		{name: "empty required is present", args: map[string]string{"topic": ""}, required: []string{"topic"}},
		{name: "unknown ignored", args: map[string]string{"topic": "go", "other": "x"}, required: []string{"topic"},
			want: args{Topic: "go"}},
		{name: "missing required", args: map[string]string{"style": "x"}, required: []string{"topic"},
			wantErr: `missing required argument "topic"`},
		{name: "no arguments", required: []string{"topic"},
			wantErr: `missing required argument "topic"`},
		{name: "key in another case", args: map[string]string{"topic": "go", "Topic": "secret"}, required: []string{"topic"},
			wantErr: `invalid argument "Topic": no such argument (names are case-sensitive: "topic")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var req mcp.GetPromptRequest
			req.Params.Arguments = tc.args
			var got args
			err := runtime.BindPromptArguments(req, &got, tc.required...)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("got %v, want error %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("decoded (-want +got):\n%s", d)
			}
		})
	}
}

func TestPromptResults(t *testing.T) {
	failed := errors.New("no muse")
	user := func(text string) mcp.PromptMessage {
		return mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text))
	}
	msgs := []mcp.PromptMessage{user("a"), mcp.NewPromptMessage(mcp.RoleAssistant, mcp.NewTextContent("b"))}
	for _, tc := range []struct {
		name string
		res  *mcp.GetPromptResult
		want []mcp.PromptMessage
	}{
		{name: "text", want: []mcp.PromptMessage{user("write a poem")},
			res: first(runtime.PromptText("write a poem", nil))},
		{name: "named text", want: []mcp.PromptMessage{user("loud")},
			res: first(runtime.PromptText(level("loud"), nil))},
		{name: "messages", want: msgs,
			res: first(runtime.PromptMessages(msgs, nil))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, tc.res.Messages); d != "" {
				t.Errorf("messages (-want +got):\n%s", d)
			}
		})
	}
	// A handler's error is the adapter's error, for a JSON-RPC error.
	if res, err := runtime.PromptText("x", failed); res != nil || err != failed {
		t.Errorf("PromptText with an error: %v, %v", res, err)
	}
	if res, err := runtime.PromptMessages(msgs, failed); res != nil || err != failed {
		t.Errorf("PromptMessages with an error: %v, %v", res, err)
	}
}

// first returns an adapter's result, failing on an error.
func first[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestTemplateVar(t *testing.T) {
	var req mcp.ReadResourceRequest
	req.Params.Arguments = map[string]any{
		"list":     []string{"42"},
		"exploded": []string{"a", "b"},
		"string":   "7",
		"other":    3,
	}
	for name, want := range map[string]string{
		"list":     "42",  // as mcp-go passes variables
		"exploded": "a,b", // several values
		"string":   "7",   // as a request built in Go may
		"other":    "",
		"missing":  "",
	} {
		if got := runtime.TemplateVar(req, name); got != want {
			t.Errorf("TemplateVar(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestResourceContents(t *testing.T) {
	var req mcp.ReadResourceRequest
	req.Params.URI = "users://42/profile"
	text := func(mime, s string) []mcp.ResourceContents {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: mime, Text: s}}
	}
	blob := func(mime, s string) []mcp.ResourceContents {
		return []mcp.ResourceContents{mcp.BlobResourceContents{URI: req.Params.URI, MIMEType: mime, Blob: s}}
	}
	type blobType []byte
	for _, tc := range []struct {
		name string
		got  []mcp.ResourceContents
		want []mcp.ResourceContents
	}{
		{"text", first(runtime.TextContents(req, "text/markdown", "# hi", nil)), text("text/markdown", "# hi")},
		{"text, default MIME", first(runtime.TextContents(req, "", "hi", nil)), text("text/plain", "hi")},
		{"named text", first(runtime.TextContents(req, "", level("hi"), nil)), text("text/plain", "hi")},
		{"blob", first(runtime.BlobContents(req, "image/png", []byte{0x89, 'P', 'N', 'G'}, nil)), blob("image/png", "iVBORw==")},
		{"blob, default MIME", first(runtime.BlobContents(req, "", []byte("hi"), nil)), blob("application/octet-stream", "aGk=")},
		{"named blob", first(runtime.BlobContents(req, "", blobType("hi"), nil)), blob("application/octet-stream", "aGk=")},
		{"empty blob", first(runtime.BlobContents(req, "", []byte(nil), nil)), blob("application/octet-stream", "")},
		{"JSON", first(runtime.JSONContents(req, "application/vnd.x+json", record{ID: "42"}, nil)), text("application/vnd.x+json", `{"id":"42"}`)},
		{"JSON, default MIME", first(runtime.JSONContents(req, "", []int{1}, nil)), text("application/json", `[1]`)},
		{"raw JSON", first(runtime.JSONContents(req, "", json.RawMessage(`{"a": 1}`), nil)), text("application/json", `{"a":1}`)},
	} {
		if d := cmp.Diff(tc.want, tc.got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}

	// A handler's error, and the encoding's, is the adapter's error, for a
	// JSON-RPC error.
	failed := errors.New("gone")
	for name, call := range map[string]func() ([]mcp.ResourceContents, error){
		"text": func() ([]mcp.ResourceContents, error) { return runtime.TextContents(req, "", "x", failed) },
		"blob": func() ([]mcp.ResourceContents, error) { return runtime.BlobContents(req, "", []byte("x"), failed) },
		"JSON": func() ([]mcp.ResourceContents, error) { return runtime.JSONContents(req, "", record{}, failed) },
	} {
		if got, err := call(); got != nil || err != failed {
			t.Errorf("%s with an error: %v, %v", name, got, err)
		}
	}
	if got, err := runtime.JSONContents(req, "", make(chan int), nil); got != nil || err == nil {
		t.Errorf("JSONContents of a channel: %v, %v; want an error", got, err)
	}
}

// withError returns a tool adapter's result for a handler that failed with
// want: the isError result, which comes with the handler's error (for
// the Server to mask, or not).
func withError(t *testing.T, want error) func(*mcp.CallToolResult, error) *mcp.CallToolResult {
	return func(res *mcp.CallToolResult, err error) *mcp.CallToolResult {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("error %v, want %v", err, want)
		}
		return res
	}
}
