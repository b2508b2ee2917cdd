package wire

// Values that travel in the fields above. Those the document shows are
// marked "documented"; the others are agentbar's choice where the document
// gives a field but not its values (docs/vendors/udesk.md, "Additions").

// Agent states: SetAgentStateAsync, AgentStateChanged, GetState, Ready.
const (
	StateIdle    = "idle"    // documented: 空闲
	StateBusy    = "busy"    // documented: 忙碌
	StateOnBreak = "onBreak" // documented: 小休, with a sub-state code
	StateOffline = "offline" // documented: 离线
	// StateNeaten is after-call work (整理) for GetCallInWrapUpTimeAsync's
	// WrapUpTime seconds; the platform sets it, an agent cannot choose it.
	StateNeaten = "neaten"
)

// Numeric agent states of GetOtherAgentsAsync's State. The document's
// example answers a query for "idle" agents with State: 1.
const (
	AgentStateCodeOffline = 0
	AgentStateCodeIdle    = 1 // documented by example
	AgentStateCodeBusy    = 2
	AgentStateCodeOnBreak = 3
	AgentStateCodeNeaten  = 4
)

// Phone (device) modes: SetPhoneModeAsync, GetPhoneModesAsync, Ready.CurMode,
// PhoneModeChanged.CurContact, GetState.CurMode. All documented.
const (
	ModeVoip      = "voip"      // IP话机: a SIP terminal registered with the platform
	ModeCellphone = "cellphone" // 手机: the platform calls the agent's mobile
	ModeWebRTC    = "webrtc"    // 网页电话: SIP over WSS with WebRTC media
)

// Device states: CurExtState, PhoneStateChanged.CurState. The document shows
// "offline", "idle" and "busy".
const (
	ExtStateOffline = "offline" // documented: the terminal is not registered
	ExtStateIdle    = "idle"    // documented
	ExtStateRinging = "ringing"
	ExtStateBusy    = "busy" // documented: in a call
)

// Numeric device states of GetOtherAgentsAsync's ExtState.
const (
	ExtStateCodeIdle    = 0 // the example's idle agent shows 0
	ExtStateCodeRinging = 1
	ExtStateCodeBusy    = 2
	ExtStateCodeOffline = 3
)

// WorkFlow: documented as "out_direct, in, out_callback".
const (
	WorkFlowIn          = "in"
	WorkFlowOutDirect   = "out_direct"   // the platform dials the customer from the agent's terminal
	WorkFlowOutCallback = "out_callback" // the platform rings the agent first, then the customer
)

// CallDirection of AdvancedCallStatusChanged and GetState.
const (
	DirectionOutbound = "Outbound" // documented
	DirectionInbound  = "Inbound"
	DirectionInternal = "Internal"
)

// CallType: documented as "呼入,呼出,三方,咨询等"; the example shows OtherIn.
const (
	CallTypeIn          = "In"
	CallTypeOut         = "Out"
	CallTypeOtherIn     = "OtherIn" // documented: the agent's leg of a callback outbound call
	CallTypeInternal    = "Internal"
	CallTypeConsult     = "Consult"
	CallTypeThreeWay    = "ThreeWay"
	CallTypeTransfer    = "Transfer"
	CallTypeEavesdrop   = "Eavesdrop"
	CallTypeWhisper     = "Whisper"
	CallTypeForcePickup = "ForcePickup"
	CallTypeSubstitute  = "Substitute"
)

// AdvancedCallStatus values: the call events' names (the example shows
// "Originated"), plus Consultation, which has no event of its own.
const (
	StatusDelivered         = EventDelivered
	StatusOriginated        = EventOriginated
	StatusEstablished       = EventEstablished
	StatusHeld              = EventHeld
	StatusRetrieved         = EventRetrieved
	StatusConsultation      = "Consultation"
	StatusConferenced       = EventConferenced
	StatusTransferred       = EventTransferred
	StatusConnectionCleared = EventConnectionCleared
)

// OwnerType of the trunk-number methods. Documented.
const (
	OwnerApp   = "app"   // 租户: the tenant's default
	OwnerAgent = "agent" // 座席: this agent's own choice
)

// TerminalType of GetAgentTerminalInfoAsync. Documented.
const (
	TerminalVoip   = "voip"
	TerminalWebRTC = "webrtc"
)

// type of GetNumberPoolAndSpNumAsync / SetSpNumberPoolNumAsync. Documented.
const (
	PoolTypeSpNumber   = 1 // 中继号
	PoolTypeNumberPool = 2 // 号码池
)

// JumpType of TransferIvrAsync. The document's example is " agent_hangup"
// (with a stray space); servers should trim it.
const JumpTypeAgentHangup = "agent_hangup"
