// Package runtimetest connects mcp-go clients to a runtime.Server in the
// same process, for tests, as net/http/httptest serves an http.Handler.
//
// The client's messages go through Server.HandleMessage, the same request
// entry as HTTP, so a test sees exactly what a remote client sees: each call
// runs its checks with the token its context carries
// (runtime.ContextWithAccessToken), or none.
package runtimetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// Option configures NewClient.
type Option func(*Transport)

// WithSamplingHandler answers the server's sampling requests
// (sampling/createMessage) on the client's behalf, as mcp-go's
// transport.WithSamplingHandler does for its in-process transport.
func WithSamplingHandler(h server.SamplingHandler) Option {
	return func(t *Transport) { t.sampling = h }
}

// WithElicitationHandler answers the server's elicitation requests, as
// mcp-go's transport.WithElicitationHandler does.
func WithElicitationHandler(h server.ElicitationHandler) Option {
	return func(t *Transport) { t.elicitation = h }
}

// WithRootsHandler answers the server's roots/list requests, as mcp-go's
// transport.WithRootsHandler does.
func WithRootsHandler(h server.RootsHandler) Option {
	return func(t *Transport) { t.roots = h }
}

// NewClient returns an mcp-go client connected to s in the same process
// through NewTransport. The client still needs Start and Initialize, as any
// mcp-go client; Initialize fails if s serves stdio.
func NewClient(s *runtime.Server, opts ...Option) *client.Client {
	return client.NewClient(NewTransport(s, opts...))
}

// Transport is an mcp-go client transport that hands each message to a
// runtime.Server's HandleMessage, with one client session of its own: it
// is mcp-go's in-process transport with the runtime's request entry
// between the client and the server.
type Transport struct {
	srv       *runtime.Server
	sessionID string

	sampling    server.SamplingHandler
	elicitation server.ElicitationHandler
	roots       server.RootsHandler

	mu             sync.Mutex
	session        *server.InProcessSession
	onNotification func(mcp.JSONRPCNotification)
	closed         bool

	done      chan struct{}
	closeOnce sync.Once
}

var _ transport.Interface = (*Transport)(nil)

// NewTransport returns a transport to s; see NewClient.
func NewTransport(s *runtime.Server, opts ...Option) *Transport {
	t := &Transport{srv: s, sessionID: server.GenerateInProcessSessionID(), done: make(chan struct{})}
	for _, opt := range opts {
		opt(t)
	}
	return t
}

// Start registers the transport's client session with the server.
func (t *Transport) Start(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return transport.ErrTransportClosed
	}
	if t.session != nil {
		return nil
	}
	session := server.NewInProcessSessionWithHandlers(t.sessionID, t.sampling, t.elicitation, t.roots)
	if err := t.srv.MCP().RegisterSession(ctx, session); err != nil {
		return fmt.Errorf("register in-process session: %w", err)
	}
	t.session = session
	go t.forwardNotifications(session.ClientNotifications())
	return nil
}

func (t *Transport) forwardNotifications(notifications <-chan mcp.JSONRPCNotification) {
	for {
		select {
		case <-t.done:
			return
		case n, ok := <-notifications:
			if !ok {
				return
			}
			t.mu.Lock()
			handler := t.onNotification
			t.mu.Unlock()
			if handler != nil {
				handler(n)
			}
		}
	}
}

func (t *Transport) currentSession() server.ClientSession {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.session == nil {
		return nil // an untyped nil: HandleMessage then adds no session
	}
	return t.session
}

// SendRequest hands req to the server and returns its answer.
func (t *Transport) SendRequest(ctx context.Context, req transport.JSONRPCRequest) (*transport.JSONRPCResponse, error) {
	raw, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("marshal request: %w", err)
	}
	answer, err := t.srv.HandleMessage(ctx, t.currentSession(), raw)
	if err != nil {
		return nil, err
	}
	switch resp := answer.(type) {
	case mcp.JSONRPCResponse:
		result, err := json.Marshal(resp.Result)
		if err != nil {
			return nil, fmt.Errorf("marshal result: %w", err)
		}
		return &transport.JSONRPCResponse{JSONRPC: resp.JSONRPC, ID: resp.ID, Result: result}, nil
	case mcp.JSONRPCError:
		details := resp.Error
		return &transport.JSONRPCResponse{JSONRPC: resp.JSONRPC, ID: resp.ID, Error: &details}, nil
	case nil:
		return nil, fmt.Errorf("no response to %s", req.Method)
	default:
		return nil, fmt.Errorf("unexpected response %T to %s", resp, req.Method)
	}
}

// SendNotification hands n to the server.
func (t *Transport) SendNotification(ctx context.Context, n mcp.JSONRPCNotification) error {
	raw, err := json.Marshal(n)
	if err != nil {
		return fmt.Errorf("marshal notification: %w", err)
	}
	_, err = t.srv.HandleMessage(ctx, t.currentSession(), raw)
	return err
}

// SetNotificationHandler sets the handler of the server's notifications.
func (t *Transport) SetNotificationHandler(handler func(mcp.JSONRPCNotification)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.onNotification = handler
}

// Close unregisters the transport's session; the transport cannot be
// started again.
func (t *Transport) Close() error {
	t.mu.Lock()
	t.closed = true
	session := t.session
	t.mu.Unlock()
	t.closeOnce.Do(func() { close(t.done) })
	if session != nil {
		t.srv.MCP().UnregisterSession(context.Background(), t.sessionID)
	}
	return nil
}

// GetSessionId returns "": the transport has no transport-level session ID
// (the server knows its session by the context).
func (t *Transport) GetSessionId() string { return "" }
