// Package media is the RTP/RTCP session of one call: symmetric RTP over UDP
// with pion/rtp and pion/rtcp, G.711 through agentbar/audio, RFC 4733
// telephone-events, RTCP sender/receiver reports with RTT, and an E-model
// MOS estimate.
//
// A Session binds its sockets first (NewSession, so its address can go into
// the SDP offer or answer), then Start connects it to the negotiated peer and
// to an audio.Port, and Update applies a re-INVITE (hold, resume, new
// address, new codec) on the same sockets.
//
// Goroutines. A Session runs one goroutine that reads RTP, one that reads
// RTCP (none with rtcp-mux), one that paces the sending from
// Port.ReadFrame, and one that sends RTCP reports. Close stops them all and
// waits for them.
//
// Latching (symmetric RTP, RFC 4961 practice). We always send from the port
// we receive on. Until the first valid RTP packet arrives we send to the SDP
// address; the first valid packet (version 2, a negotiated payload type)
// "latches" its source address, which then replaces the SDP address for
// sending if it differs (the peer is behind a NAT). Once latched, packets from
// any other address are counted as foreign and dropped. Re-latch rule: if the
// latched source has sent nothing for Config.RelatchAfter (default 2 s), the
// next valid packet from a new address latches again; Update with a new
// remote address also starts over. RTCP latches the same way on its socket.
//
// Hold with c=0.0.0.0: a Remote whose IP is unspecified (or port 0) is
// accepted, and nothing (RTP or RTCP) is sent to it.
//
// CONTRACT: the API agreed with core/phone is implemented as written.
// Additions (nothing changed): Config.RTCPInterval, Config.RelatchAfter and
// Config.JitterBuffer; Session.SSRC; Direction.Sends/Receives/Reverse;
// EstimateMOS; Quality carries more figures than the agreed Jitter,
// LossPercent, RTT, MOS, PacketsSent and PacketsReceived. Start binds the
// Port to the codec's rate when the Port implements audio.RateBinder (the
// ports of audio.Pipeline do) and otherwise requires Port.SampleRate to be
// the codec's. Close detaches the session from the Port (SetPlayback(nil))
// but does not close the Port, and closes the DTMF channel.
//
// CONTRACT CHANGES: none.
package media
