package core

import "slices"

// Capabilities is what the signed-in platform can do at all. What is allowed
// on a call right now is Call.Allowed, a subset.
type Capabilities struct {
	Actions       ActionSet    `json:"actions"`
	TransferKinds []TargetKind `json:"transfer_kinds,omitempty"`
	ConsultKinds  []TargetKind `json:"consult_kinds,omitempty"`
	AgentStates   []string     `json:"agent_states"` // "ready", "busy", "break"
	Directory     bool         `json:"directory"`
	CallerID      bool         `json:"caller_id"`
	DeviceModes   bool         `json:"device_modes"`
	Supervisor    bool         `json:"supervisor"`
	// MonitorModes are the supervisor actions the platform has (all of
	// them unless the adapter lists its own).
	MonitorModes []MonitorMode `json:"monitor_modes,omitempty"`
	// NumTypes are the encrypted-number schemes Dial accepts.
	NumTypes []string `json:"num_types,omitempty"`
}

// Has reports whether the platform supports a call action.
func (c Capabilities) Has(a Action) bool { return c.Actions.Has(a) }

// capabilitiesOf derives a platform's capabilities from the interfaces its
// adapter implements: nothing is faked.
func capabilitiesOf(v Vendor) Capabilities {
	c := Capabilities{
		Actions:     Actions(ActAnswer, ActReject, ActHangup),
		AgentStates: []string{"ready", "busy"},
	}
	if _, ok := v.(Holder); ok {
		c.Actions = c.Actions.With(ActHold, ActResume)
	}
	if _, ok := v.(Muter); ok {
		c.Actions = c.Actions.With(ActMute, ActUnmute)
	}
	if _, ok := v.(DTMFSender); ok {
		c.Actions = c.Actions.With(ActDTMF)
	}
	if t, ok := v.(Transferrer); ok {
		c.TransferKinds = slices.Clone(t.TransferKinds())
		kindAction := map[TargetKind]Action{
			TargetAgent: ActTransferAgent, TargetNumber: ActTransferNumber,
			TargetQueue: ActTransferQueue, TargetIVR: ActTransferIVR,
		}
		for _, k := range c.TransferKinds {
			if a, ok := kindAction[k]; ok {
				c.Actions = c.Actions.With(a)
			}
		}
	}
	if _, ok := v.(Consulter); ok {
		c.Actions = c.Actions.With(ActConsult, ActConsultTransfer, ActConsultCancel)
		c.ConsultKinds = []TargetKind{TargetAgent, TargetNumber}
	}
	if _, ok := v.(Conferencer); ok {
		c.Actions = c.Actions.With(ActConference, ActConferenceRetrieve, ActConferenceTransfer)
		if c.Actions.Has(ActConsult) {
			c.Actions = c.Actions.With(ActConsultConference)
		}
	}
	if _, ok := v.(CallDataSetter); ok {
		c.Actions = c.Actions.With(ActCallData)
	}
	if _, ok := v.(BreakReasonLister); ok {
		c.AgentStates = append(c.AgentStates, "break")
	}
	_, c.Directory = v.(Directory)
	_, c.CallerID = v.(CallerIDChooser)
	_, c.DeviceModes = v.(DeviceModer)
	_, c.Supervisor = v.(Supervisor)
	if c.Supervisor {
		c.MonitorModes = allMonitorModes()
		if l, ok := v.(MonitorModeLister); ok {
			c.MonitorModes = slices.Clone(l.MonitorModes())
		}
	}
	if ed, ok := v.(EncryptedDialer); ok {
		c.NumTypes = slices.Clone(ed.NumTypes())
	}
	return c
}

// allowedNow computes a call's allowed actions: what its state permits (or
// the platform's own authority flags), narrowed to what the platform can do,
// with mute/unmute following the mute flag.
func (c *callEntry) allowedNow(caps Capabilities) ActionSet {
	if c.State == CallEnded {
		return 0
	}
	base := AllowedByState(c.State)
	if c.authority != nil {
		base = *c.authority
	}
	allowed := base & caps.Actions
	if c.Muted {
		allowed = allowed.Without(ActMute)
	} else {
		allowed = allowed.Without(ActUnmute)
	}
	if c.Direction != Inbound {
		allowed = allowed.Without(ActAnswer, ActReject)
	}
	return allowed
}
