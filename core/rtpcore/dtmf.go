package rtpcore

import "time"

// How we send a digit: it lasts at least DTMFMinDuration and at most
// DTMFMaxDuration; the end packet goes DTMFEndRepeats times (RFC 4733
// 2.5.1.4) at a volume of -DTMFVolume dBm0.
const (
	DTMFMinDuration = 40 * time.Millisecond
	DTMFMaxDuration = 5 * time.Second
	DTMFEndRepeats  = 3
	DTMFVolume      = 10
)

// OutgoingDigit is a digit being sent as telephone-events, one packet per
// audio frame (audio pauses meanwhile, RFC 4733 2.5.1.1), every packet with
// the timestamp of the frame the digit started in.
type OutgoingDigit struct {
	code   uint8
	length time.Duration
	sent   time.Duration
}

// NewOutgoingDigit is the digit with event code code, lasting length
// clamped to DTMFMinDuration..DTMFMaxDuration.
func NewOutgoingDigit(code uint8, length time.Duration) OutgoingDigit {
	return OutgoingDigit{code: code, length: min(max(length, DTMFMinDuration), DTMFMaxDuration)}
}

// Next advances the digit by one frame and returns the event to send for
// it, its duration so far in clockRate units (the telephone-event's RTP
// clock). first marks the event's first packet (it carries the RTP
// marker); an event with End set is the last, to be sent DTMFEndRepeats
// times.
func (d *OutgoingDigit) Next(frame time.Duration, clockRate int) (ev TelephoneEvent, first bool) {
	first = d.sent == 0
	d.sent += frame
	units := uint64(d.sent) * uint64(clockRate) / uint64(time.Second)
	return TelephoneEvent{
		Event:    d.code,
		End:      d.sent >= d.length,
		Volume:   DTMFVolume,
		Duration: uint16(min(units, 0xFFFF)),
	}, first
}

// DigitDetector turns received telephone-events into digits: an event is
// known by its RTP timestamp, so its continuation and (repeated) end
// packets do not count again. The zero value is ready.
type DigitDetector struct {
	have   bool
	lastTS uint32
}

// Reset forgets the last event (a new source starts).
func (d *DigitDetector) Reset() { *d = DigitDetector{} }

// Digit returns the key when the packet with this payload and timestamp
// starts a new DTMF event, 0 otherwise (a continuation, a malformed
// payload, or a tone that is not a key).
func (d *DigitDetector) Digit(payload []byte, ts uint32) rune {
	ev, ok := ParseTelephoneEvent(payload)
	if !ok {
		return 0
	}
	if d.have && ts == d.lastTS {
		return 0
	}
	digit, ok := DTMFDigit(ev.Event)
	if !ok {
		return 0
	}
	d.have, d.lastTS = true, ts
	return digit
}
