package rtpcore

import (
	"time"

	"github.com/pion/rtp"
)

// Inbound is what a session knows of the stream it receives: RFC 3550
// statistics (the embedded Reception) and RFC 4733 digits, both started
// over when the source changes. Not safe for concurrent use.
type Inbound struct {
	Reception
	digits DigitDetector
}

// Packet records one packet the session accepted (a negotiated payload
// type, from the right peer). clockRate is the audio codec's RTP clock;
// isDTMF says the payload type is telephone-event. newSource reports a
// change of SSRC after the first source (the caller starts its jitter
// buffer over); digit is the key when the packet starts a new DTMF event,
// else 0.
func (in *Inbound) Packet(pkt *rtp.Packet, clockRate int, isDTMF bool, arrival time.Time) (newSource bool, digit rune) {
	switch {
	case !in.Active():
		in.Start(pkt.SSRC, pkt.SequenceNumber, clockRate)
	case in.SSRC() != pkt.SSRC:
		newSource = true
		in.Start(pkt.SSRC, pkt.SequenceNumber, clockRate)
		in.digits.Reset()
	}
	in.Update(pkt.SequenceNumber, pkt.Timestamp, arrival)
	if isDTMF {
		digit = in.digits.Digit(pkt.Payload, pkt.Timestamp)
	}
	return newSource, digit
}
