package phone

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// Phone is one SIP account's user agent. Its methods are safe for
// concurrent use.
type Phone struct {
	cfg    *settings
	log    *slog.Logger
	events *eventQueue

	mu       sync.Mutex
	started  bool
	closing  bool
	draining bool // Close is waiting for the goroutines: start no more
	dnd      bool
	localIP  net.IP            // Via, Contact and SDP address
	contact  sip.ContactHeader // our Contact; the registration loop may rewrite it behind NAT
	client   *sipgo.Client
	calls    map[*Call]struct{}
	dialogs  map[string]*Call // by dialogKey
	regState RegistrationState

	ua       *sipgo.UserAgent
	server   *sipgo.Server
	udpConn  net.PacketConn
	listener net.Listener
	bindIP   net.IP // what the SIP socket is bound to (0.0.0.0 when LocalIP is detected)
	port     int    // bound SIP port (0 with TLS)
	wsHost   string // our "<random>.invalid" Via and Contact host over WebSocket; set before the UA exists
	ws       wsLink

	life     context.Context // cancelled by Close
	stopLife context.CancelFunc
	wg       sync.WaitGroup // every goroutine the phone starts

	reg     registration  // owned by the registration loop, then by Close
	sealed  atomic.Bool   // Close is tearing the stack down: drop what arrives
	nudge   chan string   // "register again now", with the reason
	regDone chan struct{} // closed when the registration loop has stopped
	inbox   *messageInbox // MESSAGEs on their way to Config.OnMessage

	hooks testHooks
}

// testHooks let the package's own tests drive time-dependent loops without
// waiting for real minutes. Zero values mean production behaviour.
type testHooks struct {
	backoff        func(attempt int) time.Duration
	netTick        <-chan time.Time
	interfaceAddrs func() ([]net.Addr, error)
	wallNow        func() time.Time
	qualityEvery   time.Duration
	// sessionTimerScale shrinks RFC 4028 waits (90 s at least) for tests.
	sessionTimerScale float64
	// skipRefresh makes this phone forget to refresh its sessions.
	skipRefresh bool
	// wsWatchEvery replaces how often the WebSocket is looked for.
	wsWatchEvery time.Duration
	// rtcConnectTimeout replaces WebRTC's connect timeout.
	rtcConnectTimeout time.Duration
	// mangleLocalSDP rewrites every SDP this phone sends, mangleRemoteSDP
	// every WebRTC SDP it receives (fault injection).
	mangleLocalSDP, mangleRemoteSDP func([]byte) []byte
}

// shutdownGrace is how long Close lets sipgo finish messages it had read
// before the seal.
const shutdownGrace = 50 * time.Millisecond

// New checks cfg and prepares a Phone; nothing is bound until Start.
func New(cfg Config) (*Phone, error) {
	s, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	life, stop := context.WithCancel(context.Background())
	p := &Phone{
		cfg:      s,
		log:      s.Logger.With("account", s.aor.String()),
		events:   newEventQueue(),
		calls:    map[*Call]struct{}{},
		dialogs:  map[string]*Call{},
		life:     life,
		stopLife: stop,
		nudge:    make(chan string, 1),
		regDone:  make(chan struct{}),
		inbox:    newMessageInbox(),
	}
	return p, nil
}

// Events delivers everything that happens, in order. It is closed by Close.
// Read it continuously: events queue up without limit while nobody reads.
func (p *Phone) Events() <-chan Event { return p.events.out }

func (p *Phone) emit(e Event) { p.events.push(e) }

// Start binds the SIP transport and, when Config.Register is set, starts the
// registration loop; registration results arrive as RegistrationChanged.
// ctx bounds the start-up only.
func (p *Phone) Start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		return ErrClosed
	}
	if p.started {
		return fmt.Errorf("phone: already started")
	}
	if err := p.startTransport(ctx); err != nil {
		return err
	}
	p.started = true
	p.events.start()
	if p.cfg.Register {
		p.wg.Add(2)
		go func() {
			defer p.wg.Done()
			defer close(p.regDone)
			p.registrationLoop(p.life)
		}()
		go func() {
			defer p.wg.Done()
			p.watchNetwork(p.life)
		}()
	} else {
		close(p.regDone)
	}
	if p.cfg.overWebSocket() {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.keepWebSocket(p.life)
		}()
	}
	if p.cfg.OnMessage != nil {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.deliverMessages(p.life.Done())
		}()
	}
	return nil
}

// Contact is the SIP URI other user agents can reach this phone at (the
// Contact header we send), e.g. sip:1001@192.0.2.7:5060.
func (p *Phone) Contact() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.contact.Address.String()
}

// SetDoNotDisturb makes every new incoming call get Config.BusyCode at once.
func (p *Phone) SetDoNotDisturb(on bool) {
	p.mu.Lock()
	p.dnd = on
	p.mu.Unlock()
}

// Calls returns the calls that have not ended, in no particular order.
func (p *Phone) Calls() []*Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*Call, 0, len(p.calls))
	for c := range p.calls {
		out = append(out, c)
	}
	return out
}

// Close hangs up every call, unregisters (Expires: 0), stops every
// goroutine and closes Events. ctx bounds the goodbyes; resources are
// released whatever ctx says.
func (p *Phone) Close(ctx context.Context) error {
	p.mu.Lock()
	if p.closing {
		p.mu.Unlock()
		return nil
	}
	p.closing = true
	started := p.started
	calls := make([]*Call, 0, len(p.calls))
	for c := range p.calls {
		calls = append(calls, c)
	}
	p.mu.Unlock()

	var errs []error
	if started {
		var wg sync.WaitGroup
		for _, c := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.closeForShutdown(ctx)
			}()
		}
		wg.Wait()
		p.stopLife() // stops the registration loop
		<-p.regDone
		if err := p.unregister(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	p.stopLife()
	p.sealed.Store(true)
	if p.ua != nil {
		// Transactions first: a retransmitted 200 must not make sipgo
		// re-send an ACK from a fresh socket once ours is closed.
		if err := p.ua.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("phone: close SIP stack: %w", err))
		}
		if p.udpConn != nil {
			p.udpConn.Close()
		}
		if p.listener != nil {
			p.listener.Close()
		}
	}
	p.mu.Lock()
	p.draining = true
	p.mu.Unlock()
	p.wg.Wait()
	if p.ua != nil {
		// A message read just before the seal may still be in sipgo's
		// hands and open a socket to answer: give it a moment, then sweep.
		t := time.NewTimer(shutdownGrace)
		<-t.C
		p.ua.TransportLayer().Close()
	}
	p.events.close(started)
	return errors.Join(errs...)
}

// usable reports why new calls cannot be made.
func (p *Phone) usable() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		return ErrClosed
	}
	if !p.started {
		return ErrNotStarted
	}
	return nil
}

// goTracked runs f as a goroutine that Close waits for. Once Close has
// started waiting, f is not run at all (it would outlive the phone).
func (p *Phone) goTracked(f func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.draining {
		return false
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		f()
	}()
	return true
}

// dialogUA is what sipgo needs to run one call's dialog.
func (p *Phone) dialogUA() *sipgo.DialogUA {
	p.mu.Lock()
	defer p.mu.Unlock()
	// Over WebSocket a Contact such as sip:1001@x.invalid;transport=ws
	// cannot be routed: without a route set, answer where the dialog came from.
	return &sipgo.DialogUA{Client: p.client, ContactHDR: *p.contact.Clone(), RewriteContact: p.cfg.overWebSocket()}
}

func (p *Phone) sipClient() *sipgo.Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.client
}

func (p *Phone) currentLocalIP() net.IP {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.localIP
}

// transportName is what sipgo wants in SetTransport.
func (p *Phone) transportName() string { return strings.ToUpper(p.cfg.Transport) }

// addLiveCall makes c one of the phone's calls, unless the phone closes.
func (p *Phone) addLiveCall(c *Call) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		return false
	}
	p.calls[c] = struct{}{}
	return true
}

func (p *Phone) setDialogKey(c *Call, key string) {
	p.mu.Lock()
	p.dialogs[key] = c
	p.mu.Unlock()
}

func (p *Phone) removeCall(c *Call, key string) {
	p.mu.Lock()
	delete(p.calls, c)
	if key != "" && p.dialogs[key] == c {
		delete(p.dialogs, key)
	}
	p.mu.Unlock()
}

// callFor finds the call an in-dialog request belongs to.
func (p *Phone) callFor(req *sip.Request) *Call {
	key, ok := requestDialogKey(req)
	if !ok {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dialogs[key]
}

// otherCalls returns the live calls other than c.
func (p *Phone) otherCalls(c *Call) []*Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*Call
	for o := range p.calls {
		if o != c {
			out = append(out, o)
		}
	}
	return out
}

// dialogKey names a dialog from our side: Call-ID, our tag, their tag.
func dialogKey(callID, localTag, remoteTag string) string {
	return callID + "\x00" + localTag + "\x00" + remoteTag
}

// requestDialogKey is the key of the dialog an incoming request is in:
// the To tag is ours, the From tag theirs.
func requestDialogKey(req *sip.Request) (string, bool) {
	callID := req.CallID()
	to, from := req.To(), req.From()
	if callID == nil || to == nil || from == nil {
		return "", false
	}
	local, ok1 := to.Params.Get("tag")
	remote, ok2 := from.Params.Get("tag")
	if !ok1 || !ok2 {
		return "", false
	}
	return dialogKey(string(*callID), local, remote), true
}
