package udesksim

import (
	"slices"
	"strings"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// callView is what one agent sees of one call: the fields of its call
// events and of AdvancedCallStatusChanged. Views are compared to decide
// which events an agent gets.
type callView struct {
	CallID      string
	Status      string // wire.Status*
	CallType    string
	Direction   string // wire.Direction*
	WorkFlow    string
	Customer    wire.Party
	Agent       wire.Party
	Caller      wire.Party
	Called      wire.Party
	Display     wire.Party
	Queue       string
	ChannelUUID string
	Authority   wire.CallAuthority
}

// viewOf projects a call of the center onto one agent. ok is false when the
// agent has no part in the call any more. An outbound call the platform
// placed (MakeCallAsync: it rings the agent first) is out_callback; one the
// agent's terminal dialled, out_direct.
func viewOf(ci callcenter.CallInfo, agentID string) (callView, bool) {
	if ci.Phase == callcenter.PhaseEnded {
		return callView{}, false
	}
	up := slices.Contains(ci.Parties, agentID)
	v := callView{CallID: string(ci.ID), Queue: ci.Queue, ChannelUUID: "leg-" + string(ci.ID) + "-" + agentID}
	v.Agent = wire.Party{TelNumber: agentID}
	customer := wire.Party{TelNumber: ci.From, City: ci.Location}
	if ci.Direction == callcenter.Outbound {
		customer = wire.Party{TelNumber: ci.To, City: ci.Location}
	}
	switch agentID {
	case ci.Agent:
		v.Customer = customer
		switch ci.Direction {
		case callcenter.Inbound:
			v.Direction, v.WorkFlow, v.CallType = wire.DirectionInbound, wire.WorkFlowIn, wire.CallTypeIn
			v.Caller, v.Called, v.Display = customer, v.Agent, wire.Party{TelNumber: ci.To}
		case callcenter.Outbound:
			v.Direction, v.WorkFlow, v.CallType = wire.DirectionOutbound, wire.WorkFlowOutDirect, wire.CallTypeOut
			if ci.Placed {
				v.WorkFlow, v.CallType = wire.WorkFlowOutCallback, wire.CallTypeOtherIn
			}
			v.Caller, v.Called, v.Display = v.Agent, customer, wire.Party{TelNumber: ci.Display}
		default: // an agent or a queue caller reached this agent
			v.Direction, v.WorkFlow, v.CallType = wire.DirectionInbound, wire.WorkFlowIn, wire.CallTypeInternal
			v.Customer = wire.Party{TelNumber: firstNonEmpty(ci.CustomerEP, ci.From)}
			v.Caller, v.Called = v.Customer, v.Agent
		}
		consulting := ci.Consultee != "" || ci.Outside != ""
		switch {
		case ci.Phase == callcenter.PhaseOffering:
			v.Status = wire.StatusDelivered
		case ci.Phase == callcenter.PhaseDialing || ci.Phase == callcenter.PhaseCallback:
			v.Status = wire.StatusOriginated
		case ci.Phase != callcenter.PhaseTalking:
			return callView{}, false
		case ci.Held:
			v.Status = wire.StatusHeld
		case consulting && !ci.Conference:
			v.Status = wire.StatusConsultation
		case consulting && ci.Conference && consulteeUp(ci):
			v.Status = wire.StatusConferenced
		default:
			v.Status = wire.StatusEstablished
		}
	case ci.CustomerEP:
		// The agent who dialled a colleague, a queue or a trunk.
		v.Direction, v.WorkFlow, v.CallType = wire.DirectionOutbound, wire.WorkFlowOutDirect, wire.CallTypeInternal
		if ci.Placed {
			v.WorkFlow = wire.WorkFlowOutCallback
		}
		v.Customer = wire.Party{TelNumber: ci.To}
		v.Caller, v.Called = v.Agent, v.Customer
		v.Status = wire.StatusOriginated
		if ci.Phase == callcenter.PhaseTalking && ci.Agent != "" || ci.Phase == callcenter.PhaseIVR || ci.Phase == callcenter.PhaseSurvey {
			v.Status = wire.StatusEstablished
		}
	case ci.Consultee:
		v.Direction, v.WorkFlow = wire.DirectionInternal, wire.WorkFlowIn
		v.CallType = wire.CallTypeConsult
		if ci.Conference {
			v.CallType = wire.CallTypeThreeWay
		}
		v.Customer, v.Caller, v.Called = wire.Party{TelNumber: ci.Agent}, wire.Party{TelNumber: ci.Agent}, v.Agent
		switch {
		case !up:
			v.Status = wire.StatusDelivered
		case ci.Conference:
			v.Status = wire.StatusConferenced
		default:
			v.Status = wire.StatusEstablished
		}
	case ci.Supervisor:
		v.Direction, v.WorkFlow = wire.DirectionInternal, wire.WorkFlowIn
		v.CallType = monitorCallType[callcenter.MonitorMode(ci.Monitor)]
		v.Customer, v.Caller, v.Called = customer, wire.Party{TelNumber: ci.Agent}, v.Agent
		v.Status = wire.StatusDelivered
		if up {
			v.Status = wire.StatusEstablished
		}
	default:
		return callView{}, false
	}
	v.Authority = authorityOf(v, agentID == ci.Agent, consulteeUp(ci))
	return v, true
}

// consulteeUp reports whether the consulted party (a colleague, or an
// outside number: 咨询外线, 三方外线) has answered.
func consulteeUp(ci callcenter.CallInfo) bool {
	return ci.Consultee != "" && slices.Contains(ci.Parties, ci.Consultee) || ci.Outside != "" && ci.OutsideUp
}

var monitorCallType = map[callcenter.MonitorMode]string{
	callcenter.MonitorListen:   wire.CallTypeEavesdrop,
	callcenter.MonitorWhisper:  wire.CallTypeWhisper,
	callcenter.MonitorBarge:    wire.CallTypeForcePickup,
	callcenter.MonitorTakeOver: wire.CallTypeSubstitute,
}

// authorityOf is the platform's "allowed now": what the serving agent may do
// in each status; the other parties may answer and hang up.
func authorityOf(v callView, serving, consulteeUp bool) wire.CallAuthority {
	a := wire.CallAuthority{OnBarButtonSwitch: true, AllowHangup: true}
	switch v.Status {
	case wire.StatusDelivered:
		a.AllowAnswer = true
	case wire.StatusEstablished, wire.StatusRetrieved:
		if serving {
			a.AllowHold, a.AllowTransfer, a.AllowConsultation, a.AllowThreeWay = true, true, true, true
		}
	case wire.StatusHeld:
		if serving {
			a.AllowUnHold, a.AllowTransfer, a.AllowConsultation = true, true, true
		}
	case wire.StatusConsultation:
		a.AllowEndConsultation = true
		a.AllowTransferAfterConsultation = wire.FlexBool(consulteeUp)
		a.AllowThreeWayAfterConsultation = wire.FlexBool(consulteeUp)
	case wire.StatusConferenced:
		if serving {
			a.AllowCancel, a.AllowTransferAfterThreeWay = true, true
		}
	}
	a.AdvancedCallStatus = v.Status != wire.StatusConnectionCleared
	return a
}

// plainEvent is the call event an agent gets when its view of a call moves
// from one status to another ("" for none: a consult has only the advanced
// status).
func plainEvent(from, to string) string {
	switch to {
	case wire.StatusDelivered:
		return wire.EventDelivered
	case wire.StatusOriginated:
		return wire.EventOriginated
	case wire.StatusHeld:
		return wire.EventHeld
	case wire.StatusConferenced:
		return wire.EventConferenced
	case wire.StatusEstablished:
		switch from {
		case wire.StatusHeld, wire.StatusConsultation, wire.StatusConferenced:
			return wire.EventRetrieved
		}
		return wire.EventEstablished
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// isTransferReason tells a leg released by a transfer from a hang-up.
func isTransferReason(reason string) bool {
	r := strings.ToLower(reason)
	return strings.Contains(r, "transfer") || strings.Contains(r, "taken over")
}
