package udesksim

import (
	"encoding/json"

	"agentbar/vendors/udesk/wire"
)

// The encoders below are pure: state in, wire payload out. The golden tests
// feed them the document's examples.

func okEvent(name string, data any) wire.ServerFrame {
	f := wire.ServerFrame{Event: name, Envelope: wire.Envelope{Code: wire.CodeOK}}
	if data != nil {
		f.Data = wire.MustData(data)
	}
	return f
}

// callEventData is a call event's Data. Call events carry no authority
// (CallAuthority ""): AdvancedCallStatusChanged does.
func callEventData(v callView) wire.CallEvent {
	e := wire.CallEvent{
		CallID: v.CallID, AgentInfo: partyPtr(v.Agent), CustomerInfo: partyPtr(v.Customer),
		FromQueue: v.Queue, WorkFlow: v.WorkFlow, CallType: v.CallType,
	}
	if v.Display.Tel() != "" {
		d := v.Display.Tel()
		e.DisplayNum = &d
	}
	return e
}

func partyPtr(p wire.Party) *wire.Party { return &p }

// advancedData is AdvancedCallStatusChanged's Data; CallEvent names the
// event that caused it.
func advancedData(v callView, callEvent string) wire.AdvancedCallStatus {
	a := v.Authority
	return wire.AdvancedCallStatus{
		AdvancedCallStatus: v.Status, AgentInfo: partyPtr(v.Agent), CallAuthority: wire.OptAuthority{A: &a},
		CallDirection: v.Direction, CallEvent: callEvent, CallID: v.CallID, CallType: v.CallType,
		CalledInfo: partyPtr(v.Called), CallerInfo: partyPtr(v.Caller), ChannelUUID: v.ChannelUUID,
		CustomerInfo: partyPtr(v.Customer), DisplayInfo: partyPtr(v.Display), WorkFlow: v.WorkFlow,
	}
}

// agentState is an agent's Udesk state: its state name and sub-state code.
type agentState struct {
	State string
	Sub   string // break sub-state code, "" when none
}

// agentStateChangedData is AgentStateChanged's Data: a one-element array;
// no sub-state is "0", as the document shows.
func agentStateChangedData(cur, old agentState) []wire.AgentStateChange {
	sub := cur.Sub
	if sub == "" {
		sub = "0"
	}
	return []wire.AgentStateChange{{CurState: cur.State, CurStateSubId: wire.FlexString(sub), OldState: old.State}}
}

func phoneModeChangedData(mode, extState, number string) []wire.PhoneModeChange {
	return []wire.PhoneModeChange{{CurContact: mode, CurExtState: extState, CurNumber: number}}
}

func phoneStateChangedData(callID, extState string) []wire.PhoneStateChange {
	return []wire.PhoneStateChange{{CallID: callID, CurState: extState}}
}

func readyData(extState, mode string, st agentState) []wire.ReadyInfo {
	return []wire.ReadyInfo{{CurExtState: extState, CurMode: mode, CurState: st.State}}
}

// stateSnapshot is what GetState reports about an agent.
type stateSnapshot struct {
	Agent     agentState
	Mode      string
	ExtState  string
	Number    string // the terminal's number (CurContact)
	Call      *callView
	StartTime string
	SpNumber  string
	UserData  map[string]string
}

// stateData is GetState's Data; fields without a value are null, as the
// document shows them (its `undefined`).
func stateData(s stateSnapshot) wire.State {
	st := wire.State{
		CurContact: s.Number, CurExtState: s.ExtState, CurMode: s.Mode, CurState: s.Agent.State,
		CurSubStateId: wire.FlexString(s.Agent.Sub), SpNumber: s.SpNumber, StartTime: s.StartTime,
		UserData: json.RawMessage(`""`),
	}
	if len(s.UserData) > 0 {
		st.UserData = wire.MustData(s.UserData)
	}
	if c := s.Call; c != nil {
		status, callType := c.Status, c.CallType
		st.AdvancedCallStatus, st.CallType = &status, &callType
		st.AgentInfo, st.CustomerInfo = partyPtr(c.Agent), partyPtr(c.Customer)
		st.CallDirection, st.CallID = c.Direction, c.CallID
		st.DestNumber, st.DestNumberLoc = c.Customer.Tel(), c.Customer.City
	}
	return st
}
