package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/admin"
	"agentbar/vendors/callcenter/demokit"
	"agentbar/vendors/callcenter/sipfront"
	"agentbar/vendors/callcenter/voice"
	"agentbar/vendors/sip"
)

// settings are the demo account's fields, read.
type settings struct {
	demokit.Settings
	colleagues bool
	adminPort  int
}

// Adapter is one demo session: the center it runs and the plain SIP
// adapter signed in to it.
type Adapter struct {
	cfg core.Config
	set settings
	log *slog.Logger

	mu       sync.Mutex
	center   *callcenter.Center
	front    *sipfront.Front
	admin    *admin.Server
	voices   *voice.Library
	bots     []*demokit.Colleague
	inner    core.Vendor
	sink     core.Sink
	sub      *callcenter.Subscription
	pumpDone chan struct{}
}

// supervisorAdapter is the demo signed in as the supervisor: the same, with
// the supervisor's wall and monitoring.
type supervisorAdapter struct{ *Adapter }

var (
	_ core.Vendor            = (*Adapter)(nil)
	_ core.Rejecter          = (*Adapter)(nil)
	_ core.Holder            = (*Adapter)(nil)
	_ core.Muter             = (*Adapter)(nil)
	_ core.DTMFSender        = (*Adapter)(nil)
	_ core.Transferrer       = (*Adapter)(nil)
	_ core.Consulter         = (*Adapter)(nil)
	_ core.Conferencer       = (*Adapter)(nil)
	_ core.BreakReasonLister = (*Adapter)(nil)
	_ core.Directory         = (*Adapter)(nil)
	_ core.CallerIDChooser   = (*Adapter)(nil)
	_ core.Supervisor        = supervisorAdapter{}
)

// New builds a demo session from its (defaulted) fields.
func New(cfg core.Config) (core.Vendor, error) {
	f := cfg.Fields
	common, err := demokit.ParseSettings("demo", f)
	if err != nil {
		return nil, err
	}
	set := settings{Settings: common, colleagues: f["colleagues"] != "false"}
	if v := f["admin_port"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 65535 {
			return nil, &core.FieldError{Platform: "demo", Key: "admin_port", Problem: "must be a port number"}
		}
		set.adminPort = n
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Adapter{cfg: cfg, set: set, log: log.With("demo", true)}
	if set.Supervisor() {
		return supervisorAdapter{a}, nil
	}
	return a, nil
}

// Login starts the center on loopback, then signs in through plain SIP.
// firstCallAfter is when the first demo customer calls after sign-in.
const firstCallAfter = 8 * time.Second

func (a *Adapter) Login(ctx context.Context, sink core.Sink) error {
	if err := a.start(); err != nil {
		a.stop(context.Background())
		return err
	}
	a.mu.Lock()
	a.sink = sink
	a.sub = a.center.Subscribe()
	a.pumpDone = make(chan struct{})
	a.mu.Unlock()
	go a.pump()

	password, _ := a.center.Secret(a.set.Me)
	info, ok := core.Lookup("sip")
	if !ok {
		a.stop(context.Background())
		return fmt.Errorf("%w: the plain SIP adapter is not built in", core.ErrUnknownPlatform)
	}
	fields, err := info.ValidateFields(map[string]string{
		"uri":          fmt.Sprintf("sip:%s@%s", a.set.Me, a.front.Addr()),
		"register":     "true",
		"transport":    "udp",
		"local_ip":     "127.0.0.1",
		"expiry":       "60",
		"answer_after": "true", // supervisor legs answer themselves
		"display_name": a.name(),
	})
	if err == nil {
		a.inner, err = sip.New(core.Config{Account: a.cfg.Account, Fields: fields, Secret: password,
			Logger: a.log.With("inner", "sip"), Services: a.cfg.Services})
	}
	if err == nil {
		err = a.inner.Login(ctx, filterSink{a: a, next: sink})
	}
	if err != nil {
		a.stop(context.Background())
		return err
	}
	me, _ := a.center.Agent(a.set.Me)
	sink.Report(core.SessionUpdate{AgentID: me.ID, DisplayName: me.Name, Extension: me.ID,
		Groups: []string{"售前咨询", "售后服务"}, IsSupervisor: me.Supervisor})
	if st, ok := engineState(me.State, a.center); ok {
		sink.Report(core.AgentStateUpdate{State: st})
	}
	if me.Supervisor {
		a.reportWall()
	}
	banner := &demokit.Notice{
		ZH: "演示模式：来电由模拟客户发起，这不是真实的呼叫中心。",
		EN: "Demo mode: the calls come from simulated customers; this is not a real call center.",
	}
	if a.admin != nil {
		banner.ZH += "管理接口：" + a.admin.URL() + "/admin/state"
		banner.EN += " Admin: " + a.admin.URL() + "/admin/state"
	}
	sink.Report(core.NoticeUpdate{Level: "info", Err: banner})
	a.center.Start()
	return nil
}

// name is the display name of the identity signed in.
func (a *Adapter) name() string {
	if a.set.Supervisor() {
		return "演示班长"
	}
	return "演示坐席"
}

// start runs the center, its SIP front, its admin endpoint and the
// simulated colleagues.
func (a *Adapter) start() error {
	cfg := a.set.CenterConfig(a.log)
	cfg.Arrivals.FirstAfter = firstCallAfter
	center, err := callcenter.New(cfg)
	if err != nil {
		return err
	}
	voices := voice.NewLibrary(a.set.Speech, a.log)
	voices.Prefetch(prompts(cfg)...)
	front, err := sipfront.New(center, sipfront.Options{Addr: "127.0.0.1:0", Voices: voices,
		MaxExpiry: 60 * time.Second, Logger: a.log.With("part", "sip-front")})
	if err == nil {
		err = front.Start()
	}
	a.mu.Lock()
	a.center, a.voices = center, voices
	if err == nil {
		a.front = front
	}
	a.mu.Unlock()
	if err != nil {
		return err
	}
	ad, err := admin.Start(center, admin.Options{Addr: fmt.Sprintf("127.0.0.1:%d", a.set.adminPort),
		Logger: a.log.With("part", "admin"), Fronts: func() any {
			return map[string]any{"sip": map[string]any{"addr": front.Addr(), "bindings": front.Bindings(), "legs": front.Legs()}}
		}})
	if err != nil {
		a.log.Warn("demo: no admin endpoint", "err", err)
	} else {
		a.mu.Lock()
		a.admin = ad
		a.mu.Unlock()
		a.log.Info("demo: admin endpoint", "url", ad.URL()+"/admin/state")
	}
	if a.set.colleagues {
		bots := startColleagues(a.log, center, front.Addr(), voices)
		a.mu.Lock()
		a.bots = bots
		a.mu.Unlock()
	}
	return nil
}

// prompts are the sentences worth making before the first call.
func prompts(cfg callcenter.Config) []string {
	var out []string
	for _, f := range cfg.IVRs {
		for _, n := range f.Nodes {
			out = append(out, n.Prompt)
		}
	}
	for _, m := range demokit.Roster() {
		out = append(out, lines()[m.ID]...)
	}
	return out
}

// Logout signs out and stops the center.
func (a *Adapter) Logout(ctx context.Context) error {
	return a.stop(ctx)
}

func (a *Adapter) stop(ctx context.Context) error {
	a.mu.Lock()
	inner, bots, front, center, ad, voices, sub, done := a.inner, a.bots, a.front, a.center, a.admin, a.voices, a.sub, a.pumpDone
	a.inner, a.bots, a.front, a.center, a.admin, a.voices, a.sub = nil, nil, nil, nil, nil, nil, nil
	a.mu.Unlock()
	var errs []error
	if inner != nil {
		errs = append(errs, inner.Logout(ctx))
	}
	demokit.CloseAll(ctx, bots)
	if ad != nil {
		errs = append(errs, ad.Close())
	}
	if front != nil {
		errs = append(errs, front.Close())
	}
	if center != nil {
		center.Close()
	}
	if sub != nil {
		sub.Close()
		<-done
	}
	if voices != nil {
		errs = append(errs, voices.Close())
	}
	return errors.Join(errs...)
}

// parts returns the running pieces, or ErrNotStarted.
func (a *Adapter) parts() (core.Vendor, *callcenter.Center, *sipfront.Front, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.inner == nil || a.center == nil {
		return nil, nil, nil, ErrNotStarted
	}
	return a.inner, a.center, a.front, nil
}

// SetAgentState tells the center directly: plain SIP has no agent-state
// protocol (the demo's shortcut). The engine learns the new state from
// the center's event.
func (a *Adapter) SetAgentState(ctx context.Context, s core.AgentState) error {
	_, cc, _, err := a.parts()
	if err != nil {
		return err
	}
	var to callcenter.AgentState
	switch s.Name() {
	case "ready":
		to = callcenter.StateReady
	case "busy":
		to = callcenter.StateBusy
	case "break":
		to = callcenter.StateBreak(s.BreakCode)
	default:
		return fmt.Errorf("%w: agent state %s", core.ErrNotSupported, s.Name())
	}
	return centerError(cc.SetAgentState(a.set.Me, to))
}

// The call commands go to the plain SIP adapter: real SIP to the center.

// Dial places a call through the center (any number is answered).
func (a *Adapter) Dial(ctx context.Context, req core.DialRequest) error {
	inner, _, _, err := a.parts()
	if err != nil {
		return err
	}
	return inner.Dial(ctx, req)
}

// Answer answers a ringing call.
func (a *Adapter) Answer(ctx context.Context, id string) error {
	inner, _, _, err := a.parts()
	if err != nil {
		return err
	}
	return inner.Answer(ctx, id)
}

// Hangup ends a call.
func (a *Adapter) Hangup(ctx context.Context, id string) error {
	inner, _, _, err := a.parts()
	if err != nil {
		return err
	}
	return inner.Hangup(ctx, id)
}

// Reject refuses a ringing call (486: the center offers it to someone else).
func (a *Adapter) Reject(ctx context.Context, id string) error {
	inner, _, _, err := a.parts()
	if err != nil {
		return err
	}
	return inner.(core.Rejecter).Reject(ctx, id)
}

// Hold puts the customer on hold music (re-INVITE sendonly).
func (a *Adapter) Hold(ctx context.Context, id string) error {
	inner, _, _, err := a.parts()
	if err != nil {
		return err
	}
	return inner.(core.Holder).Hold(ctx, id)
}

// Resume takes the customer back.
func (a *Adapter) Resume(ctx context.Context, id string) error {
	inner, _, _, err := a.parts()
	if err != nil {
		return err
	}
	return inner.(core.Holder).Resume(ctx, id)
}

// Mute silences the microphone.
func (a *Adapter) Mute(ctx context.Context, id string, on bool) error {
	inner, _, _, err := a.parts()
	if err != nil {
		return err
	}
	return inner.(core.Muter).Mute(ctx, id, on)
}

// SendDTMF sends digits (RFC 4733).
func (a *Adapter) SendDTMF(ctx context.Context, id, digits string) error {
	inner, _, _, err := a.parts()
	if err != nil {
		return err
	}
	return inner.(core.DTMFSender).SendDTMF(ctx, id, digits)
}

// centerError makes the center's refusals readable for the agent.
func centerError(err error) error {
	if err == nil {
		return nil
	}
	var ae *callcenter.AgentError
	if errors.As(err, &ae) {
		return err
	}
	return &refusal{err: err}
}

// refusal is a center refusal with a sentence.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// Sentence implements core.Sentencer.
func (r *refusal) Sentence(lang string) string {
	zh, en := "演示呼叫中心拒绝了这个操作。", "The demo call center refused that."
	switch {
	case errors.Is(r.err, callcenter.ErrAgentBusy):
		zh, en = "对方正忙，请稍后再试。", "That agent is busy; try again later."
	case errors.Is(r.err, callcenter.ErrUnknownAgent):
		zh, en = "没有这个坐席。", "There is no such agent."
	case errors.Is(r.err, callcenter.ErrUnknownQueue):
		zh, en = "没有这个队列。", "There is no such queue."
	case errors.Is(r.err, callcenter.ErrWrongState):
		zh, en = "当前通话状态不允许这个操作。", "That is not possible in the call's current state."
	case errors.Is(r.err, callcenter.ErrUnknownBreak):
		zh, en = "没有这个小休原因。", "There is no such break reason."
	}
	if lang == "en" {
		return en
	}
	return zh
}
