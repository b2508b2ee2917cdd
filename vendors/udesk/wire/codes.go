package wire

// Reply codes. The document defines only "0000"; the others are agentbar's
// (docs/vendors/udesk.md, "Codes"). Visible tells the client whether
// Message may be shown to the agent as is.
const (
	CodeOK FlexString = "0000" // documented: success

	CodeTokenInvalid  FlexString = "1001" // the token does not verify (wrong app, agent or key)
	CodeTokenExpired  FlexString = "1002" // the token's timestamp is too old: fetch a new one
	CodeNotConnected  FlexString = "1003" // a request before ConnectAsync succeeded
	CodeElsewhere     FlexString = "1004" // the agent signed in elsewhere; this socket is closed
	CodeAgentDisabled FlexString = "1005" // the agent is disabled (Enable false) or unknown

	CodeBadParams     FlexString = "2001" // Params missing or of the wrong shape
	CodeUnknownMethod FlexString = "2002"
	CodeNotAllowed    FlexString = "2003" // not allowed in the call's or agent's current state
	CodeNoSuchCall    FlexString = "2004"
	CodeUnavailable   FlexString = "2005" // the target agent, queue or number cannot take the call
	CodeNoPermission  FlexString = "2006" // a supervisor method from an agent without the role
	CodeModeMismatch  FlexString = "2007" // the method needs another phone mode (MuteAsync: webrtc)

	CodeServerError FlexString = "5000"
	CodeBusyServer  FlexString = "5003" // overloaded: try again
)

// WebSocket close codes the server uses (RFC 6455 private range).
const (
	CloseElsewhere    = 4001 // signed in elsewhere: do not reconnect by yourself
	CloseTokenExpired = 4002 // the session's token expired: fetch a new token and reconnect
	CloseDisabled     = 4003 // the agent was disabled
)
