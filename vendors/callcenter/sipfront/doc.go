// Package sipfront is the SIP front-end of the simulated call center: a
// registrar with digest authentication and a back-to-back user agent on
// sipgo (UDP and TCP on one port; SIP over WebSocket, WS and WSS, when
// Options.WSAddr / WSSAddr ask for it) that rings the agents' registered
// endpoints when the center offers them a call, bridges every leg's audio
// (plain RTP or WebRTC) into the call's mixing room, and takes the agents'
// own calls (to any number, a colleague or a queue).
//
// # Signalling
//
//   - REGISTER: digest (MD5) with the agent's password; 401 with a
//     challenge, 403 when the center refuses (fault knob, kick hold-off),
//     404 for unknown users. The binding's expiry is capped at
//     Options.MaxExpiry; a binding that expires signs the agent out.
//     A first binding signs the agent in (ready). An unregistration
//     (Expires 0, expires=0, "*") removes only the binding it names: over
//     a WebSocket the one of the socket it comes over, over UDP and TCP
//     the one of its Contact ("*": any), so a client a new sign-in
//     replaced does not sign the new one out when it unregisters and
//     closes. An agent whose calls ring a device elsewhere
//     (callcenter.SetAgentDevice) is not signed out when its binding goes
//     (expiry, unregistration, socket closed, restart): the center rings
//     that phone without any registration; if the device comes back to
//     the front while the agent has no binding, it is signed out then.
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
//     blind transfer (to an agent, a queue number or name, ivr:FLOW, a
//     trunk or an outside number: callcenter.ResolveNumber), answered 202
//     and reported with NOTIFY message/sipfrag; OPTIONS is answered
//     anywhere.
//   - A kick removes the binding and sends the endpoint an out-of-dialog
//     MESSAGE ("logged in elsewhere", with a Reason header); its next
//     REGISTERs are refused with 403 "Logged In Elsewhere" for the center's
//     hold-off time.
//
// # SIP over WebSocket
//
// WS and WSS listeners (RFC 7118, subprotocol "sip") accept any request
// path; Front.WSURL and WSSURL name "/ws". Each connection gets its TLS
// handshake and upgrade request read on its own goroutine, bounded by 5 s,
// before sipgo upgrades it (sipgo does it inside its accept loop, where one
// silent client would block the rest). Keep-alives are CRLF (sipgo answers
// a double CRLF); WebSocket pings with a payload break sipgo's reader.
//
// A REGISTER over a WebSocket binds the agent to that socket: requests to
// the agent (offers, MESSAGE, kick, BYE, NOTIFY) go over it whatever the
// Contact says ("x.invalid;transport=ws"), and in-dialog requests go back
// where the dialog's messages came from. When the socket closes the binding
// goes at once (the agent is signed out as after an expiry, OnUnregister is
// called); an offer ringing there fails as unreachable; the agent's own
// call still ringing out is given up. An answered call keeps its media for
// Options.WSGrace (30 s): an agent that registers again within it, over a
// new socket, keeps the call and its in-dialog requests move to the new
// socket; after it the leg ends without BYE (none can reach the agent) and
// the center hears the agent hung up. A WebRTC leg whose peer is really
// gone ends sooner, when ICE consent fails (about 15 s).
//
// # Platform hooks
//
// A platform's front-end built on this one (Emicnet's) plugs in through
// Options: OnRegister (refuse a REGISTER with 403, read its X- headers),
// OnUnregister (before the front decides on the sign-out: the hook may
// point the agent's device back at the front), OnMessage (out-of-dialog
// MESSAGEs of registered agents: over a WebSocket from the registered
// socket, otherwise digest-challenged; without the hook every MESSAGE is
// answered 200), OfferHeaders (extra headers on offers' INVITEs) and
// KickMessage (the kick notice's body);
// and through Front.SendMessage (a MESSAGE to the agent's binding, a
// *StatusError for a non-2xx answer) and Front.Registered.
//
// # Media
//
// Every leg ends at the center in a media session whose audio port is a
// party of the call's room (package room): a core/media RTP session
// (G.711, RFC 4733) or, for WebRTC, a core/webrtc session. A leg is WebRTC
// when the agent's INVITE offers UDP/TLS/RTP/SAVPF (ICE, DTLS fingerprint;
// the center answers), and for offers to an agent registered over WS or
// WSS (the center offers Opus, PCMU, PCMA and telephone-event; a plain-RTP
// client on a WebSocket can still dial with RTP). Opus legs run at 48 kHz
// and are resampled to and from the rooms' 8 kHz. Hold is the same
// re-INVITE on both kinds (the center mirrors the direction and the
// WebRTC session enforces it); DTMF is RFC 4733 on both, or INFO. A WebRTC
// leg whose ICE or DTLS connection is lost is hung up (BYE). The simulated
// customer and the center's own voice (prompts, music, ringback) are
// parties too, and so are the parties the center plays that come and go:
// an agent's device elsewhere (callcenter.DeviceLeg: from off hook to hung
// up, party the agent's id, speaking Device.Voice) and the outside callee
// of a transfer, consult or three-way call (callcenter.OutsideLeg: from
// answer to leaving, party callcenter.OutsideParty(number), speaking all
// the time without a script, else as its OutsideStep events say). They
// are recorded like any party. What each party hears follows the center's
// Mix; the room keeps the last seconds each party said and heard, which
// Front.Hearing exposes.
package sipfront
