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
	// leg is the SIP call carrying the audio (voip and webrtc modes).
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

// newRec starts tracking a call, with the leg that arrived before the call
// was announced, if any. Caller holds a.mu.
func (a *Adapter) newRec(id string, dir core.Direction, callType string) *callRec {
	a.recCounter++
	r := &callRec{id: id, dir: dir, callType: callType, legReady: make(chan struct{}), seq: a.recCounter}
	r.answered = dir == core.Outbound || isMonitorLeg(callType)
	a.calls[id] = r
	if leg := a.legFor(id); leg != nil {
		a.bindLeg(r, leg)
	}
	return r
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
