// Package demo is the built-in demo: a platform ("demo", marked Demo in the
// registry) whose adapter starts the simulated call center in process on
// loopback (vendors/callcenter with its SIP front and admin endpoint), with
// simulated colleagues and customers who call at a gentle Poisson rate and
// speak, and signs agentbar in to it as the demo agent 8001 (or the demo
// supervisor 8000) through the plain SIP adapter (vendors/sip). So a new
// user with no account hears real audio: calls ring, are answered, and go
// through agentbar's real SIP and RTP code.
//
// Agent states: plain SIP has no agent-state protocol, so the demo adapter
// takes the shortcut of telling the in-process center directly (ready,
// busy, break) and reports the center's own changes (wrap-up after a call,
// back to ready) to the engine: the center's truth and the engine's agree.
// Consult, three-way calls, the supervisor's wall and monitoring go through
// the center's Go API the same way; their audio still travels as real SIP
// legs to agentbar's phone.
package demo
