package wire

// The SDK's methods, by their documented names (section 五 of the 2.1.0
// document). The names travel as Request.Method unchanged.
const (
	MethodConnect                = "ConnectAsync"
	MethodDisconnect             = "Disconnect"
	MethodMakeCall               = "MakeCallAsync"
	MethodHangup                 = "HangupAsync"
	MethodAnswer                 = "AnswerAsync"
	MethodSetPhoneMode           = "SetPhoneModeAsync"
	MethodGetPhoneModes          = "GetPhoneModesAsync"
	MethodGetAgentStates         = "GetAgentStatesAsync"
	MethodSetAgentState          = "SetAgentStateAsync"
	MethodGetWebPhoneInfo        = "GetWebPhoneInfoAsync"
	MethodGetCallInWrapUpTime    = "GetCallInWrapUpTimeAsync"
	MethodGetSpNumbers           = "GetSpNumbersAsync"
	MethodGetCurrentSpNumber     = "GetCurrentSpNumberAsync"
	MethodSetSpNumber            = "SetSpNumberAsync"
	MethodGetAgentTerminalInfo   = "GetAgentTerminalInfoAsync"
	MethodRetrieveAfterThreeWay  = "RetrieveAfterThreeWayAsync"
	MethodEndConsultation        = "EndConsultationAsync"
	MethodRecovery               = "RecoveryAsync"
	MethodConsultationToThreeWay = "ConsultationToThreeWayAsync"
	MethodTransferAfterThreeWay  = "TransferAfterThreeWayAsync"
	MethodWhisper                = "WhisperAsync"
	MethodForcePickup            = "ForcePickupAsync"
	MethodTransferIvr            = "TransferIvrAsync"
	MethodGetIvrNodes            = "GetIvrNodesAsync"
	MethodGetQueuesAgents        = "GetQueuesAgentsAsync"
	MethodTransfer               = "TransferAsync"
	MethodHold                   = "HoldAsync"
	MethodConsultation           = "ConsultationAsync"
	MethodThreeway               = "ThreewayAsync"
	MethodConsultationToTransfer = "ConsultationToTransferAsync"
	MethodTransferQueue          = "TransferQueueAsync"
	MethodSubstitute             = "SubstituteAsync"
	MethodEavesdrop              = "EavesdropAsync"
	MethodGetOtherAgents         = "GetOtherAgentsAsync"
	MethodGetNumberPoolAndSpNum  = "GetNumberPoolAndSpNumAsync"
	MethodSetSpNumberPoolNum     = "SetSpNumberPoolNumAsync"
	MethodMute                   = "MuteAsync"
	MethodUnmute                 = "UnmuteAsync"
	// MethodGetState asks for the GetState event's payload (the resync);
	// the document lists GetState among the events, the server pushes it
	// after every ConnectAsync.
	MethodGetState = "GetState"
)

// Methods lists every method of the contract, in the document's order.
var Methods = []string{
	MethodDisconnect, MethodConnect, MethodMakeCall, MethodHangup, MethodAnswer,
	MethodSetPhoneMode, MethodGetPhoneModes, MethodGetAgentStates, MethodSetAgentState,
	MethodGetWebPhoneInfo, MethodGetCallInWrapUpTime, MethodGetSpNumbers,
	MethodGetCurrentSpNumber, MethodSetSpNumber, MethodGetAgentTerminalInfo,
	MethodRetrieveAfterThreeWay, MethodEndConsultation, MethodRecovery,
	MethodConsultationToThreeWay, MethodTransferAfterThreeWay, MethodWhisper,
	MethodForcePickup, MethodTransferIvr, MethodGetIvrNodes, MethodGetQueuesAgents,
	MethodTransfer, MethodHold, MethodConsultation, MethodThreeway,
	MethodConsultationToTransfer, MethodTransferQueue, MethodSubstitute,
	MethodEavesdrop, MethodGetOtherAgents, MethodGetNumberPoolAndSpNum,
	MethodSetSpNumberPoolNum, MethodMute, MethodUnmute, MethodGetState,
}

// Queries are the methods a client sends to HttpDomain (POST
// HttpDomain/<Method>) rather than on the socket: they read or set
// configuration and work while the socket is reconnecting. A server accepts
// them on the socket too.
var Queries = map[string]bool{
	MethodGetPhoneModes: true, MethodGetAgentStates: true, MethodGetWebPhoneInfo: true,
	MethodGetCallInWrapUpTime: true, MethodGetSpNumbers: true, MethodGetCurrentSpNumber: true,
	MethodSetSpNumber: true, MethodGetAgentTerminalInfo: true, MethodGetIvrNodes: true,
	MethodGetQueuesAgents: true, MethodGetOtherAgents: true, MethodGetNumberPoolAndSpNum: true,
	MethodSetSpNumberPoolNum: true,
}
