package sipfront

import "agentbar/vendors/callcenter"

// An agent whose calls ring a device elsewhere (callcenter.SetAgentDevice:
// a callback number, a SIP phone) is reachable without any registration:
// the center rings that phone itself. Its binding here going (an expiry,
// Expires 0, its WebSocket closing, a restart) therefore does not sign it
// out: Emicnet's control plane registers over WSS even in device modes 4
// and 5, and a dropped socket must not take the seat off its phone.
//
// The platform's OnUnregister hook runs first and may point the device
// back at the front (Emicnet does when the seat goes); the front decides
// after it. If the device comes back to the front later while the agent
// has no binding, the sign-out held back is carried out then.

// signOutUnlessElsewhere signs out an agent whose binding went, unless its
// calls ring a device elsewhere (or it has registered again meanwhile).
func (f *Front) signOutUnlessElsewhere(agent, why string) {
	// Held first, checked after: a device coming back to the front in
	// between is then seen by deviceChanged or by the check below.
	f.mu.Lock()
	f.heldOut[agent] = why
	f.mu.Unlock()
	if a, ok := f.cc.Agent(agent); ok && elsewhere(a.Device) {
		f.log.Info("sipfront: registration gone; the agent stays signed in on its device elsewhere",
			"agent", agent, "why", why, "device", a.Device.Kind, "number", a.Device.Number)
		return
	}
	f.mu.Lock()
	delete(f.heldOut, agent)
	_, bound := f.bindings[agent]
	f.mu.Unlock()
	if bound {
		return
	}
	if err := f.cc.SignOut(agent, why); err != nil {
		f.log.Debug("sipfront: sign-out", "agent", agent, "err", err)
	}
}

// deviceChanged carries out a sign-out held back for an agent whose device
// was elsewhere, once its calls ring the front again and it has no binding.
func (f *Front) deviceChanged(ev callcenter.AgentDeviceChanged) {
	if elsewhere(ev.Device) {
		return
	}
	// The event may be old: the center's device decides.
	if a, ok := f.cc.Agent(ev.Agent); !ok || elsewhere(a.Device) {
		return
	}
	f.mu.Lock()
	why, held := f.heldOut[ev.Agent]
	_, bound := f.bindings[ev.Agent]
	delete(f.heldOut, ev.Agent)
	f.mu.Unlock()
	if !held || bound {
		return
	}
	f.log.Info("sipfront: device back at the front and no registration: signed out", "agent", ev.Agent, "why", why)
	if err := f.cc.SignOut(ev.Agent, why); err != nil {
		f.log.Debug("sipfront: sign-out", "agent", ev.Agent, "err", err)
	}
}

// forgetHeld drops a held sign-out: the agent registered again, or went
// offline by other means.
func (f *Front) forgetHeld(agent string) {
	f.mu.Lock()
	delete(f.heldOut, agent)
	f.mu.Unlock()
}

// elsewhere tells a device the center rings itself.
func elsewhere(d callcenter.Device) bool {
	return d.Kind != "" && d.Kind != callcenter.DeviceFront
}
