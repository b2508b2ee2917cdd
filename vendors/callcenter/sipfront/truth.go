package sipfront

import (
	"fmt"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/room"
)

// Hearing sums up what a party of a call heard over the last second: the
// center's truth about its audio. party is an agent id,
// callcenter.SimulatedCustomer or callcenter.SystemParty.
func (f *Front) Hearing(call callcenter.CallID, party string) (room.Hearing, error) {
	cm := f.media(call)
	if cm == nil {
		return room.Hearing{}, fmt.Errorf("%w: %s", ErrNoCall, call)
	}
	return cm.room.Hearing(party)
}

// Heard returns the last d of what a party heard.
func (f *Front) Heard(call callcenter.CallID, party string, d time.Duration) ([]int16, error) {
	cm := f.media(call)
	if cm == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoCall, call)
	}
	return cm.room.Heard(party, d)
}

// Said returns the last d of what a party said (as the center received it).
func (f *Front) Said(call callcenter.CallID, party string, d time.Duration) ([]int16, error) {
	cm := f.media(call)
	if cm == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoCall, call)
	}
	return cm.room.Said(party, d)
}

// RoomHears is who hears whom in the call's room now, as carried out.
func (f *Front) RoomHears(call callcenter.CallID) (map[string][]string, error) {
	cm := f.media(call)
	if cm == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoCall, call)
	}
	return cm.room.Hears(), nil
}

// LegInfo is one live SIP leg.
type LegInfo struct {
	Call      callcenter.CallID `json:"call"`
	Agent     string            `json:"agent"`
	SIPCallID string            `json:"sip_call_id"`
	Inbound   bool              `json:"inbound"`
	Up        bool              `json:"up"`
	Transport string            `json:"transport"`
	Media     string            `json:"media,omitempty"` // "rtp" or "webrtc"
	Codec     string            `json:"codec,omitempty"`
}

// Legs lists the live SIP legs.
func (f *Front) Legs() []LegInfo {
	f.mu.Lock()
	legs := make([]*leg, 0, len(f.legs))
	for _, l := range f.legs {
		legs = append(legs, l)
	}
	f.mu.Unlock()
	var out []LegInfo
	for _, l := range legs {
		l.mu.Lock()
		li := LegInfo{Call: l.call, Agent: l.agent, SIPCallID: l.sipCallID, Inbound: l.inbound, Up: l.state == legUp,
			Transport: l.transport}
		m := l.media
		l.mu.Unlock()
		if m != nil {
			li.Media, li.Codec = m.kind(), m.codec()
		}
		out = append(out, li)
	}
	return out
}

// CallOfLeg finds the center's call of a SIP leg by its Call-ID (what a
// SIP endpoint knows its call by).
func (f *Front) CallOfLeg(sipCallID string) (callcenter.CallID, bool) {
	l := f.legBySIP(sipCallID)
	if l == nil {
		return "", false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return l.call, l.call != ""
}

// CallDone is closed once a call's media is over: its room closed and its
// recordings complete. A call the front does not know is done already.
func (f *Front) CallDone(call callcenter.CallID) <-chan struct{} {
	if cm := f.media(call); cm != nil {
		return cm.closed
	}
	done := make(chan struct{})
	close(done)
	return done
}

// MixerStats are the mixer's counters: ticks run and ticks more than a
// frame late (benchmarks).
func (f *Front) MixerStats() (ticks, late uint64) { return f.mixer.Stats() }
