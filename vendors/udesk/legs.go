package udesk

import (
	"context"
	"errors"

	"agentbar/core/phone"
)

// legs.go binds the platform's INVITEs to the softphone (the calls' audio
// legs) to the platform's calls. The platform gives an agent one leg at a
// time: for an inbound call while it rings, for a platform-placed call
// (MakeCallAsync) and a supervisor's leg with auto-answer.

// callHeader names the platform call an INVITE belongs to (the simulated
// platform's; a server without it is bound by order, see bindableRec).
const callHeader = "X-Callcenter-Call"

// maxUnbound bounds legs waiting for their call: more is a confused platform.
const maxUnbound = 2

// onLeg binds a ringing SIP leg to its call, or keeps it until its call is
// announced. A leg of a call the agent already took is answered at once
// (unless the INVITE asked for auto-answer, which the phone does by itself).
func (a *Adapter) onLeg(leg *phone.Call, autoAnswer bool) {
	a.mu.Lock()
	r := a.bindableRec(leg)
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
	answer := r.answered && !autoAnswer
	a.mu.Unlock()
	if answer {
		a.answerLegAside(leg)
	}
}

// bindableRec is the call a new leg carries: the one its INVITE names,
// else the newest live call without a leg. Caller holds a.mu.
func (a *Adapter) bindableRec(leg *phone.Call) *callRec {
	if id := leg.Header(callHeader); id != "" {
		if r := a.calls[id]; r != nil && r.leg == nil {
			return r
		}
		return nil // its call is not announced yet
	}
	var best *callRec
	for _, r := range a.calls {
		if r.leg == nil && (best == nil || r.seq > best.seq) {
			best = r
		}
	}
	return best
}

// legFor takes the waiting leg that belongs to a call just announced: the
// one whose INVITE names it, else the oldest that names no call. Caller
// holds a.mu.
func (a *Adapter) legFor(id string) *phone.Call {
	pick := -1
	for i, leg := range a.unbound {
		named := leg.Header(callHeader)
		if named == id {
			pick = i
			break
		}
		if named == "" && pick < 0 {
			pick = i
		}
	}
	if pick < 0 {
		return nil
	}
	leg := a.unbound[pick]
	a.unbound = append(a.unbound[:pick], a.unbound[pick+1:]...)
	return leg
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

// bindLeg gives a call its SIP leg. Caller holds a.mu.
func (a *Adapter) bindLeg(r *callRec, leg *phone.Call) {
	if r.leg != nil {
		return
	}
	r.leg = leg
	close(r.legReady)
}

// recOfLeg finds the call a SIP leg carries. Caller holds a.mu.
func (a *Adapter) recOfLeg(leg *phone.Call) *callRec {
	for _, r := range a.calls {
		if r.leg == leg {
			return r
		}
	}
	return nil
}
