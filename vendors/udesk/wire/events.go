package wire

import "encoding/json"

// The SDK's events (section 六), by their documented names. They travel as
// ServerFrame.Event with the documented {Code, Data, Message, Visible}.
const (
	EventAgentStateChanged         = "AgentStateChanged"
	EventPhoneModeChanged          = "PhoneModeChanged"
	EventPhoneStateChanged         = "PhoneStateChanged"
	EventReady                     = "Ready"
	EventAdvancedCallStatusChanged = "AdvancedCallStatusChanged"
	EventGetState                  = "GetState"
	EventDelivered                 = "Delivered"
	EventOriginated                = "Originated"
	EventEstablished               = "Established"
	EventConnectionCleared         = "ConnectionCleared"
	EventHeld                      = "Held"
	EventRetrieved                 = "Retrieved"
	EventConferenced               = "Conferenced"
	EventTransferred               = "Transferred"
)

// Events lists every event of the contract, in the document's order.
var Events = []string{
	EventAgentStateChanged, EventPhoneModeChanged, EventPhoneStateChanged, EventReady,
	EventAdvancedCallStatusChanged, EventGetState, EventDelivered, EventOriginated,
	EventEstablished, EventConnectionCleared, EventHeld, EventRetrieved,
	EventConferenced, EventTransferred,
}

// CallEvents are the events whose Data is a CallEvent.
var CallEvents = map[string]bool{
	EventDelivered: true, EventOriginated: true, EventEstablished: true,
	EventConnectionCleared: true, EventHeld: true, EventRetrieved: true,
	EventConferenced: true, EventTransferred: true,
}

// AgentStateChange is AgentStateChanged's Data item (Data is a one-element array).
type AgentStateChange struct {
	CurState      string     `json:"CurState"`
	CurStateSubId FlexString `json:"CurStateSubId"`
	OldState      string     `json:"OldState"`
}

// PhoneModeChange is PhoneModeChanged's Data item.
type PhoneModeChange struct {
	CurContact  string `json:"CurContact"`  // the device mode: voip, cellphone, webrtc
	CurExtState string `json:"CurExtState"` // the device's state (ExtState*)
	CurNumber   string `json:"CurNumber"`   // the device's number
}

// PhoneStateChange is PhoneStateChanged's Data item.
type PhoneStateChange struct {
	CallID   string `json:"CallID"`
	CurState string `json:"CurState"` // the device's state (ExtState*)
}

// ReadyInfo is Ready's Data item, sent once the socket is signed in.
type ReadyInfo struct {
	CurExtState string `json:"CurExtState"`
	CurMode     string `json:"CurMode"`
	CurState    string `json:"CurState"`
}

// Party is a number with its city: AgentInfo, CustomerInfo, CalledInfo,
// CallerInfo, DisplayInfo. The document writes the customer's number as
// TelNumber in AdvancedCallStatusChanged and as Number in the call events'
// field list; both are read.
type Party struct {
	TelNumber string `json:"TelNumber,omitempty"`
	Number    string `json:"Number,omitempty"`
	City      string `json:"City,omitempty"`
}

// Tel returns the party's number, whichever field carries it.
func (p *Party) Tel() string {
	if p == nil {
		return ""
	}
	if p.TelNumber != "" {
		return p.TelNumber
	}
	return p.Number
}

// AdvancedCallStatus is AdvancedCallStatusChanged's Data.
type AdvancedCallStatus struct {
	AdvancedCallStatus string       `json:"AdvancedCallStatus"`
	AgentInfo          *Party       `json:"AgentInfo"`
	CallAuthority      OptAuthority `json:"CallAuthority"`
	CallDirection      string       `json:"CallDirection"`
	CallEvent          string       `json:"CallEvent"`
	CallID             string       `json:"CallID"`
	CallType           string       `json:"CallType"`
	CalledInfo         *Party       `json:"CalledInfo"`
	CallerInfo         *Party       `json:"CallerInfo"`
	ChannelUUID        string       `json:"ChannelUUID"`
	CustomerInfo       *Party       `json:"CustomerInfo"`
	DisplayInfo        *Party       `json:"DisplayInfo"`
	WorkFlow           string       `json:"WorkFlow"`
}

// State is the GetState event's Data (and the GetState method's reply).
type State struct {
	AdvancedCallStatus *string         `json:"AdvancedCallStatus"`
	AgentInfo          *Party          `json:"AgentInfo"`
	CallDirection      string          `json:"CallDirection"`
	CallID             string          `json:"CallID"`
	CallType           *string         `json:"CallType"`
	CurContact         string          `json:"CurContact"` // the device's number
	CurExtState        string          `json:"CurExtState"`
	CurMode            string          `json:"CurMode"`
	CurState           string          `json:"CurState"`
	CurSubStateId      FlexString      `json:"CurSubStateId"`
	CustomerInfo       *Party          `json:"CustomerInfo"`
	DestNumber         string          `json:"DestNumber"`
	DestNumberLoc      string          `json:"DestNumberLoc"`
	Payload            json.RawMessage `json:"Payload"`
	SpNumber           string          `json:"SpNumber"`
	StartTime          string          `json:"StartTime"`
	UserData           json.RawMessage `json:"UserData"`
}

// CallEvent is the Data of Delivered, Originated, Established,
// ConnectionCleared, Held, Retrieved, Conferenced and Transferred.
type CallEvent struct {
	CallID        string       `json:"CallID"`
	AgentInfo     *Party       `json:"AgentInfo"`
	CustomerInfo  *Party       `json:"CustomerInfo"`
	FromQueue     string       `json:"FromQueue"`
	DisplayNum    *string      `json:"DisplayNum"`
	WorkFlow      string       `json:"WorkFlow"`
	CallAuthority OptAuthority `json:"CallAuthority"`
	CallType      string       `json:"CallType"`
}
