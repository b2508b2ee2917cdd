package udesk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// socket is one WebSocket to Domain: it writes requests, matches replies by
// Id, and hands events to onEvent in the order they arrive, on its read
// goroutine. onEvent must not block and must not wait for a reply.
type socket struct {
	ws      *websocket.Conn
	log     *slog.Logger
	onEvent func(*socket, wire.ServerFrame)
	timeout time.Duration // per request, when the caller's context allows longer

	writeMu sync.Mutex // gorilla allows one writer at a time

	mu        sync.Mutex
	nextID    int64
	pending   map[int64]chan wire.Envelope
	closeCode int    // the server's close code, if it sent one
	closeText string // and its reason
	readErr   error

	done     chan struct{} // closed when the read loop ends
	stopPing chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// socketOptions tune keep-alive and timeouts (tests shorten them).
type socketOptions struct {
	requestTimeout time.Duration // 10 s
	pingInterval   time.Duration // 15 s; the server must answer within 2.5 intervals
	dialTimeout    time.Duration // 10 s
}

func (o socketOptions) withDefaults() socketOptions {
	if o.requestTimeout <= 0 {
		o.requestTimeout = 10 * time.Second
	}
	if o.pingInterval <= 0 {
		o.pingInterval = 15 * time.Second
	}
	if o.dialTimeout <= 0 {
		o.dialTimeout = 10 * time.Second
	}
	return o
}

// dialSocket opens the socket; nothing is sent yet.
func dialSocket(ctx context.Context, url string, o socketOptions, log *slog.Logger, onEvent func(*socket, wire.ServerFrame)) (*socket, error) {
	d := websocket.Dialer{HandshakeTimeout: o.dialTimeout, Proxy: http.ProxyFromEnvironment}
	ws, resp, err := d.DialContext(ctx, url, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("udesk: WebSocket %s: HTTP %d: %w", url, resp.StatusCode, err)
		}
		return nil, fmt.Errorf("udesk: WebSocket %s: %w", url, err)
	}
	ws.SetReadLimit(wire.MaxFrameSize)
	s := &socket{
		ws: ws, log: log, onEvent: onEvent, timeout: o.requestTimeout,
		pending: map[int64]chan wire.Envelope{}, done: make(chan struct{}), stopPing: make(chan struct{}),
	}
	idle := o.pingInterval * 5 / 2
	_ = ws.SetReadDeadline(time.Now().Add(idle))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(idle)) })
	s.wg.Add(2)
	go s.readLoop(idle)
	go s.pingLoop(o.pingInterval)
	return s, nil
}

func (s *socket) readLoop(idle time.Duration) {
	defer s.wg.Done()
	defer close(s.done)
	for {
		mt, data, err := s.ws.ReadMessage()
		if err != nil {
			s.mu.Lock()
			s.readErr = err
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				s.closeCode, s.closeText = ce.Code, ce.Text
			}
			s.mu.Unlock()
			s.stop()
			return
		}
		_ = s.ws.SetReadDeadline(time.Now().Add(idle))
		if mt != websocket.TextMessage {
			s.log.Warn("udesk: ignored a non-text frame", "type", mt, "bytes", len(data))
			continue
		}
		f, err := wire.DecodeServerFrame(data)
		if err != nil {
			s.log.Warn("udesk: ignored a malformed frame", "err", err, "frame", truncate(data, 200))
			continue
		}
		if f.IsEvent() {
			s.onEvent(s, f)
			continue
		}
		s.mu.Lock()
		ch, ok := s.pending[f.Id]
		delete(s.pending, f.Id)
		s.mu.Unlock()
		if !ok {
			s.log.Warn("udesk: reply to no request", "id", f.Id)
			continue
		}
		ch <- f.Envelope
	}
}

// pingLoop keeps the connection alive and finds a dead server: a server that
// answers no ping for 2.5 intervals is gone (the read deadline fires).
func (s *socket) pingLoop(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.writeMu.Lock()
			err := s.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(every))
			s.writeMu.Unlock()
			if err != nil {
				return
			}
		case <-s.stopPing:
			return
		}
	}
}

func (s *socket) stop() {
	s.stopOnce.Do(func() { close(s.stopPing) })
}

// Done is closed when the socket stopped reading (closed by either side).
func (s *socket) Done() <-chan struct{} { return s.done }

// closeInfo says how the socket ended: the server's close code and reason.
func (s *socket) closeInfo() (int, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeCode, s.closeText, s.readErr
}

// call sends a request and waits for its reply. A reply with a code other
// than 0000 is a *PlatformError.
func (s *socket) call(ctx context.Context, method string, params any) (wire.Envelope, error) {
	req := wire.Request{Method: method}
	if params != nil {
		b, err := json.Marshal(params)
		if err != nil {
			return wire.Envelope{}, fmt.Errorf("udesk: %s: %w", method, err)
		}
		req.Params = b
	}
	ch := make(chan wire.Envelope, 1)
	s.mu.Lock()
	s.nextID++
	req.Id = s.nextID
	s.pending[req.Id] = ch
	s.mu.Unlock()
	forget := func() {
		s.mu.Lock()
		delete(s.pending, req.Id)
		s.mu.Unlock()
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	started := time.Now()
	b, _ := json.Marshal(req)
	if err := s.write(ctx, b); err != nil {
		forget()
		return wire.Envelope{}, fmt.Errorf("%w: %s: %v", core.ErrNotConnected, method, err)
	}
	select {
	case env := <-ch:
		if !env.OK() {
			return env, &PlatformError{Method: method, Code: env.Code, Message: env.Message, Visible: bool(env.Visible)}
		}
		return env, nil
	case <-s.done:
		forget()
		return wire.Envelope{}, fmt.Errorf("%w: %s: the connection closed before the reply", core.ErrNotConnected, method)
	case <-ctx.Done():
		forget()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return wire.Envelope{}, &TimeoutError{Method: method, After: time.Since(started)}
		}
		return wire.Envelope{}, ctx.Err()
	}
}

// notify sends a request without waiting for its reply (Disconnect).
func (s *socket) notify(ctx context.Context, method string) error {
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	s.mu.Unlock()
	b, _ := json.Marshal(wire.Request{Id: id, Method: method})
	return s.write(ctx, b)
}

func (s *socket) write(ctx context.Context, b []byte) error {
	deadline := time.Now().Add(s.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_ = s.ws.SetWriteDeadline(deadline)
	return s.ws.WriteMessage(websocket.TextMessage, b)
}

// close says goodbye (a normal close frame) and waits for the goroutines.
func (s *socket) close() {
	s.writeMu.Lock()
	_ = s.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(time.Second))
	s.writeMu.Unlock()
	select {
	case <-s.done:
	case <-time.After(time.Second):
	}
	s.ws.Close()
	s.stop()
	s.wg.Wait()
}

// abort drops the connection at once (no close handshake).
func (s *socket) abort() {
	s.ws.Close()
	s.stop()
	s.wg.Wait()
}

func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}
