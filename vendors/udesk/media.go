package udesk

import (
	"context"
	"fmt"
	"strings"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/udesk/wire"
)

// softphone is the agent's terminal when its audio is here: the shared SIP
// user agent registered with the account the platform gives for the phone
// mode (terminal.go): the IP phone of voip mode, the web phone of webrtc
// mode. cellphone mode has none.
type softphone struct {
	mode     string // wire.ModeVoip or wire.ModeWebRTC
	ph       *phone.Phone
	aor      string
	firstReg chan error
	pumpDone chan struct{}
}

// hasSoftphone reports the modes whose audio reaches agentbar.
func hasSoftphone(mode string) bool { return mode == wire.ModeVoip || mode == wire.ModeWebRTC }

// startPhone reads the mode's terminal account, starts the softphone and
// waits for its first registration (RegisterWait). A softphone of the other
// mode is stopped first. A registration that fails is reported
// (MediaUpdate) and retried by the phone; the session stays.
func (a *Adapter) startPhone(ctx context.Context, mode string) error {
	a.mediaMu.Lock()
	defer a.mediaMu.Unlock()
	a.mu.Lock()
	cur := a.media
	a.mu.Unlock()
	if cur != nil && cur.mode == mode {
		return nil
	}
	if cur != nil {
		if err := a.stopPhoneLocked(ctx); err != nil {
			a.log.Info("udesk: stopping the other softphone", "mode", cur.mode, "err", err)
		}
	}
	acct, err := a.terminalAccount(ctx, mode)
	if err != nil {
		return err
	}
	if a.ports != nil {
		acct.cfg.NewPort = a.newPort
	}
	sp := &softphone{mode: mode, aor: acct.aor, firstReg: make(chan error, 1), pumpDone: make(chan struct{})}
	if sp.ph, err = phone.New(acct.cfg); err != nil {
		return err
	}
	go a.pumpPhone(sp)
	if err := sp.ph.Start(ctx); err != nil {
		_ = sp.ph.Close(context.Background())
		<-sp.pumpDone
		return err
	}
	a.mu.Lock()
	a.media = sp
	a.mu.Unlock()
	select {
	case err := <-sp.firstReg:
		if err != nil {
			a.log.Warn("udesk: softphone registration failed", "mode", mode, "err", err)
		}
	case <-ctx.Done():
	case <-timerC(a.opts.RegisterWait):
		a.report(core.MediaUpdate{Registered: false, Detail: "正在注册 " + sp.aor})
	}
	return nil
}

// stopPhone unregisters and stops the softphone (its calls hang up).
func (a *Adapter) stopPhone(ctx context.Context) error {
	a.mediaMu.Lock()
	defer a.mediaMu.Unlock()
	return a.stopPhoneLocked(ctx)
}

// stopPhoneLocked is stopPhone with mediaMu held.
func (a *Adapter) stopPhoneLocked(ctx context.Context) error {
	a.mu.Lock()
	sp := a.media
	a.media = nil
	a.unbound = nil
	for _, r := range a.calls {
		if r.leg != nil {
			r.leg, r.legReady = nil, make(chan struct{})
		}
	}
	a.mu.Unlock()
	if sp == nil {
		return nil
	}
	err := sp.ph.Close(ctx)
	select {
	case <-sp.pumpDone:
	case <-ctx.Done():
	}
	return err
}

// softphoneMode is the mode of the running softphone ("" when none).
func (a *Adapter) softphoneMode() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.media == nil {
		return ""
	}
	return a.media.mode
}

// pumpPhone turns the softphone's events into bindings and updates, in order.
func (a *Adapter) pumpPhone(sp *softphone) {
	defer close(sp.pumpDone)
	for ev := range sp.ph.Events() {
		switch ev := ev.(type) {
		case phone.RegistrationChanged:
			switch ev.State {
			case phone.Registered:
				a.report(core.MediaUpdate{Registered: true, Detail: fmt.Sprintf("%s %s, %d s", modeLabel(sp.mode, "zh"),
					strings.TrimPrefix(sp.aor, "sip:"), int(ev.Expires.Seconds()))})
				signal(sp.firstReg, nil)
			case phone.RegistrationFailed:
				a.report(core.MediaUpdate{Registered: false, Err: ev.Err})
				signal(sp.firstReg, ev.Err)
			}
		case phone.IncomingCall:
			a.onLeg(ev.Call, ev.AutoAnswerAfter >= 0)
		case phone.CallStateChanged:
			if ev.State == phone.Ended {
				a.legEnded(ev.Call)
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

// muteMicrophone mutes or unmutes the softphone's microphone on every call.
func (a *Adapter) muteMicrophone(on bool) {
	a.portMu.Lock()
	defer a.portMu.Unlock()
	a.muted = on
	for p := range a.livePorts {
		p.SetMuted(on)
	}
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
