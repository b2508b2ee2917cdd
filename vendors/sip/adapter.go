package sip

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/core/webrtc"
)

// portMaker is what the application hands adapters as Config.Services: the
// audio pipeline that gives each call its port.
type portMaker interface {
	NewPort(sampleRate int) (*audio.CallPort, error)
}

// Adapter is one signed-in plain SIP account.
type Adapter struct {
	log      *slog.Logger
	pcfg     phone.Config
	register bool
	user     string
	display  string

	life   context.Context
	cancel context.CancelFunc

	dialMu sync.Mutex // one outbound call is announced at a time

	mu          sync.Mutex
	ph          *phone.Phone
	sink        core.Sink
	calls       map[string]*phone.Call
	transferred map[string]bool
	pending     *pendingDial
	ports       map[*audio.CallPort]struct{}
	muted       bool
	firstReg    chan error
	pumpDone    chan struct{}
}

// pendingDial links the engine's dial tag to the phone call it becomes.
type pendingDial struct {
	tag       core.CallID
	number    string
	announced chan struct{}
}

var (
	_ core.Vendor      = (*Adapter)(nil)
	_ core.Rejecter    = (*Adapter)(nil)
	_ core.Holder      = (*Adapter)(nil)
	_ core.Muter       = (*Adapter)(nil)
	_ core.DTMFSender  = (*Adapter)(nil)
	_ core.Transferrer = (*Adapter)(nil)
)

// New builds an adapter from an account's fields (already validated and
// defaulted by the registry).
func New(cfg core.Config) (core.Vendor, error) {
	f := cfg.Fields
	a := &Adapter{
		log: cfg.Logger, calls: map[string]*phone.Call{}, transferred: map[string]bool{},
		ports: map[*audio.CallPort]struct{}{}, firstReg: make(chan error, 1),
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.register = f["register"] != "false"
	expiry, _ := strconv.Atoi(f["expiry"])
	busy, _ := strconv.Atoi(f["busy_code"])
	port, _ := strconv.Atoi(f["port"])
	a.pcfg = phone.Config{
		URI: f["uri"], DisplayName: f["display_name"], AuthUser: f["auth_user"],
		Password: cfg.Secret, Realm: f["realm"], Register: a.register,
		Expiry: time.Duration(expiry) * time.Second, Transport: f["transport"], Proxy: f["proxy"],
		WebSocketURL: strings.TrimSpace(f["ws_url"]), Media: f["media"],
		ListenPort: port, DTMFMode: f["dtmf_mode"], AutoAnswer: f["auto_answer"] == "true",
		HonourAnswerAfter: f["answer_after"] == "true", BusyCode: busy,
		UserAgent: "agentbar", Logger: a.log,
	}
	if ip := strings.TrimSpace(f["local_ip"]); ip != "" {
		a.pcfg.LocalIP = net.ParseIP(ip)
		if a.pcfg.LocalIP == nil {
			return nil, &core.FieldError{Platform: "sip", Key: "local_ip", Problem: "not an IP address"}
		}
	}
	for _, c := range strings.Split(f["codecs"], ",") {
		if c = strings.TrimSpace(c); c != "" {
			a.pcfg.Codecs = append(a.pcfg.Codecs, strings.ToUpper(c))
		}
	}
	servers, err := iceServers(f, cfg.Secret)
	if err != nil {
		return nil, err
	}
	a.pcfg.ICEServers = servers
	if path := strings.TrimSpace(f["ca_file"]); path != "" {
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCAFile, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: %s holds no PEM certificate", ErrCAFile, path)
		}
		a.pcfg.TLSRootCAs = pool
	}
	if pm, ok := cfg.Services.(portMaker); ok {
		a.pcfg.NewPort = func(rate int) (audio.Port, error) { return a.newPort(pm, rate) }
	} else {
		a.log.Warn("sip: no audio pipeline; calls carry silence")
	}
	a.pcfg.OnMessage = a.onMessage
	a.user = userOf(a.pcfg.URI)
	a.display = a.pcfg.DisplayName
	return a, nil
}

// newPort opens a call's audio and remembers it for mute.
func (a *Adapter) newPort(pm portMaker, rate int) (audio.Port, error) {
	p, err := pm.NewPort(rate)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	p.SetMuted(a.muted)
	a.ports[p] = struct{}{}
	a.mu.Unlock()
	return &trackedPort{CallPort: p, a: a}, nil
}

// trackedPort forgets itself on Close.
type trackedPort struct {
	*audio.CallPort
	a *Adapter
}

func (p *trackedPort) Close() error {
	p.a.mu.Lock()
	delete(p.a.ports, p.CallPort)
	p.a.mu.Unlock()
	return p.CallPort.Close()
}

// Login starts the user agent and, when registering, waits for the first
// registration result: a wrong password or an unreachable registrar is
// reported here as a sentence.
func (a *Adapter) Login(ctx context.Context, sink core.Sink) error {
	ph, err := phone.New(a.pcfg)
	if err != nil {
		return err
	}
	a.life, a.cancel = context.WithCancel(context.Background())
	a.mu.Lock()
	a.ph, a.sink = ph, sink
	a.pumpDone = make(chan struct{})
	a.mu.Unlock()
	go a.pump(ph)
	if err := ph.Start(ctx); err != nil {
		a.shutdown(ctx)
		return err
	}
	if a.register {
		select {
		case err := <-a.firstReg:
			if err != nil {
				a.shutdown(ctx)
				return err
			}
		case <-ctx.Done():
			a.shutdown(context.Background())
			return ctx.Err()
		}
	}
	sink.Report(core.SessionUpdate{AgentID: a.user, Extension: a.user, DisplayName: a.display})
	sink.Report(core.AgentStateUpdate{State: core.ReadyState()})
	if !a.register {
		sink.Report(core.MediaUpdate{Registered: false, Detail: "direct IP calls at " + ph.Contact()})
	}
	sink.Report(core.ConnectionUpdate{State: core.ConnConnected})
	return nil
}

// Logout hangs up, unregisters and stops the user agent.
func (a *Adapter) Logout(ctx context.Context) error {
	return a.shutdown(ctx)
}

func (a *Adapter) shutdown(ctx context.Context) error {
	a.mu.Lock()
	ph, done := a.ph, a.pumpDone
	a.mu.Unlock()
	if ph == nil {
		return nil
	}
	if a.cancel != nil {
		a.cancel()
	}
	err := ph.Close(ctx)
	select {
	case <-done:
	case <-ctx.Done():
	}
	return err
}

// SetAgentState: Ready takes calls, Busy is do-not-disturb.
func (a *Adapter) SetAgentState(ctx context.Context, s core.AgentState) error {
	ph, sink := a.phone()
	if ph == nil {
		return core.ErrNotLoggedIn
	}
	switch s.Name() {
	case "ready":
		ph.SetDoNotDisturb(false)
	case "busy":
		ph.SetDoNotDisturb(true)
	default:
		return fmt.Errorf("%w: agent state %s on a plain SIP account", core.ErrNotSupported, s.Name())
	}
	sink.Report(core.AgentStateUpdate{State: s})
	return nil
}

// Dial places a call and returns as soon as the phone announces it; the
// INVITE goes on in the background and its outcome arrives as updates.
func (a *Adapter) Dial(ctx context.Context, req core.DialRequest) error {
	ph, _ := a.phone()
	if ph == nil {
		return core.ErrNotLoggedIn
	}
	a.dialMu.Lock()
	defer a.dialMu.Unlock()
	pd := &pendingDial{tag: req.Tag, number: req.Number, announced: make(chan struct{})}
	a.mu.Lock()
	a.pending = pd
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		if a.pending == pd {
			a.pending = nil
		}
		a.mu.Unlock()
	}()
	failed := make(chan error, 1)
	go func() {
		// a.life, not ctx: the call outlives this request. Hangup cancels it.
		if _, err := ph.Dial(a.life, req.Number); err != nil {
			failed <- err
		}
	}()
	select {
	case <-pd.announced:
		return nil
	case err := <-failed:
		if beforeAnnounce(err) {
			return err
		}
		// The call was announced before it failed (a fast 486, say): its
		// end reaches the engine as an update, in order, after the start.
		select {
		case <-pd.announced:
			return nil
		case <-ctx.Done():
			return err
		case <-time.After(2 * time.Second):
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
	}
}

// beforeAnnounce reports whether a Dial error came before the phone
// announced the call, so that no update about it will follow.
func beforeAnnounce(err error) bool {
	for _, e := range []error{phone.ErrInvalidTarget, phone.ErrClosed, phone.ErrNotStarted, phone.ErrMediaFailed, phone.ErrInvalidConfig} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func (a *Adapter) phone() (*phone.Phone, core.Sink) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ph, a.sink
}

func (a *Adapter) call(id string) (*phone.Call, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c, ok := a.calls[id]
	if !ok {
		return nil, core.ErrNoSuchCall
	}
	return c, nil
}

// Answer answers a ringing call.
func (a *Adapter) Answer(ctx context.Context, id string) error {
	c, err := a.call(id)
	if err != nil {
		return err
	}
	return c.Answer(ctx)
}

// Hangup cancels, rejects or ends a call, whatever its state.
func (a *Adapter) Hangup(ctx context.Context, id string) error {
	c, err := a.call(id)
	if err != nil {
		return err
	}
	return c.Hangup(ctx)
}

// Reject refuses a ringing call with the account's busy code.
func (a *Adapter) Reject(ctx context.Context, id string) error {
	c, err := a.call(id)
	if err != nil {
		return err
	}
	return c.Reject(ctx, 0)
}

// Hold puts a call on hold by re-INVITE.
func (a *Adapter) Hold(ctx context.Context, id string) error {
	c, err := a.call(id)
	if err != nil {
		return err
	}
	return c.Hold(ctx)
}

// Resume takes a call off hold.
func (a *Adapter) Resume(ctx context.Context, id string) error {
	c, err := a.call(id)
	if err != nil {
		return err
	}
	return c.Resume(ctx)
}

// Mute silences the agent's microphone. It applies to every call: the
// microphone is one.
func (a *Adapter) Mute(ctx context.Context, id string, on bool) error {
	if _, err := a.call(id); err != nil {
		return err
	}
	a.mu.Lock()
	a.muted = on
	for p := range a.ports {
		p.SetMuted(on)
	}
	a.mu.Unlock()
	return nil
}

// SendDTMF sends digits the way the account is set up (RFC 4733 or INFO).
func (a *Adapter) SendDTMF(ctx context.Context, id, digits string) error {
	c, err := a.call(id)
	if err != nil {
		return err
	}
	return c.SendDTMF(ctx, digits)
}

// TransferKinds: a blind REFER reaches an extension or any number.
func (a *Adapter) TransferKinds() []core.TargetKind {
	return []core.TargetKind{core.TargetAgent, core.TargetNumber}
}

// Transfer sends a blind REFER; progress arrives as notices and the call
// ends when the transfer succeeds.
func (a *Adapter) Transfer(ctx context.Context, id string, to core.Target) error {
	c, err := a.call(id)
	if err != nil {
		return err
	}
	return c.Transfer(ctx, to.ID)
}

// userOf returns the user part of a SIP URI, or the URI itself.
func userOf(uri string) string {
	s := strings.TrimSpace(uri)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 && strings.HasPrefix(strings.ToLower(s), "sip") {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexAny(s, ";>"); i >= 0 {
		s = s[:i]
	}
	return s
}

// iceServers reads the WebRTC fields: STUN URLs, and TURN URLs whose
// credential is the account's password (the one secret an account keeps,
// in the keyring: a TURN password must not land in the accounts file).
// Platforms that hand out TURN credentials at sign-in put them in
// phone.Config themselves.
func iceServers(f map[string]string, password string) ([]webrtc.ICEServer, error) {
	split := func(key string, schemes ...string) ([]string, error) {
		var out []string
		for _, u := range strings.Split(f[key], ",") {
			if u = strings.TrimSpace(u); u == "" {
				continue
			}
			ok := false
			for _, s := range schemes {
				ok = ok || strings.HasPrefix(strings.ToLower(u), s+":")
			}
			if !ok {
				return nil, &core.FieldError{Platform: "sip", Key: key, Problem: fmt.Sprintf("%q is not a %s URL", u, strings.Join(schemes, "/"))}
			}
			out = append(out, u)
		}
		return out, nil
	}
	stun, err := split("stun", "stun", "stuns")
	if err != nil {
		return nil, err
	}
	turn, err := split("turn", "turn", "turns")
	if err != nil {
		return nil, err
	}
	if (len(stun) > 0 || len(turn) > 0) && f["media"] != "webrtc" {
		return nil, &core.FieldError{Platform: "sip", Key: "media", Problem: "STUN and TURN servers are for WebRTC media"}
	}
	var servers []webrtc.ICEServer
	if len(stun) > 0 {
		servers = append(servers, webrtc.ICEServer{URLs: stun})
	}
	if len(turn) > 0 {
		if password == "" {
			return nil, &core.FieldError{Platform: "sip", Key: "turn", Problem: "TURN needs the account's password as its credential"}
		}
		user := strings.TrimSpace(f["turn_user"])
		if user == "" {
			user = strings.TrimSpace(f["auth_user"])
		}
		if user == "" {
			user = userOf(f["uri"])
		}
		servers = append(servers, webrtc.ICEServer{URLs: turn, Username: user, Credential: password})
	}
	return servers, nil
}
