package udesksim

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"agentbar/vendors/udesk/wire"
)

// sendQueue bounds the frames waiting for a slow client; past it the
// session is dropped rather than the center held up.
const sendQueue = 1024

// session is one agent's signed-in socket.
type session struct {
	f     *Front
	ws    *websocket.Conn
	agent string // set once ConnectAsync succeeded

	out      chan []byte
	closeReq chan closeFrame
	quit     chan struct{} // closed by abort
	stopped  chan struct{} // the writer has stopped
	once     sync.Once     // one close or abort
	quitOnce sync.Once
	wg       sync.WaitGroup // writer and request handlers
}

type closeFrame struct {
	code int
	text string
}

// serveSocket upgrades /ws and reads requests until the socket closes. The
// first request must be ConnectAsync.
func (f *Front) serveSocket(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	refuse := f.closed || f.restarting || f.opts.Now().Before(f.silentUntil)
	f.mu.Unlock()
	if refuse {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	ws, err := f.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(wire.MaxFrameSize)
	s := &session{f: f, ws: ws, out: make(chan []byte, sendQueue), closeReq: make(chan closeFrame, 1), quit: make(chan struct{}), stopped: make(chan struct{})}
	s.wg.Add(1)
	go s.writer(f.opts.PingInterval)
	s.read()
	s.abort()
	s.wait()
	f.forget(s)
}

func (s *session) read() {
	for {
		mt, data, err := s.ws.ReadMessage()
		if err != nil {
			return
		}
		if mt != websocket.TextMessage {
			continue
		}
		req, err := wire.DecodeRequest(data)
		if err != nil {
			s.f.log.Info("udesksim: malformed request", "err", err)
			continue
		}
		if s.agentID() == "" && req.Method != wire.MethodConnect {
			s.reply(req.Id, failure(wire.CodeNotConnected, "请先调用 ConnectAsync", false))
			continue
		}
		if req.Method == wire.MethodConnect {
			// Serially: nothing else may run before the session is known.
			s.reply(req.Id, s.f.connect(s, req.Params))
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			env := s.f.handle(s.agentID(), req.Method, req.Params)
			s.reply(req.Id, env)
			if req.Method == wire.MethodDisconnect {
				s.close(websocket.CloseNormalClosure, "disconnect")
			}
		}()
	}
}

func (s *session) agentID() string {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	return s.agent
}

func (s *session) reply(id int64, env wire.Envelope) {
	b, err := json.Marshal(wire.ServerFrame{Id: id, Envelope: env})
	if err != nil {
		return
	}
	s.send(b)
}

// send queues a frame; a client too slow to take them is dropped.
func (s *session) send(b []byte) {
	select {
	case <-s.stopped:
	case s.out <- b:
	default:
		s.f.log.Warn("udesksim: client too slow, dropping its session", "agent", s.agent)
		s.abort()
	}
}

func (s *session) writer(ping time.Duration) {
	defer s.wg.Done()
	defer close(s.stopped)
	t := time.NewTicker(ping)
	defer t.Stop()
	for {
		select {
		case b := <-s.out:
			_ = s.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if err := s.ws.WriteMessage(websocket.TextMessage, b); err != nil {
				s.ws.Close()
				return
			}
		case <-t.C:
			if err := s.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)); err != nil {
				s.ws.Close()
				return
			}
		case <-s.quit:
			return
		case c := <-s.closeReq:
			// What was queued before the close goes first.
			for drained := false; !drained; {
				select {
				case b := <-s.out:
					_ = s.ws.SetWriteDeadline(time.Now().Add(time.Second))
					_ = s.ws.WriteMessage(websocket.TextMessage, b)
				default:
					drained = true
				}
			}
			_ = s.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(c.code, c.text), time.Now().Add(time.Second))
			s.ws.Close()
			return
		}
	}
}

// close ends the session with a close frame (code and reason).
func (s *session) close(code int, text string) {
	s.once.Do(func() { s.closeReq <- closeFrame{code, text} })
}

// abort drops the connection without a close frame.
func (s *session) abort() {
	s.once.Do(func() {})
	s.quitOnce.Do(func() { close(s.quit) })
	s.ws.Close()
}

// wait waits for the writer and the request handlers.
func (s *session) wait() { s.wg.Wait() }

// forget removes a finished session.
func (f *Front) forget(s *session) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.agent != "" && f.sessions[s.agent] == s {
		delete(f.sessions, s.agent)
	}
}

func failure(code wire.FlexString, message string, visible bool) wire.Envelope {
	return wire.Envelope{Code: code, Message: message, Visible: wire.FlexBool(visible)}
}

func success(data any) wire.Envelope {
	env := wire.Envelope{Code: wire.CodeOK}
	if data != nil {
		env.Data = wire.MustData(data)
	}
	return env
}
