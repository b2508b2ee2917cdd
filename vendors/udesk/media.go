package udesk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/udesk/wire"
)

// voip is the softphone of voip mode: the shared SIP user agent registered
// with the terminal account GetAgentTerminalInfoAsync gives.
type voip struct {
	ph       *phone.Phone
	aor      string
	server   string // host:port of the SIP server, for dialling
	firstReg chan error
	pumpDone chan struct{}
}

// sipTarget reads SipServer: "host:port", "sip:host:port" or either with
// ";transport=tcp".
func sipTarget(server string) (hostport, transport string, err error) {
	s := strings.TrimSpace(server)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "sip:"), "sips:")
	hostport, params, _ := strings.Cut(s, ";")
	for _, p := range strings.Split(params, ";") {
		if k, v, ok := strings.Cut(p, "="); ok && strings.EqualFold(k, "transport") {
			transport = strings.ToLower(v)
		}
	}
	if hostport == "" || strings.ContainsAny(hostport, "@/ ") {
		return "", "", fmt.Errorf("%w: SipServer %q", ErrNoTerminal, server)
	}
	return hostport, transport, nil
}

// startVoip reads the terminal account, starts the softphone and waits for
// its first registration (RegisterWait). A registration that fails is
// reported (MediaUpdate) and retried by the phone; the session stays.
func (a *Adapter) startVoip(ctx context.Context) error {
	a.mediaMu.Lock()
	defer a.mediaMu.Unlock()
	a.mu.Lock()
	running := a.media != nil
	a.mu.Unlock()
	if running {
		return nil
	}
	var term wire.TerminalInfo
	if err := a.query(ctx, wire.MethodGetAgentTerminalInfo, wire.TerminalParams{TerminalType: wire.TerminalVoip}, &term); err != nil {
		return err
	}
	if term.SipServer == "" || term.Number == "" {
		return fmt.Errorf("%w: GetAgentTerminalInfoAsync gave none", ErrNoTerminal)
	}
	hostport, transport, err := sipTarget(term.SipServer)
	if err != nil {
		return err
	}
	v := &voip{aor: "sip:" + term.Number + "@" + hostport, server: hostport, firstReg: make(chan error, 1), pumpDone: make(chan struct{})}
	cfg := phone.Config{
		URI: v.aor, Password: term.Password, Register: true, Transport: transport,
		HonourAnswerAfter: true, UserAgent: "agentbar", Logger: a.log,
	}
	if a.ports != nil {
		cfg.NewPort = a.newPort
	}
	if v.ph, err = phone.New(cfg); err != nil {
		return err
	}
	go a.pumpPhone(v)
	if err := v.ph.Start(ctx); err != nil {
		_ = v.ph.Close(context.Background())
		<-v.pumpDone
		return err
	}
	a.mu.Lock()
	a.media = v
	a.mu.Unlock()
	select {
	case err := <-v.firstReg:
		if err != nil {
			a.log.Warn("udesk: softphone registration failed", "err", err)
		}
	case <-ctx.Done():
	case <-timerC(a.opts.RegisterWait):
		a.report(core.MediaUpdate{Registered: false, Detail: "正在注册 " + v.aor})
	}
	return nil
}

// stopVoip unregisters and stops the softphone (its calls hang up).
func (a *Adapter) stopVoip(ctx context.Context) error {
	a.mediaMu.Lock()
	defer a.mediaMu.Unlock()
	a.mu.Lock()
	v := a.media
	a.media = nil
	a.unbound = nil
	for _, r := range a.calls {
		if r.leg != nil {
			r.leg, r.legReady = nil, make(chan struct{})
		}
	}
	a.mu.Unlock()
	if v == nil {
		return nil
	}
	err := v.ph.Close(ctx)
	select {
	case <-v.pumpDone:
	case <-ctx.Done():
	}
	return err
}

// pumpPhone turns the softphone's events into bindings and updates, in order.
func (a *Adapter) pumpPhone(v *voip) {
	defer close(v.pumpDone)
	for ev := range v.ph.Events() {
		switch ev := ev.(type) {
		case phone.RegistrationChanged:
			switch ev.State {
			case phone.Registered:
				a.report(core.MediaUpdate{Registered: true, Detail: fmt.Sprintf("%s, %d s", strings.TrimPrefix(v.aor, "sip:"), int(ev.Expires.Seconds()))})
				signal(v.firstReg, nil)
			case phone.RegistrationFailed:
				a.report(core.MediaUpdate{Registered: false, Err: ev.Err})
				signal(v.firstReg, ev.Err)
			}
		case phone.IncomingCall:
			a.onLeg(ev.Call, ev.AutoAnswerAfter >= 0)
		case phone.CallStateChanged:
			switch {
			case ev.State == phone.Ended:
				a.legEnded(ev.Call)
			case ev.State == phone.Dialing && ev.Call.Direction() == phone.Outbound:
				a.onLeg(ev.Call, false) // our own INVITE for an outbound call
			}
		case phone.CallQuality:
			a.mu.Lock()
			r := a.recOfLeg(ev.Call)
			a.mu.Unlock()
			if r != nil {
				q := ev.Quality
				a.report(core.QualityUpdate{PlatformCallID: r.id, Quality: core.Quality{
					JitterMs: float64(q.Jitter.Microseconds()) / 1000, LossPercent: q.LossPercent,
					RTTMs: float64(q.RTT.Microseconds()) / 1000, MOS: q.MOS,
				}})
			}
		case phone.DTMFReceived:
			a.log.Debug("udesk: DTMF received", "digit", string(ev.Digit))
		}
	}
}

// maxUnbound bounds legs waiting for their call: more is a confused platform.
const maxUnbound = 2

// onLeg binds a ringing SIP leg to the newest call without one, or keeps it
// until its call is announced. A leg of a call the agent already took is
// answered at once (unless the INVITE asked for auto-answer, which the phone
// does by itself).
func (a *Adapter) onLeg(leg *phone.Call, autoAnswer bool) {
	a.mu.Lock()
	r := a.recWithoutLeg(leg.Direction() == phone.Outbound)
	var refuse *phone.Call
	if r == nil {
		a.unbound = append(a.unbound, leg)
		if len(a.unbound) > maxUnbound {
			refuse, a.unbound = a.unbound[0], a.unbound[1:]
		}
		a.mu.Unlock()
		if refuse != nil {
			a.goAside(func(ctx context.Context) { _ = refuse.Reject(ctx, 0) })
		}
		return
	}
	a.bindLeg(r, leg)
	answer := r.answered && !autoAnswer && leg.Direction() == phone.Inbound
	a.mu.Unlock()
	if answer {
		a.answerLegAside(leg)
	}
}

// answerLegAside answers a leg without blocking the caller.
func (a *Adapter) answerLegAside(leg *phone.Call) {
	a.goAside(func(ctx context.Context) {
		if err := leg.Answer(ctx); err != nil && !errors.Is(err, phone.ErrWrongState) && !errors.Is(err, phone.ErrCallEnded) {
			a.log.Warn("udesk: answering the audio leg", "err", err)
		}
	})
}

// legEnded forgets a SIP leg.
func (a *Adapter) legEnded(leg *phone.Call) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if r := a.recOfLeg(leg); r != nil {
		r.leg = nil
		r.legReady = make(chan struct{})
	}
	for i, l := range a.unbound {
		if l == leg {
			a.unbound = append(a.unbound[:i], a.unbound[i+1:]...)
			break
		}
	}
}

// newPort opens a call's audio and remembers it for mute.
func (a *Adapter) newPort(rate int) (audio.Port, error) {
	p, err := a.ports.NewPort(rate)
	if err != nil {
		return nil, err
	}
	a.portMu.Lock()
	p.SetMuted(a.muted)
	a.livePorts[p] = struct{}{}
	a.portMu.Unlock()
	return &trackedPort{CallPort: p, a: a}, nil
}

// trackedPort forgets itself on Close.
type trackedPort struct {
	*audio.CallPort
	a *Adapter
}

func (p *trackedPort) Close() error {
	p.a.portMu.Lock()
	delete(p.a.livePorts, p.CallPort)
	p.a.portMu.Unlock()
	return p.CallPort.Close()
}

func signal(ch chan error, err error) {
	select {
	case ch <- err:
	default:
	}
}
