// Package udesksim is the Udesk CC PaaS front-end of the simulated call
// center (vendors/callcenter): the customer's token backend, the WebSocket
// at Domain and the HTTP queries at HttpDomain, speaking the contract of
// vendors/udesk/wire (docs/vendors/udesk.md). It is a protocol front-end on
// the center, not a model of its own: every method becomes a call of the
// center's Go API, and the center's events become each signed-in agent's
// Udesk events (Delivered, Established, AdvancedCallStatusChanged with its
// CallAuthority ...). Audio is the center's SIP front's business: in voip
// mode the agent's IP phone registers there over UDP, in webrtc mode its
// web phone over WSS (Options.WebPhoneServer), and the center rings it; in
// cellphone mode the center rings the agent's simulated mobile, a device
// elsewhere that answers on AnswerAsync. MakeCallAsync is the center's
// PlaceCall (out_callback) in every mode.
//
// The center's fault knobs apply: delay (per method name), drop, restart,
// refuse login, kick (close code 4001), expire token (close code 4002),
// malformed messages. Front.Inject sends any frame to an agent, for the
// golden and robustness tests.
package udesksim
