package emicnet

import (
	"context"
	"errors"

	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/emicnet/wire"
)

// callRec is what the adapter remembers of one platform call (ccNumber).
type callRec struct {
	cc    string
	dir   core.Direction
	state core.CallState
	// answered: the agent has taken the call (Answer, or a call it placed),
	// so its audio leg is answered as soon as it rings.
	answered bool
	// talked: the conversation started (answeredPBXCall or a 200 response).
	talked bool
	// transferring: transferPBXCall is out; the endPBXCall that follows a
	// success ends the agent's part as transferred.
	transferring bool
	// leg is the SIP call carrying the audio (voip).
	leg      *phone.Call
	legReady chan struct{} // closed when leg is set
}

// pendingDial links a call command to the ccNumber its result names.
// Events of the new call may arrive before the result: they wait in early.
type pendingDial struct {
	tag   core.CallID
	shown string // the number as the agent sees it (the encrypted string when encrypted)
	cc    string // the ccNumber the first early event named
	early []earlyEvent
	// abandoned: the engine gave up before the result; the call is hung
	// up as soon as an event names it.
	abandoned  bool
	terminated bool
}

type earlyEvent struct {
	typ string
	d   wire.CallEventData
}

// maxEarly bounds the events kept for a call not named yet, and maxUnbound
// the INVITEs waiting for their call: more is a confused platform.
const (
	maxEarly   = 16
	maxUnbound = 4
)

// followups are slow steps decided under a.mu and run after it is released
// (answering a leg, hanging up), each on its own goroutine.
type followups []func(ctx context.Context)

func (a *Adapter) runAside(fs followups) {
	for _, f := range fs {
		a.goAside(f)
	}
}

// newRecLocked starts tracking a call and binds the INVITE that arrived
// before it. Caller holds a.mu.
func (a *Adapter) newRecLocked(c string, dir core.Direction, answered bool, fs *followups) *callRec {
	r := &callRec{cc: c, dir: dir, answered: answered, legReady: make(chan struct{})}
	a.calls[c] = r
	if leg, ok := a.unbound[c]; ok {
		delete(a.unbound, c)
		a.bindLegLocked(r, leg, fs)
	}
	return r
}

// bindLegLocked gives a call its audio leg, answering it when the agent
// already took the call. Caller holds a.mu.
func (a *Adapter) bindLegLocked(r *callRec, leg *phone.Call, fs *followups) {
	if r.leg != nil {
		return
	}
	r.leg = leg
	close(r.legReady)
	if r.answered {
		*fs = append(*fs, answerLeg(a, leg))
	}
}

// answerLeg answers a ringing leg (a no-op when it is not ringing).
func answerLeg(a *Adapter, leg *phone.Call) func(ctx context.Context) {
	return func(ctx context.Context) {
		if leg.State() != phone.Ringing {
			return
		}
		if err := leg.Answer(ctx); err != nil && !errors.Is(err, phone.ErrWrongState) && !errors.Is(err, phone.ErrCallEnded) {
			a.log.Warn("emicnet: answering the audio leg", "err", err)
		}
	}
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

// rec returns a tracked call.
func (a *Adapter) rec(id string) (*callRec, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.calls[id]
	if !ok {
		return nil, core.ErrNoSuchCall
	}
	return r, nil
}

// setStateLocked moves a call to state and reports it, with the actions the
// account's callintype allows there. Caller holds a.mu.
func (a *Adapter) setStateLocked(r *callRec, state core.CallState, u core.CallUpdate) {
	if state == core.CallTalking || state == core.CallHeld {
		r.talked, r.answered = true, true
	}
	r.state = state
	u.PlatformCallID, u.State = r.cc, state
	if !a.voip() {
		set := allowedIn(a.acct.callintype, state)
		u.Authority = &set
	}
	a.report(u)
}

// endRecLocked ends the agent's part of a call and forgets it; a leg the
// platform does not release is hung up after LegGrace. Caller holds a.mu.
func (a *Adapter) endRecLocked(r *callRec, reason core.EndReason, detail string, fs *followups) {
	if a.calls[r.cc] != r {
		return
	}
	delete(a.calls, r.cc)
	a.ended.add(r.cc)
	r.state = core.CallEnded
	a.report(core.CallUpdate{PlatformCallID: r.cc, State: core.CallEnded, EndReason: reason, EndDetail: detail})
	if len(a.calls) == 0 {
		*fs = append(*fs, func(context.Context) { a.unmuteAll() })
	}
	if leg := r.leg; leg != nil {
		grace := a.opts.LegGrace
		*fs = append(*fs, func(ctx context.Context) {
			if !waitDone(ctx, leg.Done(), grace) {
				_ = leg.Hangup(ctx)
			}
		})
	}
}
