package webrtc

import "agentbar/core/rtpcore"

// RFC 4733 telephone-events on the WebRTC path: the same RTP stream (SSRC,
// sequence numbers, clock) as the audio, with the telephone-event payload
// type negotiated for the audio codec's clock. The payload, key codes and
// timing are rtpcore's.

// dtmfQueue is how many received digits wait for a reader.
const dtmfQueue = 32

// dtmfRequest asks the sender goroutine for one digit; done gets the
// outcome once the end packets are out (or the digit is abandoned).
type dtmfRequest struct {
	digit rtpcore.OutgoingDigit
	done  chan error
}
