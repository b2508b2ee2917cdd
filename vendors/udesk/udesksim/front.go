package udesksim

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// Front is the Udesk front-end: one HTTP listener serving the token
// backend (/token), the socket (/ws) and the queries (/backend/<Method>).
type Front struct {
	cc   Center
	opts Options
	log  *slog.Logger
	up   websocket.Upgrader

	mu             sync.Mutex
	closed         bool
	addr           string // the listener's host:port, kept across restarts
	ln             net.Listener
	srv            *http.Server
	srvDone        chan struct{}
	sessions       map[string]*session // by agent
	agents         map[string]*agentUdesk
	views          map[string]map[string]callView // agent → call → view
	appSpNumber    string                         // the tenant's default trunk number
	tokenNotBefore map[string]time.Time           // "" = every agent
	silentUntil    time.Time                      // drop fault: refuse sockets until then
	restarting     bool

	sub      *callcenter.Subscription
	loopDone chan struct{}
	stop     chan struct{}  // closed by Close: delayed replies give up
	wg       sync.WaitGroup // restarts and other background work
}

// agentUdesk is what the platform keeps per agent beyond the center.
type agentUdesk struct {
	state    agentState
	since    time.Time
	mode     string
	spNumber string // the agent's own trunk number ("" = the tenant's)
	pool     string // the agent's chosen number pool ("" = none)
}

// New builds a front on a center. Start listens.
func New(cc Center, o Options) (*Front, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	f := &Front{
		cc: cc, opts: o, log: o.Logger,
		up:             websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		sessions:       map[string]*session{},
		agents:         map[string]*agentUdesk{},
		views:          map[string]map[string]callView{},
		tokenNotBefore: map[string]time.Time{},
		stop:           make(chan struct{}),
	}
	return f, nil
}

// Start listens on Options.Addr and follows the center's events.
func (f *Front) Start() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return ErrClosed
	}
	if err := f.listenLocked(f.opts.Addr); err != nil {
		return err
	}
	f.sub = f.cc.Subscribe()
	f.loopDone = make(chan struct{})
	go f.loop(f.sub)
	return nil
}

func (f *Front) listenLocked(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("udesksim: listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/token", f.serveToken)
	mux.HandleFunc("/ws", f.serveSocket)
	mux.HandleFunc("/backend/", f.serveQuery)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(f.log.Handler(), slog.LevelDebug)}
	f.ln, f.srv, f.addr = ln, srv, ln.Addr().String()
	done := make(chan struct{})
	f.srvDone = done
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return nil
}

// Addr is the listener's host:port.
func (f *Front) Addr() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addr
}

// TokenURL, Domain and HttpDomain are an account's three addresses.
func (f *Front) TokenURL() string   { return "http://" + f.Addr() + "/token" }
func (f *Front) Domain() string     { return "ws://" + f.Addr() + "/ws" }
func (f *Front) HttpDomain() string { return "http://" + f.Addr() + "/backend" }

// AppId is the tenant id accounts sign in with.
func (f *Front) AppId() string { return f.opts.AppId }

// Close stops listening, closes every session and stops following the center.
func (f *Front) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	close(f.stop)
	sessions := f.sessionList()
	srv, done, sub, loopDone := f.srv, f.srvDone, f.sub, f.loopDone
	f.mu.Unlock()
	for _, s := range sessions {
		s.close(websocket.CloseGoingAway, "server closing")
	}
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = srv.Shutdown(ctx)
		cancel()
		<-done
	}
	if sub != nil {
		sub.Close()
		<-loopDone
	}
	f.wg.Wait()
	for _, s := range sessions {
		s.wait()
	}
	return nil
}

func (f *Front) sessionList() []*session {
	out := make([]*session, 0, len(f.sessions))
	for _, s := range f.sessions {
		out = append(out, s)
	}
	return out
}

// Sessions lists the agents signed in on a socket.
func (f *Front) Sessions() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for id := range f.sessions {
		out = append(out, id)
	}
	return out
}

// Inject sends a raw frame to an agent's socket: golden payloads, unknown
// events, malformed or oversized frames.
func (f *Front) Inject(agentID string, frame []byte) error {
	f.mu.Lock()
	s := f.sessions[agentID]
	f.mu.Unlock()
	if s == nil {
		return fmt.Errorf("%w: %s", ErrNoSession, agentID)
	}
	s.send(frame)
	return nil
}

// Mode is an agent's phone mode on the platform.
func (f *Front) Mode(agentID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.agentLocked(agentID).mode
}

// agentLocked returns (creating) the platform's record of an agent.
func (f *Front) agentLocked(id string) *agentUdesk {
	a := f.agents[id]
	if a == nil {
		a = &agentUdesk{mode: f.opts.DefaultMode, state: agentState{State: wire.StateOffline}, since: f.opts.Now()}
		f.agents[id] = a
	}
	return a
}

// pushLocked queues a frame for an agent's socket, if it has one.
func (f *Front) pushLocked(agentID string, fr wire.ServerFrame) {
	if s := f.sessions[agentID]; s != nil {
		b, err := json.Marshal(fr)
		if err != nil {
			f.log.Error("udesksim: encode", "err", err)
			return
		}
		s.send(b)
	}
}

// restart: the restart fault. The listener and every socket go away
// and come back on the same port after downtime.
func (f *Front) restart(downtime time.Duration) {
	f.mu.Lock()
	if f.closed || f.restarting {
		f.mu.Unlock()
		return
	}
	f.restarting = true
	sessions := f.sessionList()
	srv, done, addr := f.srv, f.srvDone, f.addr
	f.mu.Unlock()
	for _, s := range sessions {
		s.abort()
	}
	_ = srv.Close()
	<-done
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		t := time.NewTimer(downtime)
		defer t.Stop()
		<-t.C
		f.mu.Lock()
		defer f.mu.Unlock()
		f.restarting = false
		if f.closed {
			return
		}
		if err := f.listenLocked(addr); err != nil {
			f.log.Error("udesksim: restart", "err", err)
		}
	}()
}
