package wire

// REST at HttpDomain: POST HttpDomain/<Method> with Params as the JSON body
// and these headers; the answer is an Envelope. HTTP status is 200 whenever
// an Envelope comes back (its Code says how it went), 401 for a token
// problem (with Code 1001 or 1002), 404 for an unknown method.
const (
	HeaderAppId     = "X-Udesk-AppId"
	HeaderAgentId   = "X-Udesk-AgentId"
	HeaderTimestamp = "X-Udesk-Timestamp"
	HeaderToken     = "X-Udesk-Token"
)
