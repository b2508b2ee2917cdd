package control

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"agentbar/core"
)

// stream is one WebSocket client of GET /v1/events.
type stream struct {
	stopOnce sync.Once
	stopC    chan struct{} // closed by Server.Close: say goodbye and end
	mu       sync.Mutex    // guards conn
	conn     *websocket.Conn
}

func (st *stream) stop() { st.stopOnce.Do(func() { close(st.stopC) }) }

// kill cuts the connection without a goodbye.
func (st *stream) kill() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.conn != nil {
		_ = st.conn.NetConn().Close()
	}
}

// serveEvents upgrades to a WebSocket and forwards the engine's events.
//
// Order and consistency: the stream subscribes first and takes the status
// snapshot second; the engine runs both on its loop in that order, so every
// event after the snapshot reaches the subscription. The hello message
// carries the snapshot; events with seq <= status.seq are already in it and
// are skipped.
//
// Back-pressure: the engine never waits for us. If this client reads too
// slowly, our writes block (bounded by the write timeout), the
// subscription's queue fills, and the engine drops events for this client
// only, then sends events_dropped, which is forwarded: the client should
// GET /v1/status to resync.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	st := &stream{stopC: make(chan struct{})}
	if !s.addStream(st) {
		s.fail(w, r, time.Now(), errShuttingDown())
		return
	}
	defer s.removeStream(st)
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	if tcp, ok := conn.NetConn().(*net.TCPConn); ok && s.tune.sendBuffer > 0 {
		_ = tcp.SetWriteBuffer(s.tune.sendBuffer)
	}
	st.mu.Lock()
	st.conn = conn
	st.mu.Unlock()
	s.log.Debug("control: event stream opened", "remote", r.RemoteAddr)
	reason := s.runStream(st, conn, r.RemoteAddr)
	s.log.Debug("control: event stream closed", "remote", r.RemoteAddr, "why", reason)
}

// runStream is the stream's single writer. It returns why it ended.
func (s *Server) runStream(st *stream, conn *websocket.Conn, remote string) string {
	e := s.o.Backend.Engine()
	sub := e.Subscribe("control "+remote, s.tune.eventBuffer)
	defer sub.Close()

	readDone := make(chan struct{})
	go s.readPump(conn, readDone)
	defer func() {
		_ = conn.Close()
		<-readDone
	}()

	ctx, cancel := context.WithTimeout(context.Background(), s.tune.writeTimeout)
	status, err := e.Status(ctx)
	cancel()
	if err != nil {
		s.goodbye(conn, readDone, websocket.CloseInternalServerErr, "engine unavailable")
		return "status: " + err.Error()
	}
	hello, err := json.Marshal(helloMessage{Type: "hello", Version: s.o.Version, Status: status})
	if err != nil {
		return "hello: " + err.Error()
	}
	if err := s.write(conn, hello); err != nil {
		return "write hello: " + err.Error()
	}
	ping := time.NewTicker(s.tune.pingInterval)
	defer ping.Stop()
	for {
		select {
		case ev, ok := <-sub.C:
			if !ok {
				s.goodbye(conn, readDone, websocket.CloseGoingAway, "agentbar is shutting down")
				return "engine closed"
			}
			// Already in the snapshot; for events_dropped, seq is the
			// last dropped event's, so the snapshot covers them all.
			if ev.Meta().Seq <= status.Seq {
				continue
			}
			b, err := core.MarshalEvent(ev)
			if err != nil {
				s.log.Error("control: marshal event", "event", ev.String(), "err", err)
				continue
			}
			if err := s.write(conn, b); err != nil {
				return "write: " + err.Error()
			}
		case <-ping.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(s.tune.writeTimeout)); err != nil {
				return "ping: " + err.Error()
			}
		case <-readDone:
			return "client went away"
		case <-st.stopC:
			s.goodbye(conn, readDone, websocket.CloseGoingAway, "agentbar is shutting down")
			return "server closed"
		}
	}
}

// write sends one message, giving up after the write timeout: a client
// that does not read for that long is cut off rather than kept in memory.
func (s *Server) write(conn *websocket.Conn, b []byte) error {
	if err := conn.SetWriteDeadline(time.Now().Add(s.tune.writeTimeout)); err != nil {
		return err
	}
	return conn.WriteMessage(websocket.TextMessage, b)
}

// goodbye sends a close frame and waits briefly for the client's reply, so
// that the client sees a clean close rather than a reset.
func (s *Server) goodbye(conn *websocket.Conn, readDone <-chan struct{}, code int, text string) {
	msg := websocket.FormatCloseMessage(code, text)
	if err := conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(s.tune.writeTimeout)); err != nil {
		return
	}
	t := time.NewTimer(s.tune.closeGrace)
	defer t.Stop()
	select {
	case <-readDone:
	case <-t.C:
	}
}

// readPump reads (and ignores) what the client sends, which keeps pongs
// and close frames flowing; it notices a client that is gone.
func (s *Server) readPump(conn *websocket.Conn, done chan<- struct{}) {
	defer close(done)
	conn.SetReadLimit(4 << 10)
	extend := func() { _ = conn.SetReadDeadline(time.Now().Add(s.tune.pongWait)) }
	extend()
	conn.SetPongHandler(func(string) error { extend(); return nil })
	for {
		if _, _, err := conn.NextReader(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				s.log.Debug("control: event stream read", "err", err)
			}
			return
		}
		extend()
	}
}

func errShuttingDown() *RequestError {
	return &RequestError{Status: http.StatusServiceUnavailable, Code: CodeShuttingDown,
		Detail: ErrServerClosed.Error(),
		ZH:     "agentbar 正在退出。", EN: "agentbar is shutting down."}
}

// upgradeError answers a failed WebSocket handshake in the API's format.
func (s *Server) upgradeError(w http.ResponseWriter, r *http.Request, status int, reason error) {
	s.fail(w, r, time.Now(), &RequestError{Status: status, Code: CodeMalformedRequest,
		Detail: "websocket handshake: " + reason.Error(),
		ZH:     "这个地址需要 WebSocket 连接。",
		EN:     "This address needs a WebSocket connection."})
}
