package webrtc

import (
	"encoding/binary"
	"time"
)

// RFC 4733 telephone-events on the WebRTC path: the same RTP stream (SSRC,
// sequence numbers, clock) as the audio, with the telephone-event payload
// type negotiated for the audio codec's clock.

// dtmfEvent is the 4-byte telephone-event payload.
type dtmfEvent struct {
	code     uint8
	end      bool
	volume   uint8 // -dBm0, 0-63
	duration uint16
}

const dtmfPayloadSize = 4

func (e dtmfEvent) marshalTo(b []byte) []byte {
	b = b[:dtmfPayloadSize]
	b[0] = e.code
	b[1] = e.volume & 0x3F
	if e.end {
		b[1] |= 0x80
	}
	binary.BigEndian.PutUint16(b[2:4], e.duration)
	return b
}

func parseDTMFEvent(b []byte) (dtmfEvent, bool) {
	if len(b) < dtmfPayloadSize {
		return dtmfEvent{}, false
	}
	return dtmfEvent{code: b[0], end: b[1]&0x80 != 0, volume: b[1] & 0x3F, duration: binary.BigEndian.Uint16(b[2:4])}, true
}

const dtmfKeys = "0123456789*#ABCD"

func dtmfCode(digit rune) (uint8, bool) {
	if digit >= 'a' && digit <= 'd' {
		digit -= 'a' - 'A'
	}
	for i, k := range dtmfKeys {
		if k == digit {
			return uint8(i), true
		}
	}
	return 0, false
}

func dtmfDigit(code uint8) (rune, bool) {
	if int(code) < len(dtmfKeys) {
		return rune(dtmfKeys[code]), true
	}
	return 0, false
}

// DTMF timing: at least 40 ms, at most 5 s; the end packet goes three times
// (RFC 4733 §2.5.1.4) at -10 dBm0.
const (
	dtmfMinDuration = 40 * time.Millisecond
	dtmfMaxDuration = 5 * time.Second
	dtmfEndRepeats  = 3
	dtmfVolume      = 10
	dtmfQueue       = 32
)

// dtmfRequest asks the sender goroutine for one digit.
type dtmfRequest struct {
	code     uint8
	duration time.Duration
	done     chan error
}
