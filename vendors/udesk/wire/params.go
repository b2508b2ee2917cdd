package wire

// Params of each method, named as the document's parameter tables and
// examples name them. A method whose only argument is an Options object
// sends that object as Params; positional arguments become fields named as
// the document's table names them.

// ConnectParams authenticate the socket: the first frame on a new socket is
// ConnectAsync with the token from the customer's backend (GetToken). The
// SDK takes AppId and AgentId as instance parameters; on the wire they go here.
type ConnectParams struct {
	AppId        string `json:"AppId"`
	AgentId      string `json:"AgentId"`
	Timestamp    string `json:"Timestamp"`
	Token        string `json:"Token"`
	LanguageCode string `json:"LanguageCode,omitempty"` // instance parameter, "ZH-CN" by default
}

// MakeCallParams: MakeCallAsync(Number, Options).
type MakeCallParams struct {
	Number  string            `json:"Number"`
	Options map[string]string `json:"Options,omitempty"` // call data, e.g. {BizId: ""}
}

// CallParams: {CallId} — HangupAsync(CallId), HoldAsync, RecoveryAsync,
// EndConsultationAsync, RetrieveAfterThreeWayAsync, ConsultationToThreeWayAsync,
// TransferAfterThreeWayAsync, MuteAsync, UnmuteAsync.
type CallParams struct {
	CallId string `json:"CallId"`
}

// AgentParams: {CallId, AgentId[, AgentPhone]} — TransferAsync (AgentId or
// AgentPhone), ConsultationAsync, ThreewayAsync, ConsultationToTransferAsync,
// WhisperAsync, ForcePickupAsync (with AgentPhone), SubstituteAsync,
// EavesdropAsync.
type AgentParams struct {
	CallId     string `json:"CallId"`
	AgentId    string `json:"AgentId,omitempty"`
	AgentPhone string `json:"AgentPhone,omitempty"`
}

// TransferIvrParams: TransferIvrAsync({CallId, IvrId, NodeId, JumpType}).
type TransferIvrParams struct {
	CallId   string `json:"CallId"`
	IvrId    string `json:"IvrId"`
	NodeId   string `json:"NodeId"`
	JumpType string `json:"JumpType"`
}

// TransferQueueParams: TransferQueueAsync({CallId, QueueId}).
type TransferQueueParams struct {
	CallId  string `json:"CallId"`
	QueueId string `json:"QueueId"`
}

// PhoneModeParams: SetPhoneModeAsync(PhoneMode).
type PhoneModeParams struct {
	PhoneMode string `json:"PhoneMode"`
}

// AgentStateParams: SetAgentStateAsync(State[, SubState]). SubState is the
// break sub-state's code, a number in the document's example (101).
type AgentStateParams struct {
	State    string      `json:"State"`
	SubState NumOrString `json:"SubState,omitempty"`
}

// OwnerParams: GetSpNumbersAsync / GetCurrentSpNumberAsync({OwnerType}).
type OwnerParams struct {
	OwnerType string `json:"OwnerType"`
}

// SpNumberParams: SetSpNumberAsync({OwnerType, DisplayNumber}).
type SpNumberParams struct {
	OwnerType     string `json:"OwnerType"`
	DisplayNumber string `json:"DisplayNumber"`
}

// TerminalParams: GetAgentTerminalInfoAsync({TerminalType}).
type TerminalParams struct {
	TerminalType string `json:"TerminalType"`
}

// IvrNodesParams: GetIvrNodesAsync(id), the IVR's id.
type IvrNodesParams struct {
	Id string `json:"id"`
}

// OtherAgentsParams: GetOtherAgentsAsync({State}); empty State lists all.
type OtherAgentsParams struct {
	State string `json:"State,omitempty"`
}

// PoolParams: GetNumberPoolAndSpNumAsync({type}) and
// SetSpNumberPoolNumAsync({type, id}); type 1 trunk numbers, 2 number pools.
type PoolParams struct {
	Type FlexInt `json:"type"`
	Id   string  `json:"id,omitempty"`
}
