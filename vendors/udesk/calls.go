package udesk

import (
	"agentbar/core"
	"agentbar/core/phone"
)

// callRec is what the adapter remembers of one platform call.
type callRec struct {
	id       string
	dir      core.Direction
	state    core.CallState
	callType string
	// answered: the agent has taken the call (Answer, an outbound or
	// monitor call, or the platform says it is up), so its SIP leg is to be
	// answered as soon as it rings.
	answered bool
	// leg is the SIP call carrying the audio (voip mode).
	leg      *phone.Call
	legReady chan struct{} // closed when leg is set
	seq      uint64        // creation order
}

// pendingDial links a MakeCallAsync to the event that names its call.
type pendingDial struct {
	tag       core.CallID
	number    string
	announced chan struct{} // closed when an event named the call
	callID    string        // set with announced
	cancelled bool          // the engine gave up before the call was named
}

// newRec starts tracking a call. Caller holds a.mu.
func (a *Adapter) newRec(id string, dir core.Direction, callType string) *callRec {
	a.recCounter++
	r := &callRec{id: id, dir: dir, callType: callType, legReady: make(chan struct{}), seq: a.recCounter}
	r.answered = dir == core.Outbound || isMonitorLeg(callType)
	a.calls[id] = r
	// A leg that arrived before its call was known is this call's: an
	// incoming INVITE for any call, our own INVITE for an outbound one.
	for i, leg := range a.unbound {
		if leg.Direction() == phone.Inbound || dir == core.Outbound {
			a.bindLeg(r, leg)
			a.unbound = append(a.unbound[:i], a.unbound[i+1:]...)
			break
		}
	}
	return r
}

// bindLeg gives a call its SIP leg. Caller holds a.mu.
func (a *Adapter) bindLeg(r *callRec, leg *phone.Call) {
	if r.leg != nil {
		return
	}
	r.leg = leg
	close(r.legReady)
}

// recWithoutLeg is the newest live call without a SIP leg (an outbound one
// for a leg we dialled). Caller holds a.mu.
func (a *Adapter) recWithoutLeg(outboundOnly bool) *callRec {
	var best *callRec
	for _, r := range a.calls {
		if r.leg == nil && r.state != core.CallEnded && (!outboundOnly || r.dir == core.Outbound) && (best == nil || r.seq > best.seq) {
			best = r
		}
	}
	return best
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
