package rtpcore

import (
	"testing"
	"time"

	"github.com/pion/rtp"
)

// TestInbound drives one stream through a source change: statistics and
// the DTMF event memory start over, and only the change is reported.
func TestInbound(t *testing.T) {
	event := func(code uint8) []byte {
		b := make([]byte, TelephoneEventSize)
		TelephoneEvent{Event: code, Volume: 10, Duration: 160}.MarshalTo(b)
		return b
	}
	now := time.Unix(50, 0)
	steps := []struct {
		name      string
		pkt       rtp.Packet
		isDTMF    bool
		newSource bool
		digit     rune
		expected  uint32
	}{
		{"first audio", rtp.Packet{Header: rtp.Header{SSRC: 1, SequenceNumber: 100, Timestamp: 8000}, Payload: []byte{1}}, false, false, 0, 1},
		{"digit 7 starts", rtp.Packet{Header: rtp.Header{SSRC: 1, SequenceNumber: 101, Timestamp: 8160}, Payload: event(7)}, true, false, '7', 2},
		{"digit 7 goes on", rtp.Packet{Header: rtp.Header{SSRC: 1, SequenceNumber: 102, Timestamp: 8160}, Payload: event(7)}, true, false, 0, 3},
		{"a telephone-event payload on the audio type is not a digit", rtp.Packet{Header: rtp.Header{SSRC: 1, SequenceNumber: 104, Timestamp: 8480}, Payload: event(3)}, false, false, 0, 5},
		{"new source, same event timestamp: a new digit", rtp.Packet{Header: rtp.Header{SSRC: 2, SequenceNumber: 9, Timestamp: 8160}, Payload: event(7)}, true, true, '7', 1},
		{"the new source goes on", rtp.Packet{Header: rtp.Header{SSRC: 2, SequenceNumber: 10, Timestamp: 8320}, Payload: []byte{1}}, false, false, 0, 2},
	}
	var in Inbound
	for i, st := range steps {
		newSource, digit := in.Packet(&st.pkt, 8000, st.isDTMF, now.Add(time.Duration(i)*20*time.Millisecond))
		if newSource != st.newSource || digit != st.digit {
			t.Errorf("%s: newSource=%v digit=%q, want %v %q", st.name, newSource, digit, st.newSource, st.digit)
		}
		if in.SSRC() != st.pkt.SSRC || in.Expected() != st.expected {
			t.Errorf("%s: tracking ssrc %d expecting %d, want %d %d", st.name, in.SSRC(), in.Expected(), st.pkt.SSRC, st.expected)
		}
	}
}
