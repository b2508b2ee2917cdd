package emicnet

import (
	"context"
	"errors"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/emicnet/wire"
)

// onLeg places an INVITE from the platform by its X-Emic-CcNumber: the
// supervisor's monitoring leg (answered at once: the supervisor asked for
// it), the audio of a known call (answered when the agent already took the
// call: its own dial, or Answer came first), or an INVITE that came before
// its call's first event, kept for it. Callback and SIP phone seats have no
// audio here: their INVITEs are refused.
func (a *Adapter) onLeg(leg *phone.Call) {
	c := leg.Header(wire.HeaderCcNumber)
	var (
		fs     followups
		refuse *phone.Call
	)
	a.mu.Lock()
	switch {
	case !a.voip() || !wire.ValidCcNumber(c):
		refuse = leg
	case a.monitorCcLocked(c):
		a.monLeg = leg
		fs = append(fs, answerLeg(a, leg))
	case a.calls[c] != nil:
		a.bindLegLocked(a.calls[c], leg, &fs)
	default:
		if old, ok := a.unbound[c]; ok && old != leg {
			refuse = old
		} else if len(a.unbound) >= maxUnbound {
			refuse = leg
			break
		}
		a.unbound[c] = leg
	}
	a.mu.Unlock()
	if refuse != nil {
		a.log.Warn("emicnet: INVITE refused", "c", c, "callintype", a.acct.callintype)
		fs = append(fs, func(ctx context.Context) { _ = refuse.Reject(ctx, 0) })
	}
	a.runAside(fs)
}

// legEnded forgets a SIP leg. A call whose audio ended without the
// platform's endPBXCall (the control connection is down, or the media
// failed) is ended after LegGrace with the reason, so it never hangs on.
func (a *Adapter) legEnded(leg *phone.Call) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.monLeg == leg {
		a.monLeg = nil
	}
	for c, l := range a.unbound {
		if l == leg {
			delete(a.unbound, c)
		}
	}
	r := a.recOfLeg(leg)
	if r == nil {
		return
	}
	r.leg, r.legReady = nil, make(chan struct{})
	if a.closing {
		return
	}
	grace := a.opts.LegGrace
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
		case <-a.life.Done():
			return
		}
		var fs followups
		a.mu.Lock()
		if a.calls[r.cc] == r && r.leg == nil {
			reason, detail := legEndReason(leg.Err(), r.talked)
			a.log.Info("emicnet: audio leg ended without endPBXCall", "c", r.cc, "err", leg.Err())
			a.endRecLocked(r, reason, detail, &fs)
		}
		a.mu.Unlock()
		a.runAside(fs)
	}()
}

// legEndReason says how a call ends whose audio leg ended first.
func legEndReason(err error, talked bool) (core.EndReason, string) {
	switch {
	case err == nil:
		return core.EndLocalHangup, ""
	case isRemoteHangup(err) && talked:
		return core.EndRemoteHangup, ""
	case isRemoteHangup(err):
		return "", ""
	}
	return core.EndInterrupted, core.Sentence(err, "zh")
}

func isRemoteHangup(err error) bool {
	return errors.Is(err, phone.ErrRemoteHangup) || errors.Is(err, phone.ErrCallerCanceled)
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

// unmuteAll: the microphone's mute belongs to the calls; the next call
// starts unmuted, as the engine shows it.
func (a *Adapter) unmuteAll() {
	a.portMu.Lock()
	defer a.portMu.Unlock()
	a.muted = false
	for p := range a.livePorts {
		p.SetMuted(false)
	}
}
