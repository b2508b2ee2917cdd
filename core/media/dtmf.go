package media

import "agentbar/core/rtpcore"

// RFC 4733 telephone-events: the payload, key codes and timing are
// rtpcore's; what is ours is how a digit reaches the sender goroutine.

// dtmfRequest asks the sender goroutine to send one digit; done gets the
// outcome once the end packets are out (or the digit is abandoned).
type dtmfRequest struct {
	digit rtpcore.OutgoingDigit
	done  chan error
}
