package sipfront

import "agentbar/vendors/callcenter"

// run carries out the center's events in order. Anything that waits on
// the network runs in its own tracked goroutine.
func (f *Front) run() {
	defer f.wg.Done()
	for ev := range f.sub.C {
		switch ev := ev.(type) {
		case callcenter.CallCreated:
			f.callCreated(ev.Call)
			if ev.Call.Customer != nil {
				for _, s := range ev.Call.Customer.Script {
					f.voices.Prefetch(s.Text)
				}
				f.voices.Prefetch(ev.Call.Customer.Voice.Text)
			}
		case callcenter.MixChanged:
			f.voices.Prefetch(ev.Mix.System.Text)
			f.mixChanged(ev)
		case callcenter.LegOffer:
			f.goTracked(func() { f.ring(ev) })
		case callcenter.LegCancel:
			f.stopLeg(ev.Call, ev.Agent, ev.Reason)
		case callcenter.LegRelease:
			f.stopLeg(ev.Call, ev.Agent, ev.Reason)
		case callcenter.CallAnswered:
			f.callAnswered(ev.Call)
		case callcenter.CustomerStep:
			f.customerStep(ev)
		case callcenter.DTMFReceived:
			if ev.From == callcenter.SimulatedCustomer || isOutsideParty(ev.From) {
				f.customerDigits(ev)
			}
		case callcenter.DeviceLeg:
			f.deviceLeg(ev)
		case callcenter.OutsideLeg:
			f.outsideLeg(ev)
		case callcenter.OutsideStep:
			f.outsideStep(ev)
		case callcenter.AgentDeviceChanged:
			f.deviceChanged(ev)
		case callcenter.AgentStateChanged:
			if ev.To.Kind == callcenter.Offline {
				// Signed out by other means: nothing is held back any more
				// (the event may be old: the center's state decides).
				if a, ok := f.cc.Agent(ev.Agent); ok && a.State.Kind == callcenter.Offline {
					f.forgetHeld(ev.Agent)
				}
			}
		case callcenter.CallEnded:
			f.callEnded(ev)
		case callcenter.AgentKicked:
			f.goTracked(func() { f.kick(ev) })
		case callcenter.FaultInjected:
			f.fault(ev.Fault)
		}
	}
}

// stopLeg ends an agent's leg the center no longer wants. The dialling
// agent's own pending INVITE is answered when the call ends (CallEnded
// carries its status).
func (f *Front) stopLeg(call callcenter.CallID, agent, reason string) {
	l := f.legOf(call, agent)
	if l == nil {
		return
	}
	if l.inbound && l.getState() == legRinging {
		return
	}
	f.goTracked(func() { l.hangup(reason) })
}

// callAnswered completes the dialling agent's leg: the callee answered.
func (f *Front) callAnswered(ci callcenter.CallInfo) {
	agent := ci.CustomerEP
	if ci.Direction == callcenter.Outbound {
		agent = ci.Agent
	}
	if l := f.legOf(ci.ID, agent); l != nil && l.inbound {
		select {
		case l.answer <- struct{}{}:
		default:
		}
	}
}

// callEnded fails pending INVITEs with the center's status and closes the
// room.
func (f *Front) callEnded(ev callcenter.CallEnded) {
	status := ev.Status
	if status == 0 {
		status = 480
	}
	for _, l := range f.legsOfCall(ev.Call.ID) {
		if l.inbound && l.getState() == legRinging {
			l.failWith(status)
		}
	}
	f.mu.Lock()
	cm := f.calls[ev.Call.ID]
	delete(f.calls, ev.Call.ID)
	f.mu.Unlock()
	if cm != nil {
		cm.close()
	}
}
