package rtpcore

import (
	"bytes"
	"testing"
	"time"
)

func TestDTMFPayload(t *testing.T) {
	for i, digit := range DTMFKeys {
		code, ok := DTMFCode(digit)
		if !ok || int(code) != i {
			t.Errorf("DTMFCode(%q) = %d, %v", digit, code, ok)
		}
		back, ok := DTMFDigit(code)
		if !ok || back != digit {
			t.Errorf("DTMFDigit(%d) = %q", code, back)
		}
	}
	if code, ok := DTMFCode('c'); !ok || code != 14 {
		t.Errorf("lower-case c: %d %v", code, ok)
	}
	for _, r := range "eE!x 9\x00" {
		if r == '9' {
			continue
		}
		if _, ok := DTMFCode(r); ok {
			t.Errorf("%q taken for a key", r)
		}
	}
	if _, ok := DTMFDigit(16); ok {
		t.Error("flash (16) is not a digit")
	}
	b := make([]byte, 4)
	ev := TelephoneEvent{Event: 11, End: true, Volume: 10, Duration: 1234}
	if n := ev.MarshalTo(b); n != TelephoneEventSize {
		t.Errorf("MarshalTo wrote %d bytes", n)
	}
	if b[0] != 11 || b[1] != 0x8a || b[2] != 0x04 || b[3] != 0xd2 {
		t.Errorf("wire bytes % x", b)
	}
	if back, ok := ParseTelephoneEvent(b); !ok || back != ev {
		t.Errorf("round trip %+v", back)
	}
	if _, ok := ParseTelephoneEvent(b[:3]); ok {
		t.Error("short payload parsed")
	}
}

// TestOutgoingDigit follows one digit frame by frame: durations grow by a
// frame of the event clock, only the first packet is marked, the last ends
// it, and lengths outside 40 ms..5 s are clamped.
func TestOutgoingDigit(t *testing.T) {
	tests := []struct {
		name     string
		length   time.Duration
		clock    int
		frames   int
		lastUnit uint16
	}{
		{"100 ms at 8 kHz", 100 * time.Millisecond, 8000, 5, 800},
		{"110 ms ends on the frame that reaches it", 110 * time.Millisecond, 8000, 6, 960},
		{"too short is 40 ms", time.Millisecond, 8000, 2, 320},
		{"48 kHz clock", 60 * time.Millisecond, 48000, 3, 2880},
		{"too long is 5 s and the duration saturates", time.Hour, 48000, 250, 0xFFFF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewOutgoingDigit(5, tt.length)
			for i := 1; ; i++ {
				ev, first := d.Next(20*time.Millisecond, tt.clock)
				if first != (i == 1) {
					t.Fatalf("frame %d: first=%v", i, first)
				}
				if ev.Event != 5 || ev.Volume != DTMFVolume {
					t.Fatalf("frame %d: %+v", i, ev)
				}
				if want := min(i*tt.clock/50, 0xFFFF); int(ev.Duration) != want {
					t.Fatalf("frame %d: duration %d, want %d", i, ev.Duration, want)
				}
				if !ev.End {
					if i > tt.frames {
						t.Fatalf("no end after %d frames", i)
					}
					continue
				}
				if i != tt.frames || ev.Duration != tt.lastUnit {
					t.Errorf("ended at frame %d with duration %d, want frame %d, %d", i, ev.Duration, tt.frames, tt.lastUnit)
				}
				return
			}
		})
	}
}

func TestDigitDetector(t *testing.T) {
	payload := func(code uint8, end bool) []byte {
		b := make([]byte, TelephoneEventSize)
		TelephoneEvent{Event: code, End: end, Volume: 10, Duration: 160}.MarshalTo(b)
		return b
	}
	var d DigitDetector
	steps := []struct {
		name    string
		payload []byte
		ts      uint32
		want    rune
	}{
		{"first packet of 5", payload(5, false), 1000, '5'},
		{"continuation", payload(5, false), 1000, 0},
		{"end, repeated", payload(5, true), 1000, 0},
		{"end again", payload(5, true), 1000, 0},
		{"short payload", []byte{1, 2}, 2000, 0},
		{"flash is not a key", payload(16, false), 3000, 0},
		{"same key, new event", payload(5, false), 4000, '5'},
		{"# next", payload(11, true), 5000, '#'},
	}
	for _, st := range steps {
		if got := d.Digit(st.payload, st.ts); got != st.want {
			t.Errorf("%s: %q, want %q", st.name, got, st.want)
		}
	}
	d.Reset()
	if got := d.Digit(payload(11, true), 5000); got != '#' {
		t.Errorf("after Reset the same timestamp is a new event: got %q", got)
	}
}

// FuzzParseTelephoneEvent feeds whatever a peer may put in a
// telephone-event packet: parsing never panics, and what parses marshals
// back to the same four bytes.
func FuzzParseTelephoneEvent(f *testing.F) {
	f.Add([]byte{11, 0x8a, 0x04, 0xd2})
	f.Add([]byte{1, 2, 3})
	f.Add([]byte{16, 0x3f, 0xff, 0xff, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, ok := ParseTelephoneEvent(b)
		if ok != (len(b) >= TelephoneEventSize) {
			t.Fatalf("ok=%v for %d bytes", ok, len(b))
		}
		if !ok {
			return
		}
		out := make([]byte, TelephoneEventSize)
		ev.MarshalTo(out)
		if b[1]&0x40 == 0 && !bytes.Equal(out, b[:TelephoneEventSize]) {
			t.Fatalf("% x came back as % x", b[:TelephoneEventSize], out)
		}
		var d DigitDetector
		if digit := d.Digit(b, 0); digit != 0 {
			if _, isKey := DTMFCode(digit); !isKey {
				t.Fatalf("detector returned %q", digit)
			}
		}
	})
}
