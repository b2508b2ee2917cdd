package udeskdemo

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/demokit"
	"agentbar/vendors/callcenter/sipfront"
	"agentbar/vendors/callcenter/voice"
	"agentbar/vendors/udesk"
	"agentbar/vendors/udesk/udesksim"
)

// Adapter is one demo session: the center and its fronts, and the real
// Udesk adapter signed in to them. It is the Udesk adapter (embedded) with
// Login and Logout that start and stop the center around it.
type Adapter struct {
	*udesk.Adapter
	cfg  core.Config
	set  settings
	log  *slog.Logger
	opts udesk.Options

	mu         sync.Mutex
	center     *callcenter.Center
	sip        *sipfront.Front
	front      *udesksim.Front
	voices     *voice.Library
	colleagues []*demokit.Colleague
}

type settings struct {
	demokit.Settings
	mode string
}

// New builds a demo session (core.Info.New).
func New(cfg core.Config) (core.Vendor, error) { return NewDemo(cfg, udesk.Options{}) }

// NewDemo builds a demo session with the adapter's options (tests shorten
// timeouts).
func NewDemo(cfg core.Config, o udesk.Options) (*Adapter, error) {
	common, err := demokit.ParseSettings(platformID, cfg.Fields)
	if err != nil {
		return nil, err
	}
	set := settings{Settings: common, mode: cfg.Fields["phone_mode"]}
	if set.mode == "" {
		set.mode = "voip"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Adapter{cfg: cfg, set: set, log: log.With("demo", "udesk"), opts: o}, nil
}

// Login starts the center and its fronts on loopback, then signs the Udesk
// adapter in to them like to a real tenant.
func (a *Adapter) Login(ctx context.Context, sink core.Sink) error {
	if err := a.start(); err != nil {
		a.stop(context.Background())
		return err
	}
	a.mu.Lock()
	front, center := a.front, a.center
	a.mu.Unlock()
	password, err := center.Secret(a.set.Me)
	if err != nil {
		a.stop(context.Background())
		return err
	}
	fields, err := udesk.PlatformInfo().ValidateFields(map[string]string{
		"AppId": front.AppId(), "AgentId": a.set.Me, "token_url": front.TokenURL(),
		"Domain": front.Domain(), "HttpDomain": front.HttpDomain(), "phone_mode": a.set.mode,
		"supervisor": strconv.FormatBool(a.set.Supervisor()),
	})
	var inner *udesk.Adapter
	if err == nil {
		a.mu.Lock()
		opts := a.opts
		a.mu.Unlock()
		inner, err = udesk.NewAdapter(core.Config{Account: a.cfg.Account, Fields: fields, Secret: password,
			Logger: a.log.With("inner", "udesk"), Services: a.cfg.Services}, opts)
	}
	if err == nil {
		a.mu.Lock()
		a.Adapter = inner
		a.mu.Unlock()
		err = inner.Login(ctx, sink)
	}
	if err != nil {
		a.stop(context.Background())
		return err
	}
	sink.Report(core.NoticeUpdate{Level: "info", Err: &demokit.Notice{
		ZH: "演示模式：这是模拟的 Udesk 呼叫中心，来电由模拟客户发起；同事 8002、8003 会自动接听转接和咨询。",
		EN: "Demo mode: a simulated Udesk call center; calls come from simulated customers, and colleagues 8002 and 8003 answer transfers and consults by themselves.",
	}})
	center.Start()
	return nil
}

// start runs the center, its SIP and Udesk fronts and the colleagues.
func (a *Adapter) start() error {
	center, err := callcenter.New(a.set.CenterConfig(a.log))
	if err != nil {
		return err
	}
	voices := voice.NewLibrary(a.set.Speech, a.log)
	a.mu.Lock()
	a.center, a.voices = center, voices
	a.mu.Unlock()
	// The web phone (webrtc mode) speaks SIP over WSS to the same front,
	// with a certificate only this session trusts.
	serverTLS, trust, err := udesksim.LoopbackTLS()
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.opts.TLSRootCAs = trust
	a.mu.Unlock()
	sip, err := sipfront.New(center, sipfront.Options{Addr: "127.0.0.1:0", WSSAddr: "127.0.0.1:0", TLS: serverTLS,
		Voices: voices, MaxExpiry: 60 * time.Second, Logger: a.log.With("part", "sip-front")})
	if err == nil {
		err = sip.Start()
	}
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.sip = sip
	a.mu.Unlock()
	front, err := udesksim.New(center, udesksim.Options{
		AppId: "agentbar-demo", AppSecret: demokit.RandomSecret(), SIPServer: sip.Addr(), WebPhoneServer: sip.WSSURL(),
		Registered: func(agent string) bool {
			return slices.ContainsFunc(sip.Bindings(), func(b sipfront.Binding) bool { return b.Agent == agent })
		},
		Logger: a.log.With("part", "udesk-front"),
	})
	if err == nil {
		err = front.Start()
	}
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.front = front
	a.mu.Unlock()
	colleagues := startColleagues(a.log, center, sip.Addr())
	a.mu.Lock()
	a.colleagues = colleagues
	a.mu.Unlock()
	return nil
}

// Logout signs out and stops the center.
func (a *Adapter) Logout(ctx context.Context) error { return a.stop(ctx) }

func (a *Adapter) stop(ctx context.Context) error {
	a.mu.Lock()
	inner, colleagues, front, sip, center, voices := a.Adapter, a.colleagues, a.front, a.sip, a.center, a.voices
	a.colleagues, a.front, a.sip, a.center, a.voices = nil, nil, nil, nil, nil
	a.mu.Unlock()
	var errs []error
	if inner != nil {
		errs = append(errs, inner.Logout(ctx))
	}
	demokit.CloseAll(ctx, colleagues)
	if front != nil {
		errs = append(errs, front.Close())
	}
	if sip != nil {
		errs = append(errs, sip.Close())
	}
	if center != nil {
		center.Close()
	}
	if voices != nil {
		errs = append(errs, voices.Close())
	}
	return errors.Join(errs...)
}

// Center is the running center (tests and the admin view).
func (a *Adapter) Center() *callcenter.Center {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.center
}
