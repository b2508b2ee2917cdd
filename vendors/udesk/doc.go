// Package udesk is the adapter for the Udesk CC PaaS platform (API SDK
// 2.1.0). It speaks the wire contract of package wire (docs/vendors/udesk.md):
// a token from the customer's own backend, a JSON WebSocket at Domain for
// commands and events, HTTP at HttpDomain for queries. mapping.go holds the
// whole translation between the platform's names and the engine's model.
//
// Audio: in voip and webrtc modes agentbar is the agent's terminal. The
// adapter registers the shared SIP user agent (core/phone) with the account
// the platform gives for the mode: the IP phone (GetAgentTerminalInfoAsync,
// SIP over UDP/TCP, RTP) or the web phone (GetWebPhoneInfoAsync, SIP over
// WSS, WebRTC media). The platform rings it for every call and the agent
// answers by answering that INVITE; Dial is MakeCallAsync in every mode
// (out_callback: the platform rings the terminal first, with auto-answer,
// so call data travels). The SIP leg does not depend on the control
// socket, so a call keeps its audio while the socket reconnects. cellphone
// mode drives the control plane only (the platform calls the agent's
// mobile; AnswerAsync takes it off hook).
//
// Concurrency: one goroutine reads the socket and hands every event, in
// order, to the adapter, which reports it to the engine's sink (never
// blocking). Requests may come from any goroutine; replies are matched by Id.
package udesk
