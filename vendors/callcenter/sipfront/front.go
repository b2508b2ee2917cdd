package sipfront

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/room"
	"agentbar/vendors/callcenter/voice"
)

// Front is the SIP front-end of one center.
type Front struct {
	cc     *callcenter.Center
	opts   Options
	log    *slog.Logger
	mixer  *room.Mixer
	voices *voice.Library
	owned  []func() // closers of what the front made itself

	life   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // every goroutine the front starts
	sub    *callcenter.Subscription
	host   net.IP
	wsHost net.IP // in WSURL and WSSURL

	mu          sync.Mutex
	st          *stack // nil while restarting or closed
	port        int
	wsAddr      *net.TCPAddr // nil: no WS listener; its port once bound
	wssAddr     *net.TCPAddr
	closed      bool
	bindings    map[string]*binding              // by agent
	legs        map[string]*leg                  // by SIP Call-ID
	calls       map[callcenter.CallID]*callMedia // rooms
	silentUntil time.Time                        // Drop fault
	nonces      map[string]time.Time             // issued digest nonces
	heldOut     map[string]string                // sign-outs held back: the agent's device is elsewhere (why, by agent)
	sdpID       uint64

	// registered, restarted and faulted, when set (tests), hear of every
	// successful REGISTER, of the end of every restart and of every one-shot
	// fault carried out.
	registered func(agent string)
	restarted  func()
	faulted    func(callcenter.Fault) // a one-shot fault has been carried out (restart: begun)
	// parties, when set (tests), hears of every device elsewhere or outside
	// callee joining (in) or leaving a call's room.
	parties func(call callcenter.CallID, party string, in bool)
	// socketDone, when set (tests), hears of every closed WebSocket once
	// the front has dealt with it.
	socketDone func(network, raddr string)
}

// New prepares a front for the center; Start binds it.
func New(cc *callcenter.Center, opts Options) (*Front, error) {
	opts.defaults()
	addr, err := net.ResolveUDPAddr("udp4", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("sipfront: address %q: %w", opts.Addr, err)
	}
	f := &Front{cc: cc, opts: opts, log: opts.Logger.With("front", "sip"), host: hostIP(addr), port: addr.Port,
		bindings: map[string]*binding{}, legs: map[string]*leg{}, calls: map[callcenter.CallID]*callMedia{},
		nonces: map[string]time.Time{}, heldOut: map[string]string{}}
	if opts.WSAddr != "" {
		if f.wsAddr, err = net.ResolveTCPAddr("tcp4", opts.WSAddr); err != nil {
			return nil, fmt.Errorf("sipfront: WS address %q: %w", opts.WSAddr, err)
		}
	}
	if opts.WSSAddr != "" {
		if opts.TLS == nil {
			return nil, fmt.Errorf("sipfront: WSS address %q: %w", opts.WSSAddr, ErrNoTLS)
		}
		if f.wssAddr, err = net.ResolveTCPAddr("tcp4", opts.WSSAddr); err != nil {
			return nil, fmt.Errorf("sipfront: WSS address %q: %w", opts.WSSAddr, err)
		}
	}
	for _, a := range []*net.TCPAddr{f.wsAddr, f.wssAddr} {
		if a != nil && f.wsHost == nil {
			f.wsHost = hostIP(&net.UDPAddr{IP: a.IP})
		}
	}
	f.mixer = opts.Mixer
	if f.mixer == nil {
		f.mixer = room.NewMixer()
		f.owned = append(f.owned, f.mixer.Close)
	}
	f.voices = opts.Voices
	if f.voices == nil {
		f.voices = voice.NewLibrary(false, f.log)
		f.owned = append(f.owned, func() { _ = f.voices.Close() })
	}
	f.life, f.cancel = context.WithCancel(context.Background())
	return f, nil
}

// Start binds the SIP port (UDP and TCP), the WebSocket ports when asked
// for, and begins serving the center.
func (f *Front) Start() error {
	st, err := startStack(f.stackConfig())
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.st, f.port = st, st.port
	if st.ws != nil {
		f.wsAddr = &net.TCPAddr{IP: f.wsAddr.IP, Port: st.ws.port()}
	}
	if st.wss != nil {
		f.wssAddr = &net.TCPAddr{IP: f.wssAddr.IP, Port: st.wss.port()}
	}
	f.mu.Unlock()
	f.sub = f.cc.Subscribe()
	f.wg.Add(1)
	go f.run()
	return nil
}

// Addr is where the front listens, host:port (UDP and TCP).
func (f *Front) Addr() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return net.JoinHostPort(f.host.String(), fmt.Sprint(f.port))
}

// stackConfig is how to build the SIP stack: on the ports of the first
// generation once it is bound.
func (f *Front) stackConfig() stackConfig {
	f.mu.Lock()
	defer f.mu.Unlock()
	return stackConfig{host: f.host, port: f.port, wsAddr: f.wsAddr, wssAddr: f.wssAddr, tls: f.opts.TLS,
		log: f.log, register: f.register, closed: f.socketClosed}
}

// WSURL is the SIP WebSocket URL clients dial (ws://host:port/ws), "" when
// the front does not listen for WS.
func (f *Front) WSURL() string { return f.wsURL("ws") }

// WSSURL is the secure SIP WebSocket URL (wss://host:port/ws), "" when
// the front does not listen for WSS.
func (f *Front) WSSURL() string { return f.wsURL("wss") }

func (f *Front) wsURL(scheme string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.wsAddr
	if scheme == "wss" {
		a = f.wssAddr
	}
	if a == nil || a.Port == 0 {
		return ""
	}
	return scheme + "://" + net.JoinHostPort(f.wsHost.String(), fmt.Sprint(a.Port)) + wsPath
}

// Port is the SIP port.
func (f *Front) Port() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.port
}

// Center is the center the front serves.
func (f *Front) Center() *callcenter.Center { return f.cc }

// Close hangs up every leg, stops the SIP stack and every goroutine.
func (f *Front) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	legs := make([]*leg, 0, len(f.legs))
	for _, l := range f.legs {
		legs = append(legs, l)
	}
	f.mu.Unlock()
	var wg sync.WaitGroup
	for _, l := range legs {
		wg.Add(1)
		go func() { defer wg.Done(); l.abort() }()
	}
	wg.Wait()
	f.cancel()
	if f.sub != nil {
		f.sub.Close()
	}
	f.mu.Lock()
	st := f.st
	f.st = nil
	for _, b := range f.bindings {
		b.timer.Stop()
	}
	f.bindings = map[string]*binding{}
	calls := f.calls
	f.calls = map[callcenter.CallID]*callMedia{}
	f.mu.Unlock()
	f.wg.Wait()
	if st != nil {
		st.close()
	}
	for _, cm := range calls {
		cm.close()
	}
	for _, c := range f.owned {
		c()
	}
	return nil
}

// stack returns the current SIP stack, nil while it is down.
func (f *Front) stack() *stack {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

// goTracked runs fn in a goroutine Close waits for; false once closing.
func (f *Front) goTracked(fn func()) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed && f.life.Err() != nil {
		return false
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		fn()
	}()
	return true
}

// register routes every method the front answers, through the fault
// knobs (silence, delay).
func (f *Front) register(srv *sipgo.Server) {
	on := func(method sip.RequestMethod, h sipgo.RequestHandler) {
		srv.OnRequest(method, f.knobs(method, h))
	}
	on(sip.REGISTER, f.onRegister)
	on(sip.INVITE, f.onInvite)
	on(sip.ACK, f.onAck)
	on(sip.BYE, f.onBye)
	on(sip.CANCEL, func(req *sip.Request, tx sip.ServerTransaction) {
		f.respond(tx, req, 481, "Call/Transaction Does Not Exist")
	})
	on(sip.OPTIONS, f.onOptions)
	on(sip.INFO, f.onInfo)
	on(sip.REFER, f.onRefer)
	on(sip.MESSAGE, f.onMessage)
	on(sip.NOTIFY, func(req *sip.Request, tx sip.ServerTransaction) { f.respond(tx, req, 200, "OK") })
	srv.OnNoRoute(f.knobs("", func(req *sip.Request, tx sip.ServerTransaction) {
		f.respond(tx, req, 405, "Method Not Allowed", sip.NewHeader("Allow", allowed))
	}))
}

const allowed = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, MESSAGE, REGISTER"

// knobs applies the Drop (ignore requests) and Delay faults.
func (f *Front) knobs(method sip.RequestMethod, h sipgo.RequestHandler) sipgo.RequestHandler {
	return func(req *sip.Request, tx sip.ServerTransaction) {
		f.mu.Lock()
		silent := time.Now().Before(f.silentUntil)
		f.mu.Unlock()
		if silent {
			return // as if the server were gone: the client times out
		}
		if req.Method != sip.ACK {
			if d := f.cc.Faults().Delay(string(req.Method)); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-t.C:
				case <-f.life.Done():
					t.Stop()
					return
				}
			}
		}
		h(req, tx)
	}
}

// respond answers a request outside any dialog logic.
func (f *Front) respond(tx sip.ServerTransaction, req *sip.Request, code int, reason string, headers ...sip.Header) {
	res := sip.NewResponseFromRequest(req, code, reason, nil)
	res.AppendHeader(sip.NewHeader("Server", userAgent))
	for _, h := range headers {
		res.AppendHeader(h)
	}
	if err := tx.Respond(res); err != nil {
		f.log.Debug("sipfront: respond", "method", req.Method, "code", code, "err", err)
	}
}

func (f *Front) onOptions(req *sip.Request, tx sip.ServerTransaction) {
	f.respond(tx, req, 200, "OK", sip.NewHeader("Allow", allowed),
		sip.NewHeader("Accept", "application/sdp, application/dtmf-relay"))
}

// newOrigin gives an SDP session its o= line numbers.
func (f *Front) newOrigin() *sdpOrigin {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sdpID++
	return &sdpOrigin{id: uint64(time.Now().Unix())*1000 + f.sdpID}
}
