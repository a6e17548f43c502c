package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// logBuffer captures what the default slog logger writes during a test.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func captureLog(t *testing.T) *logBuffer {
	l := &logBuffer{}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(l, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return l
}

const secret = "internal: connection to 10.0.0.5:5432 refused"

func failingServer(opts ...runtime.Option) *runtime.Server {
	srv := runtime.NewServer("mask", "1.0.0", opts...)
	srv.AddTool(mcp.NewTool("fails"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return runtime.TextResult("", errors.New(secret))
	})
	srv.AddTool(mcp.NewTool("raw_fails"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return nil, errors.New(secret)
	})
	srv.AddTool(mcp.NewTool("tool_error"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return runtime.TextResult("", &runtime.ToolError{Message: "quota exceeded, retry in 60s"})
	})
	srv.AddTool(mcp.NewTool("panics"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		panic(secret)
	})
	srv.AddTool(mcp.NewTool("works"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return runtime.TextResult("fine", nil)
	})
	srv.AddPrompt(mcp.NewPrompt("bad_prompt"), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return nil, errors.New(secret)
	})
	srv.AddPrompt(mcp.NewPrompt("panicking_prompt"), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		panic(secret)
	})
	srv.AddResource(mcp.NewResource("bad://resource", "bad"), func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return nil, errors.New(secret)
	})
	srv.AddResourceTemplate(mcp.NewResourceTemplate("panicking://{id}", "panicking"), func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		panic(secret)
	})
	return srv
}

func TestMaskErrorDetails(t *testing.T) {
	for _, masked := range []bool{true, false} {
		t.Run(map[bool]string{true: "masked", false: "unmasked"}[masked], func(t *testing.T) {
			logs := captureLog(t)
			var opts []runtime.Option
			if masked {
				opts = append(opts, runtime.WithMaskErrorDetails())
			}
			ts := httptest.NewServer(failingServer(opts...).HTTPHandler())
			defer ts.Close()
			s := newHTTPSession(t, ts.URL, "", false)
			for _, c := range []struct {
				method        string
				params        map[string]any
				masked, plain string // the answer's text, masked or not
			}{
				{"tools/call", map[string]any{"name": "fails"}, `"isError":true`, `"isError":true`},
				{"tools/call", map[string]any{"name": "fails"}, `"text":"Error calling tool 'fails'"`, `"text":"` + secret + `"`},
				{"tools/call", map[string]any{"name": "raw_fails"}, `"text":"Error calling tool 'raw_fails'"`, `"message":"` + secret + `"`},
				{"tools/call", map[string]any{"name": "tool_error"}, `"text":"quota exceeded, retry in 60s"`, `"text":"quota exceeded, retry in 60s"`},
				{"tools/call", map[string]any{"name": "panics"}, `"text":"Error calling tool 'panics'"`, `"text":"Error calling tool 'panics'"`},
				{"prompts/get", map[string]any{"name": "bad_prompt"}, `"message":"Error rendering prompt 'bad_prompt'"`, `"message":"` + secret + `"`},
				{"prompts/get", map[string]any{"name": "panicking_prompt"}, `"message":"Error rendering prompt 'panicking_prompt'"`, `"message":"Error rendering prompt 'panicking_prompt'"`},
				{"resources/read", map[string]any{"uri": "bad://resource"}, `"message":"Error reading resource 'bad://resource'"`, `"message":"` + secret + `"`},
				{"resources/read", map[string]any{"uri": "panicking://7"}, `"message":"Error reading resource 'panicking://7'"`, `"message":"Error reading resource 'panicking://7'"`},
			} {
				got := s.post(c.method, c.params)
				want := c.plain
				if masked {
					want = c.masked
				}
				if got.Status != http.StatusOK || !strings.Contains(got.Body, want) {
					t.Errorf("%s %v: %+v, want %s", c.method, c.params, got, want)
				}
				if want != c.plain || masked {
					if strings.Contains(got.Body, "10.0.0.5") && !strings.Contains(want, "10.0.0.5") {
						t.Errorf("%s %v leaks the error: %s", c.method, c.params, got.Body)
					}
				}
			}
			// The connection and session survive the panics.
			if got := s.post("tools/call", map[string]any{"name": "works"}); !strings.Contains(got.Body, "fine") {
				t.Errorf("after the panics: %+v", got)
			}
			log := logs.String()
			for _, want := range []string{"handler panicked", "name=panics", "name=panicking_prompt", "name=panicking://7", "goroutine"} {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %q:\n%s", want, log)
				}
			}
			if masked && !strings.Contains(log, "handler failed") {
				t.Errorf("masked errors not logged:\n%s", log)
			}
		})
	}
}

// TestMaskErrorDetailsWrapped: with masking, only what a *ToolError says
// reaches the client, even when the error that carries it wraps it in
// text of its own.
func TestMaskErrorDetailsWrapped(t *testing.T) {
	captureLog(t)
	srv := runtime.NewServer("mask", "1.0.0", runtime.WithMaskErrorDetails())
	wrapped := fmt.Errorf("%s: %w", secret, &runtime.ToolError{Message: "quota exceeded"})
	srv.AddTool(mcp.NewTool("wrapped_tool_error"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return runtime.TextResult("", wrapped)
	})
	srv.AddTool(mcp.NewTool("raw_wrapped_tool_error"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return nil, wrapped
	})
	srv.AddPrompt(mcp.NewPrompt("wrapped_prompt"), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return nil, wrapped
	})
	srv.AddResource(mcp.NewResource("wrapped://resource", "wrapped"), func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return nil, wrapped
	})
	ts := httptest.NewServer(srv.HTTPHandler())
	defer ts.Close()
	s := newHTTPSession(t, ts.URL, "", false)
	for _, c := range []struct {
		method string
		params map[string]any
		want   string
	}{
		{"tools/call", map[string]any{"name": "wrapped_tool_error"}, `"text":"quota exceeded"`},
		{"tools/call", map[string]any{"name": "raw_wrapped_tool_error"}, `"message":"quota exceeded"`},
		{"prompts/get", map[string]any{"name": "wrapped_prompt"}, `"message":"quota exceeded"`},
		{"resources/read", map[string]any{"uri": "wrapped://resource"}, `"message":"quota exceeded"`},
	} {
		got := s.post(c.method, c.params)
		if !strings.Contains(got.Body, c.want) || strings.Contains(got.Body, "10.0.0.5") {
			t.Errorf("%s %v: %+v, want %s and no internal text", c.method, c.params, got, c.want)
		}
	}
}

// TestMaskErrorDetailsEncodingError: with masking, a tool result that
// cannot be encoded is a handler error like any other: the encoder's text
// (which names the type and carries a MarshalJSON's error) is logged, not
// sent.
func TestMaskErrorDetailsEncodingError(t *testing.T) {
	logs := captureLog(t)
	srv := runtime.NewServer("mask", "1.0.0", runtime.WithMaskErrorDetails())
	srv.AddTool(mcp.NewTool("unencodable"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return runtime.StructuredResult(secretMarshaler{}, nil)
	})
	ts := httptest.NewServer(srv.HTTPHandler())
	defer ts.Close()
	s := newHTTPSession(t, ts.URL, "", false)
	got := s.post("tools/call", map[string]any{"name": "unencodable"})
	if !strings.Contains(got.Body, `"text":"Error calling tool 'unencodable'"`) || !strings.Contains(got.Body, `"isError":true`) || strings.Contains(got.Body, "10.0.0.5") {
		t.Errorf("tools/call unencodable: %+v, want the masked isError result", got)
	}
	if !strings.Contains(logs.String(), "10.0.0.5") {
		t.Errorf("the encoding error is not logged:\n%s", logs)
	}
}

// secretMarshaler fails to encode with internal text in its error.
type secretMarshaler struct{}

func (secretMarshaler) MarshalJSON() ([]byte, error) { return nil, errors.New(secret) }
