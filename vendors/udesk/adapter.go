package udesk

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/core/webrtc"
	"agentbar/vendors/udesk/wire"
)

// portMaker is what the application hands adapters as Config.Services: the
// audio pipeline that gives each call its port.
type portMaker interface {
	NewPort(sampleRate int) (*audio.CallPort, error)
}

// Options tune an adapter; the zero value is the production setting.
type Options struct {
	// RequestTimeout bounds one request (socket or HTTP): 10 s.
	RequestTimeout time.Duration
	// PingInterval is the socket keep-alive; a server silent for 2.5
	// intervals is taken as gone: 15 s.
	PingInterval time.Duration
	// ReconnectMin and ReconnectMax bound the reconnect backoff: 100 ms to
	// 1 s, so the agent is back within about a second of the server.
	ReconnectMin, ReconnectMax time.Duration
	// LegWait is how long Answer waits in voip and webrtc modes for the
	// platform's INVITE to reach the softphone: 3 s.
	LegWait time.Duration
	// RegisterWait is how long Login waits for the softphone's first
	// registration: 5 s.
	RegisterWait time.Duration
	// WallPoll is how often a supervisor's agent wall is refreshed with
	// GetOtherAgentsAsync (the SDK has no event for other agents): 3 s.
	WallPoll time.Duration
	// TLSRootCAs verify the web phone's WSS server (webrtc mode); the
	// account's ca_file, else the system pool, when nil.
	TLSRootCAs *x509.CertPool
	// HTTPClient for the token service and HttpDomain; a client with the
	// request timeout when nil.
	HTTPClient *http.Client
	// Now is the clock (wrap-up ends); time.Now when nil.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 10 * time.Second
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 15 * time.Second
	}
	if o.ReconnectMin <= 0 {
		o.ReconnectMin = 100 * time.Millisecond
	}
	if o.ReconnectMax < o.ReconnectMin {
		o.ReconnectMax = max(time.Second, o.ReconnectMin)
	}
	if o.LegWait <= 0 {
		o.LegWait = 3 * time.Second
	}
	if o.RegisterWait <= 0 {
		o.RegisterWait = 5 * time.Second
	}
	if o.WallPoll <= 0 {
		o.WallPoll = 3 * time.Second
	}
	if o.HTTPClient == nil {
		// Its own transport, so that Logout can close its idle connections.
		o.HTTPClient = &http.Client{Timeout: o.RequestTimeout, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// adapterOptions are Options with the socket's part split out.
type adapterOptions struct {
	Options
	socket socketOptions
}

// Adapter is one signed-in Udesk agent.
type Adapter struct {
	log        *slog.Logger
	opts       adapterOptions
	appID      string
	agentID    string
	domain     string
	httpDomain string
	mode       string // the account's phone mode
	autoConn   bool
	supervisor bool
	tokens     *tokenSource
	http       *http.Client
	ports      portMaker          // nil: calls carry silence
	iceServers []webrtc.ICEServer // the account's STUN servers (webrtc mode)

	life   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	dialMu  sync.Mutex // one outbound call is announced at a time
	mediaMu sync.Mutex // serialises starting and stopping the softphone

	// portMu guards the microphone's mute and the calls' audio ports. It is
	// its own lock because the phone opens ports while holding a call's
	// lock, and the adapter must never take a call's lock under mu.
	portMu    sync.Mutex
	muted     bool
	livePorts map[*audio.CallPort]struct{}

	mu           sync.Mutex // never held while calling into the phone
	sink         core.Sink
	sock         *socket // signed in: requests go here
	eventSock    *socket // whose events count (sock, or the one signing in)
	calls        map[string]*callRec
	pending      *pendingDial
	curMode      string // the platform's current phone mode
	deviceNumber string // the number of the agent's terminal
	labels       map[string]string
	wrapUp       time.Duration
	media        *softphone
	unbound      []*phone.Call // legs that arrived before their call
	wall         []wire.OtherAgent
	wallSig      string
	closing      bool
	modeSettled  bool // Login has set the account's phone mode
	recCounter   uint64
	consulted    map[string]core.Target // call → the party it consults
	ignored      map[string]bool        // calls of dials the agent gave up
}

var (
	_ core.Vendor            = (*Adapter)(nil)
	_ core.Holder            = (*Adapter)(nil)
	_ core.Muter             = (*Adapter)(nil)
	_ core.DTMFSender        = (*Adapter)(nil)
	_ core.Transferrer       = (*Adapter)(nil)
	_ core.Consulter         = (*Adapter)(nil)
	_ core.Conferencer       = (*Adapter)(nil)
	_ core.BreakReasonLister = (*Adapter)(nil)
	_ core.Directory         = (*Adapter)(nil)
	_ core.CallerIDChooser   = (*Adapter)(nil)
	_ core.DeviceModer       = (*Adapter)(nil)
	_ core.Supervisor        = (*Adapter)(nil)
)

// New builds an adapter with the production options (core.Info.New).
func New(cfg core.Config) (core.Vendor, error) {
	a, err := NewAdapter(cfg, Options{})
	if err != nil {
		return nil, err // not a typed nil: the engine must see no adapter
	}
	return a, nil
}

// NewAdapter builds an adapter from an account's fields (validated and
// defaulted by the registry) and options.
func NewAdapter(cfg core.Config, o Options) (*Adapter, error) {
	f := cfg.Fields
	o = o.withDefaults()
	a := &Adapter{
		log: cfg.Logger, appID: strings.TrimSpace(f[fieldAppID]), agentID: strings.TrimSpace(f[fieldAgentID]),
		domain: strings.TrimSpace(f[fieldDomain]), httpDomain: strings.TrimSpace(f[fieldHTTPDomain]),
		mode: f[fieldPhoneMode], http: o.HTTPClient,
		calls: map[string]*callRec{}, consulted: map[string]core.Target{}, ignored: map[string]bool{}, labels: map[string]string{}, livePorts: map[*audio.CallPort]struct{}{},
	}
	a.opts = adapterOptions{Options: o, socket: socketOptions{requestTimeout: o.RequestTimeout, pingInterval: o.PingInterval}.withDefaults()}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	for key, v := range map[string]string{fieldAppID: a.appID, fieldAgentID: a.agentID, fieldDomain: a.domain, fieldHTTPDomain: a.httpDomain, fieldTokenURL: f[fieldTokenURL]} {
		if v == "" {
			return nil, &core.FieldError{Platform: platformID, Key: key, Problem: "required"}
		}
	}
	if a.mode == "" {
		a.mode = wire.ModeVoip
	}
	switch a.mode {
	case wire.ModeVoip, wire.ModeCellphone, wire.ModeWebRTC:
	default:
		return nil, &core.FieldError{Platform: platformID, Key: fieldPhoneMode, Problem: "must be voip, cellphone or webrtc"}
	}
	var err error
	if a.iceServers, err = stunServers(f[fieldSTUN]); err != nil {
		return nil, err
	}
	if path := strings.TrimSpace(f[fieldCAFile]); path != "" && a.opts.TLSRootCAs == nil {
		if a.opts.TLSRootCAs, err = readCAFile(path); err != nil {
			return nil, err
		}
	}
	a.autoConn = parseBool(f[fieldAutoConnect], true)
	a.supervisor = parseBool(f[fieldSupervisor], false)
	a.tokens = &tokenSource{url: strings.TrimSpace(f[fieldTokenURL]), secret: cfg.Secret, appID: a.appID, agentID: a.agentID, client: a.http}
	if pm, ok := cfg.Services.(portMaker); ok {
		a.ports = pm
	} else {
		a.log.Warn("udesk: no audio pipeline; softphone calls carry silence")
	}
	return a, nil
}

func parseBool(s string, def bool) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return b
}

// report hands an update to the engine; it never blocks.
func (a *Adapter) report(u core.Update) {
	a.mu.Lock()
	sink := a.sink
	a.mu.Unlock()
	if sink != nil {
		sink.Report(u)
	}
}

// socket returns the live socket, or core.ErrNotConnected.
func (a *Adapter) socket() (*socket, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sock == nil {
		if a.sink == nil {
			return nil, core.ErrNotLoggedIn
		}
		return nil, fmt.Errorf("%w: Udesk socket", core.ErrNotConnected)
	}
	return a.sock, nil
}

// request sends a method on the socket and returns its reply.
func (a *Adapter) request(ctx context.Context, method string, params any) (wire.Envelope, error) {
	s, err := a.socket()
	if err != nil {
		return wire.Envelope{}, err
	}
	return s.call(ctx, method, params)
}

// do sends a method on the socket and keeps only the error.
func (a *Adapter) do(ctx context.Context, method string, params any) error {
	_, err := a.request(ctx, method, params)
	return err
}

func (a *Adapter) now() time.Time { return a.opts.Now() }
