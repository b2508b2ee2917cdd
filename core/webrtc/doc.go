// Package webrtc is the WebRTC media of one call: an audio-only pion/webrtc
// peer connection (full ICE with the account's STUN/TURN servers, DTLS-SRTP,
// rtcp-mux) carrying Opus, PCMU or PCMA and RFC 4733 telephone-events,
// connected to the same audio pipeline as plain RTP calls (audio.Port:
// devices, jitter buffer, tones, recording, meters, mute). It plays the role
// core/media.Session plays for plain RTP; core/phone picks one or the other
// per account.
//
// # Offer and answer
//
// SIP carries no trickle ICE, so every SDP leaves complete: Offer and Answer
// wait for candidate gathering (bounded by Config.GatherTimeout, so a dead
// STUN or TURN server cannot hold a call). Offer/AcceptAnswer is our
// exchange, Answer the peer's; Rollback abandons an offer the peer refused.
// InspectSDP checks a peer's SDP before anything is applied: an audio stream
// with ICE credentials and a DTLS fingerprint (else ErrNotWebRTC, for a 488)
// and a codec in common.
//
// # Directions and hold
//
// pion answers a sendonly offer with sendrecv and stops its transceiver
// after an inactive one. Hold therefore never reaches pion: remote SDPs are
// handed to it with sendrecv, the direction the phone decided is written
// into the SDP we send, and the session enforces it (SetDirection): nothing
// is sent when we must not send, nothing played when we must not receive.
// ICE consent and DTLS keep running underneath, so resuming is instant.
//
// # Codec
//
// The first codec of the answer that we have is the call's codec, in both
// directions, for the rest of the call (a softphone's audio port runs at
// one rate). Opus runs at 48 kHz, mono, 20 ms frames, in-band FEC coded.
// Packets of another payload type are counted (Quality.UnknownPayload) and
// dropped.
//
// # Failures
//
// Connected closes when ICE and DTLS are up. Failed closes, with Err, when
// they are not up within Config.ConnectTimeout (ErrICEFailed when no network
// path was found, ErrDTLSFailed when the path works but the handshake does
// not: a fingerprint mismatch), or when the connection is lost during the
// call (ErrMediaLost). The session does not recover by itself: the call ends.
//
// # Goroutines
//
// One goroutine paces the send path on Port.ReadFrame, one reads the
// peer's RTP, one reads RTCP; pion runs its own. Close stops them all and
// waits for them.
package webrtc
