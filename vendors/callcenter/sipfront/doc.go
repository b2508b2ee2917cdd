// Package sipfront is the plain-SIP front-end of the simulated call
// center: a registrar with digest authentication and a back-to-back user
// agent on sipgo (UDP and TCP on one port) that rings the agents'
// registered endpoints when the center offers them a call, bridges every
// leg's RTP into the call's mixing room, and takes the agents' own calls
// (to any number, a colleague or a queue).
//
// # Signalling
//
//   - REGISTER: digest (MD5) with the agent's password; 401 with a
//     challenge, 403 when the center refuses (fault knob, kick hold-off),
//     404 for unknown users. The binding's expiry is capped at
//     Options.MaxExpiry; a binding that expires signs the agent out.
//     A first binding signs the agent in (ready).
//   - The center's offers become INVITEs to the agent's contact with an SDP
//     offer (PCMU, PCMA, telephone-event/8000); 486/600 is busy, 603 a
//     refusal, 408/480 no answer, a transport error unreachable; the center
//     cancels (CANCEL) on its ring timeout. Supervisor legs carry
//     "Call-Info: <sip:HOST>;answer-after=0" so the endpoint answers itself.
//   - INVITEs from agents are authenticated (401 challenge) and dial the
//     center: another agent's number, a queue's number or a trunk
//     (internal), or any other number, which a simulated customer answers
//     after a ring (180). The 200 OK comes when the callee answers;
//     failures get the center's status (486, 480, 487 ...).
//   - In a call: BYE both ways; re-INVITE with sendonly/inactive is hold
//     (the customer hears music), sendrecv resumes; INFO
//     application/dtmf-relay and RFC 4733 events are digits; REFER is a
//     blind transfer (to an agent, a queue number or ivr:FLOW), answered
//     202 and reported with NOTIFY message/sipfrag; OPTIONS is answered
//     anywhere.
//   - A kick removes the binding and sends the endpoint an out-of-dialog
//     MESSAGE ("logged in elsewhere", with a Reason header); its next
//     REGISTERs are refused with 403 "Logged In Elsewhere" for the center's
//     hold-off time.
//
// # Media
//
// Every leg ends at the center in a core/media RTP session whose audio port
// is a party of the call's room (package room). The simulated customer and
// the center's own voice (prompts, music, ringback) are parties too. What
// each party hears follows the center's Mix; the room keeps the last
// seconds each party said and heard, which Front.Hearing exposes.
package sipfront
