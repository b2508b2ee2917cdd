package rtpcore

import (
	"strings"
	"testing"
)

const orderedSDP = "v=0\r\n" +
	"o=- 1 1 IN IP4 192.0.2.1\r\n" +
	"s=-\r\n" +
	"c=IN IP4 192.0.2.1\r\n" +
	"t=0 0\r\n" +
	"m=audio 4000 RTP/AVP 0 101\r\n" +
	"c=IN IP4 192.0.2.2\r\n" +
	"a=rtpmap:0 PCMU/8000\r\n" +
	"a=rtpmap:101 telephone-event/8000\r\n" +
	"a=sendrecv\r\n"

// A stack that writes t= before c= and a= before c= in the media section,
// with bare LF and a blank line.
const disorderedSDP = "v=0\n" +
	"o=- 1 1 IN IP4 192.0.2.1\n" +
	"s=-\n" +
	"t=0 0\n" +
	"c=IN IP4 192.0.2.1\n" +
	"\n" +
	"m=audio 4000 RTP/AVP 0 101\n" +
	"a=rtpmap:0 PCMU/8000\n" +
	"c=IN IP4 192.0.2.2\n" +
	"a=rtpmap:101 telephone-event/8000\n" +
	"a=sendrecv\n"

func TestCanonicalSDP(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"already ordered stays", orderedSDP, orderedSDP},
		{"lines put in order, LF to CRLF, blank dropped", disorderedSDP, orderedSDP},
		{"unknown types last", "v=0\r\nx=1\r\ns=-\r\n", "v=0\r\ns=-\r\nx=1\r\n"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(CanonicalSDP([]byte(tt.in))); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestUnmarshalSDP(t *testing.T) {
	// Text with no SDP lines at all reads, on the second try, as an empty
	// description: callers decide that no media line is an error.
	if s, err := UnmarshalSDP([]byte("hello")); err != nil || len(s.MediaDescriptions) != 0 {
		t.Errorf("no SDP lines: %v, %v", s, err)
	}
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"ordered", orderedSDP, false},
		{"out of order is read on the second try", disorderedSDP, false},
		{"bad port", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := UnmarshalSDP([]byte(tt.in))
			if tt.wantErr {
				if err == nil || s != nil {
					t.Fatalf("got %v, %v; want an error", s, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(s.MediaDescriptions) != 1 || s.MediaDescriptions[0].MediaName.Port.Value != 4000 {
				t.Fatalf("media %+v", s.MediaDescriptions)
			}
			if c := s.MediaDescriptions[0].ConnectionInformation; c == nil || c.Address.Address != "192.0.2.2" {
				t.Errorf("media connection %+v", c)
			}
		})
	}
}

// FuzzCanonicalSDP feeds any peer text: reordering never panics, is
// idempotent, and keeps every line of the form "x=...".
func FuzzCanonicalSDP(f *testing.F) {
	f.Add([]byte(orderedSDP))
	f.Add([]byte(disorderedSDP))
	f.Add([]byte("m=\na=\r\r\n=x\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		once := CanonicalSDP(body)
		if twice := CanonicalSDP(once); string(twice) != string(once) {
			t.Fatalf("not idempotent:\n%q\n%q", once, twice)
		}
		kept := strings.Count(string(once), "\r\n")
		if lines := strings.Split(strings.TrimSuffix(string(once), "\r\n"), "\r\n"); kept > 0 && len(lines) != kept {
			t.Fatalf("%d CRLFs but %d lines", kept, len(lines))
		}
		_, _ = UnmarshalSDP(body)
	})
}
