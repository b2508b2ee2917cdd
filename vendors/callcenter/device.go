package callcenter

import (
	"fmt"
	"strings"
	"time"
)

// DeviceKind is where an agent's calls ring.
type DeviceKind string

// Device kinds.
const (
	// DeviceFront: the front-end that signed the agent in rings it
	// (LegOffer events: a SIP registration, a web phone). The default.
	DeviceFront DeviceKind = "front"
	// DeviceCallback: a phone number the center calls (a mobile, a desk
	// phone on the PSTN: Udesk's cellphone mode, Emicnet's callintype 4).
	// It goes off hook when the platform asks or when its person picks up;
	// it cannot be made to answer by itself.
	DeviceCallback DeviceKind = "callback"
	// DeviceSIPPhone: a SIP phone the center calls (Emicnet's callintype 5).
	// Like DeviceCallback, but it honours auto-answer on the legs the center
	// marks so (supervisor and callback legs).
	DeviceSIPPhone DeviceKind = "sip_phone"
)

// AnswerWhenAsked is a Device.AnswerAfter for a phone that goes off hook
// only when the platform asks (AnswerDevice).
const AnswerWhenAsked time.Duration = -1

// Device is where an agent's calls ring. For a device elsewhere (not
// DeviceFront) the center simulates the phone itself: it rings it, answers
// it (AnswerDevice, or by itself after AnswerAfter) and puts it in the
// call's room as the agent's party, speaking Voice.
type Device struct {
	Kind DeviceKind `json:"kind"`
	// Number is the callback number (digits, optional leading +) or the
	// SIP phone's number or URI.
	Number string `json:"number,omitempty"`
	// AnswerAfter is how long the phone rings before going off hook by
	// itself; negative (AnswerWhenAsked): never by itself. AnswerDevice
	// takes it off hook at once in either case.
	AnswerAfter time.Duration `json:"answer_after,omitempty"`
	// Voice is what the phone's user says (a tone tests measure).
	Voice Voice `json:"voice"`
}

// elsewhere reports whether the center rings the device itself.
func (d Device) elsewhere() bool { return d.Kind != DeviceFront && d.Kind != "" }

// validate checks a device given through the API.
func (d Device) validate() error {
	switch d.Kind {
	case DeviceFront, "":
		return nil
	case DeviceCallback:
		if !outsideNumber(d.Number) {
			return fmt.Errorf("%w: callback number %q must be digits (optionally a leading +)", ErrInvalidDevice, d.Number)
		}
	case DeviceSIPPhone:
		if d.Number == "" || len(d.Number) > 128 || strings.ContainsAny(d.Number, " \t\r\n<>\"") {
			return fmt.Errorf("%w: SIP phone number %q", ErrInvalidDevice, d.Number)
		}
	default:
		return fmt.Errorf("%w: unknown kind %q", ErrInvalidDevice, d.Kind)
	}
	if d.Voice.ToneHz < 0 || d.Voice.ToneHz > 3900 {
		return fmt.Errorf("%w: tone %v Hz outside 0-3900", ErrInvalidDevice, d.Voice.ToneHz)
	}
	if d.AnswerAfter > time.Hour {
		return fmt.Errorf("%w: answer after %v is more than an hour", ErrInvalidDevice, d.AnswerAfter)
	}
	return nil
}

// SetAgentDevice says where the agent's calls ring from now on: its
// front's registration (DeviceFront, the default) or a device elsewhere
// that the center calls itself. An agent with a device elsewhere is
// reachable without any registration once signed in (SignIn). Refused while
// the agent is in a call.
func (cc *Center) SetAgentDevice(agentID string, d Device) error {
	if err := d.validate(); err != nil {
		return err
	}
	if d.Kind == "" {
		d.Kind = DeviceFront
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.closed {
		return ErrClosed
	}
	a, ok := cc.agents[agentID]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownAgent, agentID)
	}
	if a.call != "" {
		return fmt.Errorf("%w: %s is in call %s", ErrAgentBusy, agentID, a.call)
	}
	if a.device == d {
		return nil
	}
	a.device = d
	cc.emit(AgentDeviceChanged{Agent: agentID, Device: d})
	return nil
}

// AnswerDevice takes the ringing device of an agent off hook: the
// platform's "answer" command for a phone elsewhere (Udesk's AnswerAsync in
// cellphone mode, Emicnet's answerPBXCall in modes 4 and 5). An agent whose
// device is its front's answers there (ErrWrongState).
func (cc *Center) AnswerDevice(id CallID, agentID string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, a, role, err := cc.lookupLeg(id, agentID)
	if err != nil {
		return err
	}
	if !a.device.elsewhere() {
		return fmt.Errorf("%w: agent %s answers on its own endpoint", ErrWrongState, agentID)
	}
	if c.leg(agentID) == nil || c.legUp(agentID) {
		return fmt.Errorf("%w: agent %s's phone is not ringing in call %s", ErrWrongState, agentID, id)
	}
	c.stopTimer(deviceTimer(agentID))
	return cc.answerLeg(c, a, role)
}

// ringEndpoint rings an agent's leg of a call: through its front (a
// LegOffer) or, for a device elsewhere, the simulated phone, which goes off
// hook by itself after its AnswerAfter (at once for a SIP phone asked to
// auto-answer). Caller holds cc.mu.
func (cc *Center) ringEndpoint(c *call, a *agent, role Role, from, fromName string, autoAnswer bool) {
	d := a.device
	if !d.elsewhere() {
		cc.emit(LegOffer{Call: c.info(), Agent: a.ID, Role: role, From: from, FromName: fromName, AutoAnswer: autoAnswer})
		return
	}
	if c.devices == nil {
		c.devices = map[string]bool{}
	}
	c.devices[a.ID] = true
	cc.emit(DeviceLeg{Call: c.info(), Agent: a.ID, Role: role, Device: d, Phase: LegPhaseRinging,
		From: from, FromName: fromName, AutoAnswer: autoAnswer})
	after := d.AnswerAfter
	if d.Kind == DeviceSIPPhone && autoAnswer {
		after = 0
	}
	if after < 0 {
		return
	}
	id := a.ID
	cc.schedule(c.timer(deviceTimer(id)), after, func() { cc.deviceOffHook(c, id) })
}

// deviceOffHook: a simulated phone picked up by itself. Caller holds cc.mu.
func (cc *Center) deviceOffHook(c *call, agentID string) {
	if cc.calls[c.id] != c || c.leg(agentID) == nil || c.legUp(agentID) {
		return
	}
	role := c.roleOf(agentID)
	a := cc.agents[agentID]
	if role == "" || a == nil {
		return
	}
	if err := cc.answerLeg(c, a, role); err != nil {
		cc.log.Debug("callcenter: device off hook", "call", c.id, "agent", agentID, "err", err)
	}
}

// deviceTimer names the call's timer of an agent's ringing device.
func deviceTimer(agentID string) string { return "device:" + agentID }
