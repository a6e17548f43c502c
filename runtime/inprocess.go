package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// NewInProcessClient returns an mcp-go client connected to s in the same
// process, through the same request entry as HTTP: it sees exactly what a
// remote client sees. Each call runs its checks with the token its context
// carries (ContextWithAccessToken), or none. The client still needs
// Start and Initialize, as any mcp-go client.
func (s *Server) NewInProcessClient() (*client.Client, error) {
	if err := s.claimTransport("authorized"); err != nil {
		return nil, err
	}
	return client.NewClient(&inProcessTransport{srv: s, sessionID: server.GenerateInProcessSessionID(), done: make(chan struct{})}), nil
}

// inProcessTransport is mcp-go's in-process transport with the runtime's
// request entry between the client and the server.
type inProcessTransport struct {
	srv       *Server
	sessionID string

	mu             sync.Mutex
	session        *server.InProcessSession
	onNotification func(mcp.JSONRPCNotification)
	closed         bool

	done      chan struct{}
	closeOnce sync.Once
}

func (t *inProcessTransport) Start(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return transport.ErrTransportClosed
	}
	if t.session != nil {
		return nil
	}
	session := server.NewInProcessSession(t.sessionID, nil)
	if err := t.srv.mcp.RegisterSession(ctx, session); err != nil {
		return fmt.Errorf("register in-process session: %w", err)
	}
	t.session = session
	go t.forwardNotifications(session.ClientNotifications())
	return nil
}

func (t *inProcessTransport) forwardNotifications(notifications <-chan mcp.JSONRPCNotification) {
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

func (t *inProcessTransport) SendRequest(ctx context.Context, req transport.JSONRPCRequest) (*transport.JSONRPCResponse, error) {
	raw, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("marshal request: %w", err)
	}
	t.mu.Lock()
	session := t.session
	t.mu.Unlock()
	if session != nil {
		ctx = t.srv.mcp.WithContext(ctx, session)
	}
	ctx = t.srv.prepare(ctx, req.Method, func() target { return targetIn(raw) })
	switch resp := t.srv.mcp.HandleMessage(ctx, raw).(type) {
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

func (t *inProcessTransport) SendNotification(ctx context.Context, n mcp.JSONRPCNotification) error {
	raw, err := json.Marshal(n)
	if err != nil {
		return fmt.Errorf("marshal notification: %w", err)
	}
	t.mu.Lock()
	session := t.session
	t.mu.Unlock()
	if session != nil {
		ctx = t.srv.mcp.WithContext(ctx, session)
	}
	t.srv.mcp.HandleMessage(ctx, raw)
	return nil
}

func (t *inProcessTransport) SetNotificationHandler(handler func(mcp.JSONRPCNotification)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.onNotification = handler
}

func (t *inProcessTransport) Close() error {
	t.mu.Lock()
	t.closed = true
	session := t.session
	t.mu.Unlock()
	t.closeOnce.Do(func() { close(t.done) })
	if session != nil {
		t.srv.mcp.UnregisterSession(context.Background(), t.sessionID)
	}
	return nil
}

func (t *inProcessTransport) GetSessionId() string { return "" }
