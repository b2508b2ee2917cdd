package sipfront

import (
	"errors"
	"net"
	"strings"
	"testing"

	"agentbar/core/media"
)

const baresipOffer = "v=0\r\no=- 123 456 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
	"m=audio 40000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n" +
	"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendonly\r\n"

func TestParseSDP(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		codec   string
		dtmf    uint8
		dir     media.Direction
		wantErr error
	}{
		{"baresip hold offer", baresipOffer, "PCMA", 101, media.SendOnly, nil},
		{"static types without rtpmap", "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n", "PCMU", 0, media.SendRecv, nil},
		{"only opus", "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n", "", 0, 0, ErrNoCodec},
		{"video only", "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=video 5004 RTP/AVP 96\r\n", "", 0, 0, ErrBadSDP},
		{"not SDP", "hello", "", 0, 0, ErrBadSDP},
		{"no address", "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n", "", 0, 0, ErrBadSDP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseSDP([]byte(tt.body))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.codec.Name() != tt.codec || r.dtmfPT != tt.dtmf || r.dir != tt.dir {
				t.Fatalf("got %s dtmf %d %s", r.codec.Name(), r.dtmfPT, r.dir)
			}
		})
	}
}

func TestBuildSDPRoundTrips(t *testing.T) {
	o := &sdpOrigin{id: 7}
	addr := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 30000}
	offer := buildSDP(o, addr, media.SendRecv, nil)
	r, err := parseSDP(offer)
	if err != nil {
		t.Fatalf("our offer does not parse: %v\n%s", err, offer)
	}
	if r.codec.Name() != "PCMU" || r.dtmfPT != ptEvents || r.addr.Port != 30000 {
		t.Fatalf("offer read back as %+v", r)
	}
	theirs, _ := parseSDP([]byte(baresipOffer))
	answer := buildSDP(o, addr, theirs.dir.Reverse(), theirs)
	a, err := parseSDP(answer)
	if err != nil {
		t.Fatal(err)
	}
	if a.codec.Name() != "PCMA" || a.dir != media.RecvOnly || len(a.formats) != 2 || o.version != 2 {
		t.Fatalf("answer read back as %+v (version %d)", a, o.version)
	}
	if p := theirs.params(); p.Direction != media.RecvOnly || !theirs.held() {
		t.Fatalf("params of a sendonly offer: %+v", p)
	}
}

func FuzzParseSDP(f *testing.F) {
	f.Add([]byte(baresipOffer))
	f.Add(buildSDP(&sdpOrigin{}, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4000}, media.SendRecv, nil))
	f.Add([]byte("v=0\r\nm=audio 1 RTP/AVP 0 8 101 x\r\nc=IN IP4 ::1\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := parseSDP(body)
		if err != nil {
			if !errors.Is(err, ErrBadSDP) && !errors.Is(err, ErrNoCodec) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if r.codec == nil || r.addr == nil || r.addr.Port <= 0 {
			t.Fatalf("accepted SDP without codec or address: %+v", r)
		}
		_ = r.params()
	})
}

func TestDTMFRelay(t *testing.T) {
	tests := []struct{ body, want string }{
		{"Signal=5\r\nDuration=160\r\n", "5"},
		{"signal = #\nDuration=100", "#"},
		{"Signal=a\r\n", "A"},
		{"Signal=55\r\n", ""},
		{"Duration=160\r\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := dtmfRelay([]byte(tt.body)); got != tt.want {
			t.Errorf("dtmfRelay(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func FuzzDTMFRelay(f *testing.F) {
	f.Add([]byte("Signal=5\r\nDuration=160\r\n"))
	f.Add([]byte("Signal=\x00\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if d := dtmfRelay(body); len(d) > 1 || d != "" && !strings.Contains("0123456789*#ABCD", d) {
			t.Fatalf("dtmfRelay gave %q", d)
		}
	})
}
