package sipfront

import (
	"strings"

	"agentbar/audio"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/voice"
)

// Parties the center plays itself that come and go during a call: an
// agent's device elsewhere (a callback phone, a SIP phone: DeviceLeg) and
// the outside callee of a transfer, consult or three-way call (OutsideLeg).
// They have no SIP leg here; the front joins them to the call's room from
// the moment they answer to the moment they leave, speaking the voice the
// center gives them, and records them like any party, so that "what each
// party heard" covers them too.

// deviceLeg puts an agent's phone elsewhere in the call's room, as the
// agent's party, while it is off hook.
func (f *Front) deviceLeg(ev callcenter.DeviceLeg) {
	cm := f.media(ev.Call.ID)
	if cm == nil {
		return
	}
	switch ev.Phase {
	case callcenter.LegPhaseRinging:
		f.voices.Prefetch(ev.Device.Voice.Text)
	case callcenter.LegPhaseUp:
		f.joinSimulated(cm, ev.Agent, f.voiceOf(ev.Device.Voice, true))
	case callcenter.LegPhaseDown:
		f.leaveSimulated(cm, ev.Agent)
	}
}

// outsideLeg puts an outside callee in the call's room while it is on the
// line. Without a script it talks all the time, as a simulated customer
// does; with one, OutsideStep says when it speaks.
func (f *Front) outsideLeg(ev callcenter.OutsideLeg) {
	cm := f.media(ev.Call.ID)
	if cm == nil {
		return
	}
	switch ev.Phase {
	case callcenter.LegPhaseRinging:
		f.voices.Prefetch(ev.Customer.Voice.Text)
		for _, s := range ev.Customer.Script {
			f.voices.Prefetch(s.Text)
		}
	case callcenter.LegPhaseUp:
		var v audio.FrameSource
		if len(ev.Customer.Script) == 0 {
			v = f.voiceOf(ev.Customer.Voice, true)
		}
		f.joinSimulated(cm, ev.Party, v)
	case callcenter.LegPhaseDown:
		f.leaveSimulated(cm, ev.Party)
	}
}

// outsideStep changes an outside callee's voice for a step of its script;
// the simulated customer's voice is not touched.
func (f *Front) outsideStep(ev callcenter.OutsideStep) {
	cm := f.media(ev.Call)
	if cm == nil {
		return
	}
	sw := cm.simulated(ev.Party)
	if sw == nil {
		return
	}
	if ev.Step.Kind == callcenter.StepSay {
		sw.Set(f.voiceOf(ev.Voice, true))
		return
	}
	sw.Set(nil)
}

// joinSimulated adds a party the center plays to the room, speaking v
// (silent when nil), re-applies the mix and starts its recording.
func (f *Front) joinSimulated(cm *callMedia, party string, v audio.FrameSource) {
	sw := &voice.Switch{}
	sw.Set(v)
	p, err := cm.room.Join(party, nil)
	if err != nil {
		f.log.Warn("sipfront: party not joined", "call", cm.id, "party", party, "err", err)
		return
	}
	p.SetVoice(sw)
	cm.mu.Lock()
	cm.sims[party] = sw
	cm.mu.Unlock()
	cm.joined(f, party)
	f.partyChanged(cm.id, party, true)
}

// leaveSimulated takes a party the center plays out of the room (its
// recording is finished).
func (f *Front) leaveSimulated(cm *callMedia, party string) {
	cm.mu.Lock()
	_, ok := cm.sims[party]
	delete(cm.sims, party)
	cm.mu.Unlock()
	if !ok {
		return
	}
	if err := cm.room.Leave(party); err != nil {
		f.log.Debug("sipfront: party leaving", "call", cm.id, "party", party, "err", err)
	}
	f.partyChanged(cm.id, party, false)
}

// simulated is the voice of a party the center plays, nil when it is not
// in the room.
func (cm *callMedia) simulated(party string) *voice.Switch {
	cm.mu.Lock()
	defer cm.mu.Unlock()
	return cm.sims[party]
}

// partyChanged tells the test hook a simulated party joined or left.
func (f *Front) partyChanged(call callcenter.CallID, party string, in bool) {
	f.mu.Lock()
	hook := f.parties
	f.mu.Unlock()
	if hook != nil {
		hook(call, party, in)
	}
}

// isOutsideParty tells an outside callee's party id (OutsideParty).
func isOutsideParty(party string) bool {
	return strings.HasPrefix(party, callcenter.OutsideParty(""))
}
