package rtpcore

import "encoding/binary"

// TelephoneEvent is the 4-byte RFC 4733 telephone-event payload.
type TelephoneEvent struct {
	Event    uint8 // 0-15 are the DTMF keys (DTMFKeys), above are other tones
	End      bool
	Volume   uint8 // -dBm0, 0-63
	Duration uint16
}

// TelephoneEventSize is the length of one event payload.
const TelephoneEventSize = 4

// MarshalTo writes the event into b, which must hold TelephoneEventSize
// bytes, and returns how many it wrote.
func (e TelephoneEvent) MarshalTo(b []byte) int {
	b[0] = e.Event
	b[1] = e.Volume & 0x3F
	if e.End {
		b[1] |= 0x80
	}
	binary.BigEndian.PutUint16(b[2:4], e.Duration)
	return TelephoneEventSize
}

// ParseTelephoneEvent reads an event payload; false when b is too short.
// Bytes after the first event (RFC 4733 allows several) are ignored.
func ParseTelephoneEvent(b []byte) (TelephoneEvent, bool) {
	if len(b) < TelephoneEventSize {
		return TelephoneEvent{}, false
	}
	return TelephoneEvent{
		Event:    b[0],
		End:      b[1]&0x80 != 0,
		Volume:   b[1] & 0x3F,
		Duration: binary.BigEndian.Uint16(b[2:4]),
	}, true
}

// DTMFKeys lists the DTMF keys in event-code order (RFC 4733 3.2).
const DTMFKeys = "0123456789*#ABCD"

// DTMFCode maps a key (lower-case a-d too) to its event code, 0-15.
func DTMFCode(digit rune) (uint8, bool) {
	if digit >= 'a' && digit <= 'd' {
		digit -= 'a' - 'A'
	}
	for i, k := range DTMFKeys {
		if k == digit {
			return uint8(i), true
		}
	}
	return 0, false
}

// DTMFDigit maps an event code back to its key; codes above 15 (flash and
// the other tones of RFC 4734) are not digits.
func DTMFDigit(code uint8) (rune, bool) {
	if int(code) < len(DTMFKeys) {
		return rune(DTMFKeys[code]), true
	}
	return 0, false
}
