package emicnet

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/core/webrtc"
	"agentbar/vendors/emicnet/wire"
)

// portMaker is what the application hands adapters as Config.Services: the
// audio pipeline that gives each call its port.
type portMaker interface {
	NewPort(sampleRate int) (*audio.CallPort, error)
}

// Options tune an adapter; the zero value is the production setting.
type Options struct {
	// RequestTimeout bounds one command (MESSAGE and its 200) or HTTP
	// request: 10 s. transferPBXCall gets three times as long (the target
	// rings before the platform answers).
	RequestTimeout time.Duration
	// RegisterWait is how long Login waits for the first REGISTER's
	// answer: 10 s.
	RegisterWait time.Duration
	// LegWait is how long Answer waits in voip mode for the platform's
	// INVITE to reach the softphone: 3 s.
	LegWait time.Duration
	// LegGrace is how long a call whose audio leg ended may wait for the
	// platform's endPBXCall before the adapter ends it itself: 3 s.
	LegGrace time.Duration
	// WallPoll is how often a supervisor's wall is refreshed with
	// searchEpMembers (the platform has no event for members' states): 3 s.
	WallPoll time.Duration
	// PageLength is searchEpMembers' page size: 50.
	PageLength int
	// KeepAlive is the WebSocket's CRLF keep-alive period: core/phone's
	// default (25 s) when 0. A silent socket is replaced after it.
	KeepAlive time.Duration
	// TLSRootCAs verifies the gateway's and the account API's certificates;
	// nil = the system pool, or the account's ca_file.
	TLSRootCAs *x509.CertPool
	// HTTPClient for the account API; one with RequestTimeout and
	// TLSRootCAs when nil.
	HTTPClient *http.Client
}

func (o Options) withDefaults() Options {
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 10 * time.Second
	}
	if o.RegisterWait <= 0 {
		o.RegisterWait = 10 * time.Second
	}
	if o.LegWait <= 0 {
		o.LegWait = 3 * time.Second
	}
	if o.LegGrace <= 0 {
		o.LegGrace = 3 * time.Second
	}
	if o.WallPoll <= 0 {
		o.WallPoll = 3 * time.Second
	}
	if o.PageLength <= 0 {
		o.PageLength = 50
	}
	o.PageLength = min(o.PageLength, wire.MaxPageLength)
	if o.HTTPClient == nil {
		// Its own transport, so that Logout can close its idle connections.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if o.TLSRootCAs != nil {
			tr.TLSClientConfig = &tls.Config{RootCAs: o.TLSRootCAs, MinVersion: tls.VersionTLS12}
		}
		o.HTTPClient = &http.Client{Timeout: o.RequestTimeout, Transport: tr}
	}
	return o
}

// account is what the account's fields say.
type account struct {
	apiURL       string
	socketURI    string
	switchnumber string
	un           string
	pwd          string
	callintype   wire.CallInType
	useGetUser2  bool // callintype set to something other than voip: getUser2
	number       string
	gid          string // "" = the first of inGroups
	encryptKey   string
	supervisor   bool
	ice          []webrtc.ICEServer
}

// Adapter is one signed-in Emicnet seat.
type Adapter struct {
	log   *slog.Logger
	opts  Options
	acct  account
	http  *http.Client
	ports portMaker // nil: voip calls carry silence

	// sink is set by Login before anything can report; read without a
	// lock afterwards. Reports never block, so they are made under mu
	// where their order matters.
	sink core.Sink

	life   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	dialMu  sync.Mutex // one outbound call is placed at a time
	monMu   sync.Mutex // one monitor action (a plan of commands) at a time
	phoneMu sync.Mutex // serialises starting and stopping the softphone

	// portMu guards the microphone's mute and the calls' audio ports; its
	// own lock because the phone opens ports while holding a call's lock.
	portMu    sync.Mutex
	muted     bool
	livePorts map[*audio.CallPort]struct{}

	mu         sync.Mutex // never held while calling into the phone or the network
	ph         *phone.Phone
	pumpDone   chan struct{}
	firstReg   chan error
	user       wire.UserInfo
	gid        string
	supervisor bool
	seq        int64
	login      wire.LoginState
	seat       wire.SeatStatus
	registered bool // the last REGISTER succeeded
	calls      map[string]*callRec
	ended      recentCalls // ccNumbers of calls that ended lately: their late events are not a new call's
	pending    *pendingDial
	abandoned  *pendingDial           // a dial the engine gave up before its result
	unbound    map[string]*phone.Call // INVITEs whose ccNumber no call has yet
	monitor    wire.MonitorState
	monStart   string      // ccNumber of a startCallMonitor in flight
	monLeg     *phone.Call // the supervisor's own monitoring leg (voip)
	repCalls   map[string]wire.RepCallStatusData
	members    map[string]wire.Member
	wallSig    string
	closing    bool
	kicked     bool
}

var (
	_ core.Vendor      = (*Adapter)(nil)
	_ core.Rejecter    = (*Adapter)(nil)
	_ core.Holder      = (*Adapter)(nil)
	_ core.Muter       = (*Adapter)(nil)
	_ core.DTMFSender  = (*Adapter)(nil)
	_ core.Transferrer = (*Adapter)(nil)
	_ core.Directory   = (*Adapter)(nil)
	_ core.Supervisor  = (*Adapter)(nil)

	_ core.EncryptedDialer   = (*Adapter)(nil)
	_ core.MonitorModeLister = (*Adapter)(nil)
)

// New builds an adapter with the production options (core.Info.New).
func New(cfg core.Config) (core.Vendor, error) {
	a, err := NewAdapter(cfg, Options{})
	if err != nil {
		return nil, err // not a typed nil: the engine checks for nil
	}
	return a, nil
}

// NewAdapter builds an adapter from an account's fields (validated and
// defaulted by the registry), its secrets and options.
func NewAdapter(cfg core.Config, o Options) (*Adapter, error) {
	f := cfg.Fields
	trim := func(k string) string { return strings.TrimSpace(f[k]) }
	acct := account{
		apiURL: strings.TrimRight(trim(fieldAPIURL), "/"), socketURI: trim(fieldSocketURI),
		switchnumber: trim(fieldSwitchnumber), un: trim(fieldUn), pwd: cfg.Secret,
		callintype: wire.CallInType(trim(fieldCallintype)), number: trim(fieldNumber), gid: trim(fieldGid),
		encryptKey: cfg.ExtraSecrets[fieldEncryptKey], supervisor: parseBool(f[fieldSupervisor]),
	}
	for key, v := range map[string]string{fieldAPIURL: acct.apiURL, fieldSocketURI: acct.socketURI, fieldSwitchnumber: acct.switchnumber, fieldUn: acct.un} {
		if v == "" {
			return nil, &core.FieldError{Platform: platformID, Key: key, Problem: "required"}
		}
	}
	if acct.pwd == "" {
		return nil, &core.FieldError{Platform: platformID, Key: fieldPwd, Problem: "required"}
	}
	if acct.callintype == "" {
		acct.callintype = wire.CallInVoIP
	}
	if !acct.callintype.Valid() {
		return nil, &core.FieldError{Platform: platformID, Key: fieldCallintype, Problem: "must be 2 (voip), 4 (callback phone) or 5 (SIP phone)"}
	}
	acct.useGetUser2 = strings.TrimSpace(f[fieldCallintype]) != "" && acct.callintype != wire.CallInVoIP
	if acct.callintype.NeedsNumber() && acct.number == "" {
		return nil, &core.FieldError{Platform: platformID, Key: fieldNumber, Problem: "required for the callback and SIP phones"}
	}
	ice, err := iceServers(f, acct.un, acct.pwd)
	if err != nil {
		return nil, err
	}
	acct.ice = ice
	if path := trim(fieldCAFile); path != "" && o.TLSRootCAs == nil {
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, &core.FieldError{Platform: platformID, Key: fieldCAFile, Problem: err.Error()}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &core.FieldError{Platform: platformID, Key: fieldCAFile, Problem: "no PEM certificate in " + path}
		}
		o.TLSRootCAs = pool
	}
	o = o.withDefaults()
	a := &Adapter{
		log: cfg.Logger, opts: o, acct: acct, http: o.HTTPClient,
		livePorts: map[*audio.CallPort]struct{}{}, calls: map[string]*callRec{}, unbound: map[string]*phone.Call{},
		repCalls: map[string]wire.RepCallStatusData{}, members: map[string]wire.Member{},
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if pm, ok := cfg.Services.(portMaker); ok {
		a.ports = pm
	} else if acct.callintype == wire.CallInVoIP {
		a.log.Warn("emicnet: no audio pipeline; voip calls carry silence")
	}
	return a, nil
}

// iceServers reads the stun, turn and turn_user fields; TURN's credential
// is the account's password.
func iceServers(f map[string]string, un, pwd string) ([]webrtc.ICEServer, error) {
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
				return nil, &core.FieldError{Platform: platformID, Key: key, Problem: fmt.Sprintf("%q is not a %s URL", u, strings.Join(schemes, "/"))}
			}
			out = append(out, u)
		}
		return out, nil
	}
	stun, err := split(fieldSTUN, "stun", "stuns")
	if err != nil {
		return nil, err
	}
	turn, err := split(fieldTURN, "turn", "turns")
	if err != nil {
		return nil, err
	}
	var servers []webrtc.ICEServer
	if len(stun) > 0 {
		servers = append(servers, webrtc.ICEServer{URLs: stun})
	}
	if len(turn) > 0 {
		user := strings.TrimSpace(f[fieldTURNUser])
		if user == "" {
			user = un
		}
		servers = append(servers, webrtc.ICEServer{URLs: turn, Username: user, Credential: pwd})
	}
	return servers, nil
}

func parseBool(s string) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(s))
	return b
}

// report hands an update to the engine; it never blocks.
func (a *Adapter) report(u core.Update) {
	if a.sink != nil {
		a.sink.Report(u)
	}
}

// goAside runs a follow-up that may block, bounded by the session's life.
func (a *Adapter) goAside(f func(ctx context.Context)) {
	a.mu.Lock()
	if a.closing || a.life == nil {
		a.mu.Unlock()
		return
	}
	a.wg.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.wg.Done()
		ctx, cancel := context.WithTimeout(a.life, 2*a.opts.RequestTimeout)
		defer cancel()
		f(ctx)
	}()
}

// voip reports whether the audio is here (callintype 2).
func (a *Adapter) voip() bool { return a.acct.callintype == wire.CallInVoIP }
