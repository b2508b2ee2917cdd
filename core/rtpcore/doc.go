// Package rtpcore holds the parts of an RTP audio stream that do not depend
// on how packets travel, shared by core/media (plain RTP over UDP) and
// core/webrtc (RTP inside pion's DTLS-SRTP):
//
//   - Inbound: the receive side of one stream, Reception (RFC 3550
//     receiver statistics: appendix A.1 sequence tracking, A.3 loss, A.8
//     jitter, and the figures of an RTCP report block) plus the DTMF
//     digits, started over when the source changes.
//   - RFC 4733 telephone-events: the 4-byte payload (TelephoneEvent), the
//     DTMF key codes, the timing we send digits with (OutgoingDigit), and
//     the receiver's rule that one event is one digit (DigitDetector).
//   - SDP: UnmarshalSDP, which also reads SDP whose lines are out of
//     RFC 4566 order (CanonicalSDP).
//
// Nothing here is safe for concurrent use, owns a goroutine or touches the
// network: each session keeps its own values under its own locks.
package rtpcore
