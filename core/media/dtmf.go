package media

import (
	"encoding/binary"
	"fmt"
	"time"
)

// RFC 4733 telephone-events: DTMF digits as RTP packets.

// dtmfEvent is the 4-byte telephone-event payload.
type dtmfEvent struct {
	Event    uint8
	End      bool
	Volume   uint8 // -dBm0, 0-63
	Duration uint16
}

const dtmfPayloadSize = 4

func (e dtmfEvent) marshalTo(b []byte) int {
	b[0] = e.Event
	b[1] = e.Volume & 0x3F
	if e.End {
		b[1] |= 0x80
	}
	binary.BigEndian.PutUint16(b[2:4], e.Duration)
	return dtmfPayloadSize
}

func parseDTMFEvent(b []byte) (dtmfEvent, bool) {
	if len(b) < dtmfPayloadSize {
		return dtmfEvent{}, false
	}
	return dtmfEvent{
		Event:    b[0],
		End:      b[1]&0x80 != 0,
		Volume:   b[1] & 0x3F,
		Duration: binary.BigEndian.Uint16(b[2:4]),
	}, true
}

const dtmfKeys = "0123456789*#ABCD"

// dtmfCode maps a key to its event code (0-15).
func dtmfCode(digit rune) (uint8, error) {
	if digit >= 'a' && digit <= 'd' {
		digit -= 'a' - 'A'
	}
	for i, k := range dtmfKeys {
		if k == digit {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrBadDigit, digit)
}

// dtmfDigit maps an event code back to its key; codes above 15 (flash and
// the other tones of RFC 4734) are not digits.
func dtmfDigit(code uint8) (rune, bool) {
	if int(code) < len(dtmfKeys) {
		return rune(dtmfKeys[code]), true
	}
	return 0, false
}

// DTMF timing: a digit lasts at least dtmfMinDuration; the end packet is
// sent dtmfEndRepeats times (RFC 4733 2.5.1.4) at a volume of -10 dBm0.
const (
	dtmfMinDuration = 40 * time.Millisecond
	dtmfMaxDuration = 5 * time.Second
	dtmfEndRepeats  = 3
	dtmfVolume      = 10
)

// dtmfRequest asks the sender goroutine to send one digit.
type dtmfRequest struct {
	code     uint8
	duration time.Duration
	done     chan error
}
