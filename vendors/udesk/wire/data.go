package wire

import "encoding/json"

// Reply Data of the query methods, as the document's examples show them.

// PhoneMode is one entry of GetPhoneModesAsync: {Id: "voip", Name: "IP话机"}.
type PhoneMode struct {
	Id   string `json:"Id"`
	Name string `json:"Name"`
}

// AgentStateOption is one entry of GetAgentStatesAsync: a top-level state
// {Code: "idle", Label: "空闲"} or a break sub-state {Code: 101, Label:
// "午饭", Owner: "onBreak"}.
type AgentStateOption struct {
	Code  NumOrString `json:"Code"`
	Label string      `json:"Label"`
	Owner string      `json:"Owner,omitempty"`
}

// TerminalInfo is GetAgentTerminalInfoAsync's and GetWebPhoneInfoAsync's
// Data: the SIP account of the agent's terminal.
type TerminalInfo struct {
	SipServer string `json:"SipServer"`
	Number    string `json:"Number"`
	Password  string `json:"Password"`
}

// WrapUp is GetCallInWrapUpTimeAsync's Data, in seconds.
type WrapUp struct {
	WrapUpTime FlexInt `json:"WrapUpTime"`
}

// IvrNode is one entry of GetIvrNodesAsync (lower-case keys, as documented).
type IvrNode struct {
	Id   NumOrString `json:"id"`
	Name string      `json:"name"`
}

// Queue is one entry of GetQueuesAgentsAsync.
type Queue struct {
	Name     string     `json:"Name"`
	QueueId  FlexString `json:"QueueId"`
	Strategy FlexInt    `json:"Strategy"`
	Timeout  FlexInt    `json:"Timeout"`
}

// OtherAgent is one entry of GetOtherAgentsAsync. State and ExtState are
// numeric codes (AgentStateCode*, ExtStateCode*).
type OtherAgent struct {
	AgentId     FlexString      `json:"AgentId"`
	AppId       string          `json:"AppId"`
	Email       string          `json:"Email"`
	Enable      FlexBool        `json:"Enable"`
	ExtState    FlexInt         `json:"ExtState"`
	ExtenInfos  json.RawMessage `json:"ExtenInfos"`
	Extensions  json.RawMessage `json:"Extensions"`
	Mobile      string          `json:"Mobile"`
	Name        string          `json:"Name"`
	Queues      json.RawMessage `json:"Queues"`
	QueuesNames json.RawMessage `json:"QueuesNames"`
	Role        string          `json:"Role"`
	State       FlexInt         `json:"State"`
	WorkId      string          `json:"WorkId"`
	WrapUpTime  FlexInt         `json:"WrapUpTime"`
	// CallID is the agent's current call, "" when none. Not in the
	// document's example: the supervisor methods need a CallId and nothing
	// else documented gives it (docs/vendors/udesk.md, "Additions").
	CallID string `json:"CallID,omitempty"`
}

// PoolList is GetNumberPoolAndSpNumAsync's Data: {list, defaultId}.
type PoolList struct {
	List      []PoolItem `json:"list"`
	DefaultId *string    `json:"defaultId"`
}

// PoolItem is one trunk number (type 1) or number pool (type 2). The
// document shows an empty list; the item shape is agentbar's.
type PoolItem struct {
	Id     FlexString `json:"id"`
	Name   string     `json:"name,omitempty"`
	Number string     `json:"number,omitempty"`
}

// EmptyObject is the `Data: {}` of MuteAsync and SetSpNumberPoolNumAsync.
var EmptyObject = json.RawMessage("{}")
