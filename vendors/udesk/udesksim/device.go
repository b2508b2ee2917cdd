package udesksim

import (
	"fmt"
	"strings"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// device.go: where the center rings an agent, per phone mode. voip and
// webrtc: the agent's registration with the SIP front (the IP phone, the web
// phone over WSS), the center's default. cellphone: the agent's mobile, a
// device elsewhere that the center calls itself; it goes off hook when the
// platform asks (AnswerAsync), or when its person picks up a call they
// expect (legs marked auto-answer: MakeCallAsync's callback, a supervisor's
// monitoring leg).

// deviceFor is the center's device of an agent's terminal in a phone mode.
func (f *Front) deviceFor(agent, mode string) callcenter.Device {
	if mode != wire.ModeCellphone {
		return callcenter.Device{Kind: callcenter.DeviceFront}
	}
	p := f.opts.Profiles[agent]
	return callcenter.Device{Kind: callcenter.DeviceCallback, Number: mobileOf(agent, p),
		AnswerAfter: callcenter.AnswerWhenAsked, Voice: p.MobileVoice}
}

// applyDevice tells the center where the agent's calls ring in mode. The
// center refuses while the agent is in a call.
func (f *Front) applyDevice(agent, mode string) error {
	return f.cc.SetAgentDevice(agent, f.deviceFor(agent, mode))
}

// mobileOf is the number cellphone mode calls: the profile's, else 138
// followed by the agent's number padded to 8 digits.
func mobileOf(agent string, p Profile) string {
	if digits(p.Mobile) {
		return p.Mobile
	}
	if digits(agent) && len(agent) <= 8 {
		return fmt.Sprintf("138%08s", agent)
	}
	return "13800000000"
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// onDeviceLeg: the simulated mobile rings. A leg the agent expects
// (auto-answer) is picked up at once; others wait for AnswerAsync.
func (f *Front) onDeviceLeg(ev callcenter.DeviceLeg) {
	if ev.Phase != callcenter.LegPhaseRinging || !ev.AutoAnswer {
		return
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		if err := f.cc.AnswerDevice(ev.Call.ID, ev.Agent); err != nil {
			f.log.Info("udesksim: mobile picked up", "call", ev.Call.ID, "agent", ev.Agent, "err", err)
		}
	}()
}
