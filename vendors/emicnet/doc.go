// Package emicnet is the adapter for Emicnet (易米) call centers, whose web
// phone bar is jssip-emicnet: SIP over a secure WebSocket with WebRTC
// audio, and an HTTP account API. It speaks the wire contract of package
// wire (docs/vendors/emicnet.md); mapping.go holds the whole translation
// between the platform's names and codes and the engine's model.
//
// # Sign-in
//
// getUser (voip) or getUser2 (callintype 4 callback phone, 5 SIP phone)
// gives the seat's groups and data; then the shared SIP user agent
// (core/phone) registers over the WebSocket with the X-Emic headers. The
// registration is the control connection: commands go as MESSAGE with
// their result in the 200 OK, events come as MESSAGE, and the user agent
// registers again by itself when the socket drops. Only in voip mode do
// calls carry audio here (WebRTC legs the platform INVITEs, bound to their
// call by X-Emic-CcNumber); with a callback or SIP phone the device rings
// elsewhere and the adapter drives the control plane only.
//
// # Kicks
//
// kickedOffLine ends the session with the reason's sentence; the user
// agent stops and nothing signs in again (897 offers the agent a "sign in
// again" button, 895 and 898 do not).
//
// # Supervisors
//
// repCallStatus feeds the wall (with searchEpMembers polled for states);
// Monitor drives startCallMonitor … terminateCall through the state
// machine of the contract, checked here before anything is sent. The
// supervisor's own monitoring leg is not shown as a call of the
// supervisor: the wall's Monitor field says what is being done.
//
// # Concurrency
//
// core/phone hands MESSAGEs over one at a time in the order read; the
// adapter folds each into its state under one mutex and reports to the
// engine's sink (which never blocks) while holding it, so that updates
// leave in order. Slow follow-ups (answering a leg, hanging up) run on
// goroutines bounded by the session's life.
package emicnet
