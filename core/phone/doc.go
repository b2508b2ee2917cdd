// Package phone is agentbar's SIP user agent: registration, outgoing and
// incoming calls, hold and resume, blind transfer, DTMF and session timers,
// on top of github.com/emiago/sipgo. Audio flows through core/media (RTP) and
// the audio package (devices, codecs); this package only signals and
// negotiates.
//
// # ADDED FOR EMICNET
//
// The names the Emicnet adapter (SIP MESSAGE control plane) and the Udesk
// adapter (X-Callcenter-Call) use; see "Messages" below:
//
//   - Config.RegisterHeaders map[string]string: extra headers (X-Emic-Gid
//     ...) on every REGISTER, digest retries, refreshes, re-registrations
//     after a new socket and the unregister included.
//   - Config.OnMessage func(Message) int: the MESSAGEs that reach the
//     phone, in order; the result is the status answered. nil = 405.
//     Message{From, To, ContentType string; Body []byte; CallID string;
//     CSeq uint32; Source string; Header func(name string) string}.
//   - (*Phone).SendMessage(ctx, target, contentType string, body []byte)
//     (MessageResult, error), MessageResult{Code int; Reason, ContentType
//     string; Body []byte; Header func(name string) string}. A non-2xx
//     answer is a result, not an error.
//   - (*Call).Header(name string) string: a header of an incoming call's
//     INVITE (X-Emic-CcNumber, X-Callcenter-Call), of an outgoing call's
//     answer.
//   - MaxMessageBody (16 KiB), ErrNoConnection, ErrMessageTooLarge.
//
// # Shape
//
// One Phone per SIP account. New validates the Config, Start binds the
// transport and starts the registration loop, Close hangs up every call,
// unregisters (Expires: 0) and stops every goroutine it started.
//
// Everything that happens is reported on Events(), in order, through one
// queue: the goroutine that changes a call's state is the one that queues the
// event, while holding that call's lock, so a slow reader can neither block
// the SIP stack nor see events out of order.
//
// # Calls
//
// Dial blocks until the call is answered or fails; the Call is announced
// first with CallStateChanged{State: Dialing}, so another goroutine can hang
// it up (CANCEL) before it is answered. Cancelling Dial's context does the
// same. Incoming calls arrive as IncomingCall; Answer, Reject or Hangup them.
//
// # SDP
//
// Offers list the account's codecs in its order of preference plus
// telephone-event/8000 0-16, ptime 20. When answering, the first codec of the
// OFFER that we also support wins (the offerer's preference, as most user
// agents do); when our offer is answered, the first codec of the answer that
// we offered wins. Nothing in common is answered with 488.
//
// # Hold
//
// RFC 3264 directions: we hold by offering sendonly (inactive when the other
// side already holds us); when the other side offers sendonly we answer
// recvonly, inactive with inactive. A call held by both sides is reported as
// Held. While we hold, RTP keeps flowing (NAT bindings, the peer's RTP
// timeout) but carries silence: the held customer never hears the agent.
// Answering a second call (call waiting) holds the calls in progress first.
//
// # Early media
//
// A 183 (or 180) with SDP starts the RTP session receive-only: ringback and
// announcements play, the agent's voice stays private until the answer.
//
// # Transfer, DTMF, session timers
//
// Transfer sends a blind REFER and follows the NOTIFY sipfrags; a REFER from
// the other side is carried out by itself (202, a new call, NOTIFYs, then
// our leg is cleared). DTMF goes as RFC 4733 events, or SIP INFO
// (application/dtmf-relay) when the account says so or the peer did not
// negotiate telephone-event; both kinds are received. Session timers (RFC
// 4028): a peer's Session-Expires is honoured, we refresh by re-INVITE when
// we are the refresher and hang up (ErrSessionExpired) when the other side
// should have and did not; Config.SessionExpires asks for them ourselves.
//
// # Messages
//
// Platforms that run their control plane over the SIP registration
// (Emicnet) send commands as MESSAGE (RFC 3428) and get events the same
// way. SendMessage sends one outside any dialog, the registration's way
// (outbound proxy, listening UDP socket, over WebSocket the registered
// socket and no other: when it is down, ErrNoConnection at once), answers
// digest challenges with the account's credentials and returns the
// final response, body included; ctx's deadline bounds it (ErrNoResponse,
// which then matches context.DeadlineExceeded too).
//
// Config.OnMessage receives the MESSAGEs that arrive, over every transport
// (over WebSocket and TLS on the connection the phone opened). sipgo hands
// each request to a goroutine of its own, which reorders requests read back
// to back; the phone puts them back in the order they were read
// (message_inbox.go) and calls OnMessage one at a time from one goroutine.
// Keep it quick and queue the work: the next MESSAGE waits meanwhile, and
// more than 256 waiting are answered 503. Never call Close from it. Bodies
// above MaxMessageBody are answered 413, a MESSAGE in a dialog we do not
// have 481, both without calling it. Over UDP and TCP anyone who reaches
// the port can send one: Message.From and Source say who did.
//
// # Shutdown
//
// Close ends every call (BYE, CANCEL, or 480 to a ringing one), unregisters,
// then seals the transport (what arrives is dropped) before tearing sipgo
// down: sipgo handles each message on a goroutine of its own, and one in
// flight would otherwise open a fresh socket to answer.
//
// # Errors
//
// Failures the agent sees carry Sentence(lang) ("zh" or "en"): the *Error
// sentinels of errors.go, *CallError (a final SIP status, e.g. 486 → 对方忙)
// and *RegistrationError. Error() keeps the technical detail for the log.
//
// # Transports
//
// UDP, TCP, TLS, WS and WSS (the server certificate is always verified; a
// custom CA pool may be given). With TLS and WebSocket this user agent does
// not listen: requests reach it over the connection it opened.
//
// Over WebSocket (RFC 7118) it behaves as JsSIP does (websocket.go): one
// socket to Config.WebSocketURL (path included, subprotocol "sip") carries
// every request and response; Via and Contact name a random
// "<hex>.invalid" host with transport=ws; in-dialog requests without a
// route set go back over the socket. The socket is kept with CRLF
// keep-alives (a WebSocket Ping with a payload breaks sipgo's reader), a
// closed or silent socket is replaced and the account registered again at
// once, retrying every 1.5 s while the server is away.
//
// # Media modes
//
// Config.Media picks how calls carry audio: plain RTP (core/media) or
// WebRTC (core/webrtc: ICE with the account's STUN/TURN servers, DTLS-SRTP,
// Opus, PCMU, PCMA, RFC 4733 events). The signalling is the same code for
// both (call_webrtc.go holds what differs): hold directions, DTMF by INFO,
// transfer and session timers work alike. WebRTC media needs a stream
// transport (its SDP does not fit a UDP datagram). A WebRTC call whose
// media cannot connect (ICE, DTLS) or is lost ends with BYE and the
// session's reason (webrtc.ErrICEFailed, ErrDTLSFailed, ErrMediaLost).
package phone
