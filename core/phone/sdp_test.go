package phone

import (
	"errors"
	"net"
	"strings"
	"testing"

	"agentbar/core/media"
)

func TestParseSDP(t *testing.T) {
	const head = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
	tests := []struct {
		name      string
		sdp       string
		wantErr   error
		ip        string
		port      int
		formats   []string
		dtmf      uint8
		dir       media.Direction
		rtcp      string
		rtcpMux   bool
		audioLine int
	}{
		{name: "session c=, static types without rtpmap",
			sdp: head + "c=IN IP4 10.0.0.2\r\nm=audio 4000 RTP/AVP 8 0\r\n",
			ip:  "10.0.0.2", port: 4000, formats: []string{"PCMA", "PCMU"}, dir: media.SendRecv},
		{name: "media c= wins, telephone-event, sendonly",
			sdp: head + "c=IN IP4 10.0.0.2\r\nm=audio 4000 RTP/AVP 0 96\r\nc=IN IP4 10.0.0.3\r\na=rtpmap:96 telephone-event/8000\r\na=sendonly\r\n",
			ip:  "10.0.0.3", port: 4000, formats: []string{"PCMU"}, dtmf: 96, dir: media.SendOnly},
		{name: "session-level direction",
			sdp: head + "c=IN IP4 10.0.0.2\r\na=inactive\r\nm=audio 4000 RTP/AVP 0\r\n",
			ip:  "10.0.0.2", port: 4000, formats: []string{"PCMU"}, dir: media.Inactive},
		{name: "old-style hold c=0.0.0.0",
			sdp:  head + "c=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n",
			port: 4000, formats: []string{"PCMU"}, dir: media.SendOnly},
		{name: "rtcp attribute with address",
			sdp: head + "c=IN IP4 10.0.0.2\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:4011 IN IP4 10.0.0.9\r\n",
			ip:  "10.0.0.2", port: 4000, formats: []string{"PCMU"}, dir: media.SendRecv, rtcp: "10.0.0.9:4011"},
		{name: "rtcp-mux",
			sdp: head + "c=IN IP4 10.0.0.2\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp-mux\r\n",
			ip:  "10.0.0.2", port: 4000, formats: []string{"PCMU"}, dir: media.SendRecv, rtcpMux: true},
		{name: "video first, audio second",
			sdp: head + "c=IN IP4 10.0.0.2\r\nm=video 5000 RTP/AVP 96\r\nm=audio 4000 RTP/AVP 0\r\n",
			ip:  "10.0.0.2", port: 4000, formats: []string{"PCMU"}, dir: media.SendRecv, audioLine: 1},
		{name: "dynamic codec keeps its rtpmap name",
			sdp: head + "c=IN IP4 10.0.0.2\r\nm=audio 4000 RTP/AVP 111 0\r\na=rtpmap:111 opus/48000/2\r\n",
			ip:  "10.0.0.2", port: 4000, formats: []string{"OPUS", "PCMU"}, dir: media.SendRecv},
		{name: "garbage", sdp: "hello", wantErr: ErrMalformedSDP},
		{name: "no media line", sdp: head + "c=IN IP4 10.0.0.2\r\n", wantErr: ErrMalformedSDP},
		{name: "no c= anywhere", sdp: head + "m=audio 4000 RTP/AVP 0\r\n", wantErr: ErrMalformedSDP},
		{name: "rejected audio", sdp: head + "c=IN IP4 10.0.0.2\r\nm=audio 0 RTP/AVP 0\r\n", wantErr: ErrNoCommonCodec},
		{name: "SRTP only", sdp: head + "c=IN IP4 10.0.0.2\r\nm=audio 4000 RTP/SAVP 0\r\n", wantErr: ErrNoCommonCodec},
		{name: "IPv6", sdp: head + "c=IN IP6 ::1\r\nm=audio 4000 RTP/AVP 0\r\n", wantErr: ErrNoCommonCodec},
		{name: "FQDN", sdp: head + "c=IN IP4 media.example.com\r\nm=audio 4000 RTP/AVP 0\r\n", wantErr: ErrNoCommonCodec},
		{name: "bad payload type", sdp: head + "c=IN IP4 10.0.0.2\r\nm=audio 4000 RTP/AVP 300\r\n", wantErr: ErrMalformedSDP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseSDP([]byte(tt.sdp))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (tt.ip == "" && r.ip != nil) || (tt.ip != "" && r.ip.String() != tt.ip) {
				t.Errorf("ip %v, want %q", r.ip, tt.ip)
			}
			if r.port != tt.port || r.dtmfPT != tt.dtmf || r.dir != tt.dir || r.rtcpMux != tt.rtcpMux || r.audioIndex != tt.audioLine {
				t.Errorf("port %d dtmf %d dir %v mux %v line %d", r.port, r.dtmfPT, r.dir, r.rtcpMux, r.audioIndex)
			}
			var names []string
			for _, f := range r.formats {
				names = append(names, f.name)
			}
			if strings.Join(names, ",") != strings.Join(tt.formats, ",") {
				t.Errorf("formats %v, want %v", names, tt.formats)
			}
			if tt.rtcp != "" && (r.rtcp == nil || r.rtcp.String() != tt.rtcp) {
				t.Errorf("rtcp %v, want %s", r.rtcp, tt.rtcp)
			}
		})
	}
}

func TestNegotiate(t *testing.T) {
	pcmu, _ := codecByName("PCMU")
	pcma, _ := codecByName("PCMA")
	ours := []codecSpec{pcmu, pcma}
	offer := func(formats ...string) *remoteMedia {
		r := &remoteMedia{}
		for _, f := range formats {
			c, _ := codecByName(f)
			if c.name == "" {
				c = codecSpec{name: f, pt: 96, clock: 8000}
			}
			r.formats = append(r.formats, remoteFormat{pt: c.pt, name: c.name, clock: c.clock})
		}
		return r
	}
	tests := []struct {
		name    string
		offer   *remoteMedia
		keep    string
		want    string
		wantOK  bool
		fromAns string
	}{
		{"offerer's order wins", offer("PCMA", "PCMU"), "", "PCMA", true, "PCMA"},
		{"skip unknown", offer("G729", "PCMU"), "", "PCMU", true, "PCMU"},
		{"keep running codec", offer("PCMA", "PCMU"), "PCMU", "PCMU", true, "PCMA"},
		{"keep ignored when not offered", offer("PCMA"), "PCMU", "PCMA", true, "PCMA"},
		{"nothing in common", offer("G729", "OPUS"), "", "", false, ""},
		{"empty", offer(), "", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := chooseForAnswer(tt.offer, ours, tt.keep)
			if ok != tt.wantOK || got.name != tt.want {
				t.Fatalf("chooseForAnswer = %v %v, want %q %v", got, ok, tt.want, tt.wantOK)
			}
			got, ok = chooseFromAnswer(tt.offer, ours)
			if got.name != tt.fromAns || ok != (tt.fromAns != "") {
				t.Fatalf("chooseFromAnswer = %v %v, want %q", got, ok, tt.fromAns)
			}
		})
	}
}

func TestAgreeDirections(t *testing.T) {
	S, O, R, I := media.SendRecv, media.SendOnly, media.RecvOnly, media.Inactive
	tests := []struct{ ours, theirs, want media.Direction }{
		{S, S, S}, {S, O, R}, {S, R, O}, {S, I, I},
		{O, S, O}, {O, O, I}, {O, R, O}, {O, I, I},
		{R, S, R}, {R, O, R}, {R, R, I},
		{I, S, I},
	}
	for _, tt := range tests {
		if got := agree(tt.ours, tt.theirs); got != tt.want {
			t.Errorf("agree(%v, %v) = %v, want %v", tt.ours, tt.theirs, got, tt.want)
		}
	}
	for _, tt := range []struct {
		hold, heldByThem bool
		want             media.Direction
	}{{false, false, S}, {false, true, S}, {true, false, O}, {true, true, I}} {
		if got := wantedDirection(tt.hold, tt.heldByThem); got != tt.want {
			t.Errorf("wantedDirection(%v, %v) = %v, want %v", tt.hold, tt.heldByThem, got, tt.want)
		}
	}
}

func TestBuildSDPRoundTrip(t *testing.T) {
	pcmu, _ := codecByName("PCMU")
	pcma, _ := codecByName("PCMA")
	o := newSDPOrigin()
	l := localMedia{ip: net.IPv4(192, 0, 2, 7), port: 30000, codecs: []codecSpec{pcmu, pcma}, dtmfPT: 101, dir: media.SendOnly}
	body, err := o.next(l)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"m=audio 30000 RTP/AVP 0 8 101", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20", "a=sendonly", "a=rtcp:30001", "c=IN IP4 192.0.2.7"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("SDP lacks %q:\n%s", want, body)
		}
	}
	r, err := parseSDP(body)
	if err != nil {
		t.Fatal(err)
	}
	if r.port != 30000 || r.dtmfPT != 101 || r.dir != media.SendOnly || len(r.formats) != 2 {
		t.Fatalf("round trip: %+v", r)
	}
	v1 := o.version
	if _, err := o.next(l); err != nil || o.version != v1 {
		t.Fatalf("same SDP bumped the version %d -> %d", v1, o.version)
	}
	l.dir = media.SendRecv
	if _, err := o.next(l); err != nil || o.version != v1+1 {
		t.Fatalf("changed SDP: version %d -> %d, want +1", v1, o.version)
	}
}

func TestAnswerMirrorsOfferLines(t *testing.T) {
	offer, err := parseSDP([]byte("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n" +
		"m=video 5000 RTP/AVP 96\r\nm=audio 4000 RTP/AVP 0\r\nm=application 6000 UDP/BFCP *\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	pcmu, _ := codecByName("PCMU")
	body, err := newSDPOrigin().next(localMedia{ip: net.IPv4(10, 0, 0, 5), port: 7000, codecs: []codecSpec{pcmu}, dir: media.SendRecv, mirror: offer})
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	iv, ia, ix := strings.Index(s, "m=video 0 "), strings.Index(s, "m=audio 7000 "), strings.Index(s, "m=application 0 ")
	if iv < 0 || ia < 0 || ix < 0 || !(iv < ia && ia < ix) {
		t.Fatalf("answer does not mirror the offer's lines:\n%s", s)
	}
}

// FuzzNegotiate feeds arbitrary SDP through parsing and both negotiation
// paths, then builds the answer: nothing may panic, and whatever is chosen
// must be one of ours and one of theirs.
func FuzzNegotiate(f *testing.F) {
	f.Add([]byte("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n"))
	f.Add([]byte("v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"))
	f.Add([]byte("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=video 1 RTP/AVP 96\r\nm=audio 4000 RTP/AVPF 0\r\na=rtcp:9 IN IP4 1.2.3.4\r\na=rtcp-mux\r\n"))
	f.Add([]byte("v=0\r\n"))
	pcmu, _ := codecByName("PCMU")
	pcma, _ := codecByName("PCMA")
	ours := []codecSpec{pcmu, pcma}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := parseSDP(body)
		if err != nil {
			if !errors.Is(err, ErrMalformedSDP) && !errors.Is(err, ErrNoCommonCodec) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		for _, pick := range []func() (codecSpec, bool){
			func() (codecSpec, bool) { return chooseForAnswer(r, ours, "PCMA") },
			func() (codecSpec, bool) { return chooseFromAnswer(r, ours) },
		} {
			c, ok := pick()
			if !ok {
				continue
			}
			offered := false
			for _, f := range r.formats {
				offered = offered || (f.pt == c.pt && f.name == c.name)
			}
			if !offered || (c.name != "PCMU" && c.name != "PCMA") {
				t.Fatalf("chose %+v from %+v", c, r.formats)
			}
			answer, err := newSDPOrigin().next(localMedia{ip: net.IPv4(10, 0, 0, 1), port: 5000, codecs: []codecSpec{c}, dtmfPT: r.dtmfPT, dir: agree(media.SendRecv, r.dir), mirror: r})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := parseSDP(answer); err != nil {
				t.Fatalf("our answer does not parse: %v\n%s", err, answer)
			}
		}
	})
}

func BenchmarkParseSDP(b *testing.B) {
	body := []byte("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n")
	for b.Loop() {
		if _, err := parseSDP(body); err != nil {
			b.Fatal(err)
		}
	}
}
