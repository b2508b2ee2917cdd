package emicsim

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/sipfront"
	"agentbar/vendors/emicnet/wire"
)

// Front is the Emicnet front-end of one center: the account API over HTTP
// and the center's SIP front with a WSS listener and the Emicnet hooks.
type Front struct {
	cc   Center
	opts Options
	log  *slog.Logger
	sip  *sipfront.Front
	pool *x509.CertPool // trusts the self-signed WSS certificate (nil with Options.TLS)

	life   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // the event loop, outboxes, HTTP server

	mu            sync.Mutex
	closed        bool
	ents          []*enterprise
	groups        []Group
	protected     map[string]bool
	disabled      map[string]bool // accounts (extensions) disabled by the admin
	seats         map[string]*seat
	numbers       *ccNumbers
	announced     map[offerKey]chan struct{} // newPBXCall delivered: the INVITE may follow
	forced        []forcedCode               // account API answers forced by the admin
	kickedSockets socketSet                  // sockets whose seat another sign-in took
	srv           *http.Server
	addr          string
	sub           *callcenter.Subscription
}

// enterprise is an Enterprise with what changes while it runs. Guarded by
// Front.mu.
type enterprise struct {
	Enterprise
	day   string         // the date calls were counted on
	calls map[string]int // outside number → calls placed to it that day
}

// offerKey names one offer of a call to a seat.
type offerKey struct {
	call  callcenter.CallID
	agent string
}

// forcedCode is an account API answer the admin forced (ForceAccountCode).
type forcedCode struct {
	path  string // "" = every path
	code  wire.AccountCode
	count int // answers left; 0 = until cleared
}

// New builds the front on a center: the SIP front is made here, with the
// WSS listener and the Emicnet hooks. Start listens.
func New(cc *callcenter.Center, o Options) (*Front, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	f := &Front{cc: cc, opts: o, log: o.Logger.With("front", "emicnet"), protected: map[string]bool{},
		disabled: map[string]bool{}, seats: map[string]*seat{}, numbers: newCCNumbers(),
		announced: map[offerKey]chan struct{}{}, groups: slices.Clone(o.Groups)}
	for _, e := range o.Enterprises {
		f.ents = append(f.ents, &enterprise{Enterprise: e, calls: map[string]int{}})
	}
	for _, s := range o.ProtectedSeats {
		f.protected[s] = true
	}
	queues := map[string]bool{}
	for _, q := range cc.Queues() {
		queues[q.Name] = true
	}
	for _, g := range f.groups {
		if !queues[g.Queue] {
			return nil, fmt.Errorf("%w: group %s: no queue %q", ErrInvalidOptions, g.ID, g.Queue)
		}
	}
	tlsConfig := o.TLS
	if tlsConfig == nil {
		var err error
		if tlsConfig, f.pool, err = selfSigned(); err != nil {
			return nil, err
		}
	}
	sf, err := sipfront.New(cc, sipfront.Options{
		Addr: o.SIPAddr, WSSAddr: o.WSSAddr, TLS: tlsConfig, WSGrace: o.WSGrace, MaxExpiry: o.MaxExpiry,
		Mixer: o.Mixer, Voices: o.Voices, RecordDir: o.RecordDir, RTPPortMin: o.RTPPortMin, RTPPortMax: o.RTPPortMax,
		Logger:       o.Logger.With("part", "sip-front"),
		OnRegister:   f.onRegister,
		OnUnregister: f.onUnregister,
		OnMessage:    f.onMessage,
		OfferHeaders: f.offerHeaders,
		KickMessage:  f.kickMessage,
	})
	if err != nil {
		return nil, err
	}
	f.sip = sf
	f.life, f.cancel = context.WithCancel(context.Background())
	return f, nil
}

// Start follows the center's events, starts the SIP front and listens for
// the account API.
func (f *Front) Start() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return ErrClosed
	}
	f.sub = f.cc.Subscribe()
	sub := f.sub
	f.mu.Unlock()
	f.wg.Add(1)
	go f.loop(sub)
	if err := f.sip.Start(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.opts.HTTPAddr)
	if err != nil {
		return fmt.Errorf("emicsim: listen %s: %w", f.opts.HTTPAddr, err)
	}
	srv := &http.Server{Handler: f.httpHandler(), ReadHeaderTimeout: 5 * time.Second,
		ErrorLog: slog.NewLogLogger(f.log.Handler(), slog.LevelDebug)}
	f.mu.Lock()
	f.srv, f.addr = srv, ln.Addr().String()
	f.mu.Unlock()
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		_ = srv.Serve(ln)
	}()
	return nil
}

// Close stops the HTTP server, the SIP front and every goroutine.
func (f *Front) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	srv, sub := f.srv, f.sub
	f.mu.Unlock()
	f.cancel()
	var errs []error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		errs = append(errs, srv.Shutdown(ctx))
		cancel()
	}
	errs = append(errs, f.sip.Close())
	if sub != nil {
		sub.Close()
	}
	// No hook or event runs any more: every seat there will be is here.
	f.mu.Lock()
	var boxes []*outbox
	for _, s := range f.seats {
		if s.sess != nil && s.sess.timer != nil {
			s.sess.timer.Stop()
		}
		boxes = append(boxes, s.out)
	}
	f.mu.Unlock()
	for _, b := range boxes {
		b.close()
	}
	f.wg.Wait()
	return errors.Join(errs...)
}

// APIURL is the account API's base (the account's api_url).
func (f *Front) APIURL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return "http://" + f.addr
}

// SocketURI is the SIP over WSS URL (the account's socket_uri).
func (f *Front) SocketURI() string { return f.sip.WSSURL() }

// CertPool trusts the WSS listener's self-signed certificate; nil when
// Options.TLS was given.
func (f *Front) CertPool() *x509.CertPool { return f.pool }

// SIP is the center's SIP front under this one (truth for tests: Hearing,
// Heard, Legs, Bindings).
func (f *Front) SIP() *sipfront.Front { return f.sip }

// Registered tells whether the seat has a registration now.
func (f *Front) Registered(un string) bool { return f.sip.Registered(un) }
