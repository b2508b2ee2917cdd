package webrtc

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"agentbar/core/media"
)

// A JsSIP offer as Chromium makes it (trimmed), and what rtpengine sends a
// WebRTC leg for a plain RTP caller.
const (
	chromeOffer = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS stream\r\n" +
		"m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n" +
		"a=candidate:1 1 udp 2113937151 127.0.0.1 51000 typ host generation 0\r\n" +
		"a=ice-ufrag:EsAw\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\na=ice-options:trickle\r\n" +
		"a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r\n" +
		"a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=msid:stream track\r\na=rtcp-mux\r\n" +
		"a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n" +
		"a=rtpmap:63 red/48000/2\r\na=fmtp:63 111/111\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" +
		"a=rtpmap:13 CN/8000\r\na=rtpmap:110 telephone-event/48000\r\na=rtpmap:126 telephone-event/8000\r\na=ssrc:1 cname:x\r\n"
	rtpengineOffer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
		"m=audio 30000 UDP/TLS/RTP/SAVPF 0 101\r\na=mid:0\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n" +
		"a=sendonly\r\na=rtcp:30000\r\na=rtcp-mux\r\na=setup:actpass\r\n" +
		"a=fingerprint:sha-256 0E:D4:9C:12:8B:3F:6A:51:7D:BB:33:A8:41:53:E3:F4:53:74:C9:EC:2C:F8:2D:95:A1:0D:30:CE:38:03:AC:0B\r\n" +
		"a=ice-ufrag:d8Ck6tQO\r\na=ice-pwd:w6ppHBjAXhYhmYmf9bTZU1Nqjs\r\na=ice-lite\r\n" +
		"a=candidate:Ibz1Fpa2Il6IGBD9 1 UDP 2130706431 127.0.0.1 30000 typ host\r\n"
	plainOffer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
)

func TestInspectSDP(t *testing.T) {
	tests := []struct {
		name   string
		sdp    string
		err    error
		dir    media.Direction
		codecs []string
		dtmf   bool
	}{
		{"chromium offer", chromeOffer, nil, media.SendRecv, []string{"opus", "PCMU", "PCMA"}, true},
		{"rtpengine for a plain caller, on hold", rtpengineOffer, nil, media.SendOnly, []string{"PCMU"}, true},
		{"plain RTP", plainOffer, ErrNotWebRTC, 0, nil, false},
		{"no fingerprint", strings.ReplaceAll(chromeOffer, "a=fingerprint:", "a=x-fingerprint:"), ErrNotWebRTC, 0, nil, false},
		{"no ICE password", strings.ReplaceAll(chromeOffer, "a=ice-pwd:", "a=x-pwd:"), ErrNotWebRTC, 0, nil, false},
		{"only G722", strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(chromeOffer, " 111 63 9 0 8 ", " 9 "), "\r\na=rtpmap:0 PCMU/8000", ""), "\r\na=rtpmap:8 PCMA/8000", ""), ErrNoCommonCodec, 0, nil, false},
		{"audio rejected", strings.Replace(chromeOffer, "m=audio 9 ", "m=audio 0 ", 1), ErrNotWebRTC, 0, nil, false},
		{"not SDP", "hello", ErrMalformedSDP, 0, nil, false},
		{"session-level direction", strings.Replace(strings.Replace(chromeOffer, "a=sendrecv\r\n", "", 1), "t=0 0\r\n", "t=0 0\r\na=inactive\r\n", 1), nil, media.Inactive, []string{"opus", "PCMU", "PCMA"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := InspectSDP([]byte(tt.sdp))
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if r.Direction != tt.dir || !slices.Equal(r.Codecs, tt.codecs) || r.DTMF != tt.dtmf {
				t.Errorf("got %+v", r)
			}
		})
	}
}

// What pion gets is always sendrecv; what we send says what we mean.
func TestDirectionRewrites(t *testing.T) {
	for _, dir := range []media.Direction{media.SendRecv, media.SendOnly, media.RecvOnly, media.Inactive} {
		out, err := withDirection([]byte(rtpengineOffer), dir)
		if err != nil {
			t.Fatal(err)
		}
		r, err := InspectSDP(out)
		if err != nil || r.Direction != dir {
			t.Errorf("withDirection(%v): %v %+v", dir, err, r)
		}
		if n := strings.Count(string(out), "a="+dir.String()+"\r\n"); n != 1 {
			t.Errorf("withDirection(%v): %d direction lines:\n%s", dir, n, out)
		}
	}
	for _, in := range []string{rtpengineOffer, strings.Replace(chromeOffer, "a=sendrecv", "a=inactive", 1)} {
		out, err := forPion([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := InspectSDP(out); r.Direction != media.SendRecv {
			t.Errorf("forPion left %v", r.Direction)
		}
	}
}

func TestPayloadMap(t *testing.T) {
	got := payloadMap([]byte(chromeOffer))
	want := map[uint8]string{111: "opus", 0: "PCMU", 8: "PCMA", 110: "telephone-event/48000", 126: "telephone-event/8000"}
	for pt, name := range want {
		if got[pt] != name {
			t.Errorf("pt %d: %q, want %q", pt, got[pt], name)
		}
	}
	if _, ok := got[63]; ok {
		t.Error("RED mapped: we cannot play it")
	}
}

// The peer's SDP is outside input: nothing in it may crash us, and what we
// accept stays acceptable after our rewrites.
func FuzzInspectSDP(f *testing.F) {
	for _, s := range []string{chromeOffer, rtpengineOffer, plainOffer, "v=0\r\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := InspectSDP(body)
		payloadMap(body)
		transportKey(body)
		setupRole(body)
		mediaCount(body)
		if err != nil {
			if !errors.Is(err, ErrMalformedSDP) && !errors.Is(err, ErrNotWebRTC) && !errors.Is(err, ErrNoCommonCodec) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if len(r.Codecs) == 0 {
			t.Fatal("accepted with no codec")
		}
		out, err := forPion(body)
		if err != nil {
			t.Fatalf("accepted, then forPion failed: %v", err)
		}
		again, err := InspectSDP(out)
		if err != nil {
			t.Fatalf("accepted, rewritten, refused: %v\n%q", err, out)
		}
		if again.Direction != media.SendRecv || !slices.Equal(again.Codecs, r.Codecs) {
			t.Fatalf("rewrite changed %+v into %+v", r, again)
		}
		var origin sdpOrigin
		if _, err := rewriteSDP(body, media.Inactive, "passive", &origin); err != nil {
			t.Fatalf("rewriteSDP: %v", err)
		}
	})
}
