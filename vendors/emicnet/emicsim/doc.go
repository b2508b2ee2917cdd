// Package emicsim is the Emicnet (易米) front-end of the simulated call
// center (vendors/callcenter), speaking the contract of
// vendors/emicnet/wire (docs/vendors/emicnet.md): the HTTP account API
// (getUser, getUser2, webApiHandler), and SIP over WSS through the center's
// SIP front (vendors/callcenter/sipfront) with the Emicnet headers, command
// MESSAGEs and their results, and event MESSAGEs (callEvent,
// statusChanged, kickedOffLine, repCallStatus).
//
// It is a protocol front-end on the center, not a model of its own:
// enterprises are the center's tenants (with a switch number and an eid),
// skill groups are its queues, extensions are its agents, every command
// becomes a call of the center's Go API and the center's events become
// each signed-in seat's Emicnet events. What the center has no notion of
// is the front's own: the call restrictions 507 (switch number
// suspended), 508 (outside working hours), 512 (a customer's daily call
// limit) and 1000 (a protected seat), the kick-off reasons 895, 897 and
// 898, the supervisor's monitor state machine, ccNumbers in the seed's
// shape, and the 5000x account errors.
//
// Callback phones (callintype 4) and SIP phones (5) are the center's
// simulated devices (callcenter.SetAgentDevice): they ring inside the
// center and speak a tone; only the control plane reaches the client.
package emicsim
