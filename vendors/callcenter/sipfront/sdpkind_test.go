package sipfront

import (
	"errors"
	"testing"
)

// A JsSIP/Chrome-style WebRTC offer (trimmed to what InspectSDP reads).
const browserOffer = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" +
	"a=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n" +
	"m=audio 50000 UDP/TLS/RTP/SAVPF 111 0 8 126\r\nc=IN IP4 127.0.0.1\r\n" +
	"a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\n" +
	"a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
	"a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n" +
	"a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n" +
	"a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n" +
	"a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:126 telephone-event/8000\r\n"

func TestClassifyOffer(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		webRTC  bool
		wantErr error
	}{
		{"plain RTP", baresipOffer, false, nil},
		{"WebRTC", browserOffer, true, nil},
		{"WebRTC without fingerprint", stripLine(browserOffer, "a=fingerprint"), true, ErrNoCodec},
		{"WebRTC with a video codec only", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 127.0.0.1\r\n" +
			"a=ice-ufrag:a\r\na=ice-pwd:b\r\na=fingerprint:sha-256 00\r\na=rtpmap:96 VP8/90000\r\n", true, ErrNoCodec},
		{"plain RTP with opus only", "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n", false, ErrNoCodec},
		{"not SDP", "hello", false, ErrBadSDP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			webRTC, err := classifyOffer([]byte(tt.body))
			if webRTC != tt.webRTC {
				t.Errorf("WebRTC %v, want %v", webRTC, tt.webRTC)
			}
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func stripLine(body, prefix string) string {
	var out []byte
	for len(body) > 0 {
		line := body
		if i := indexCRLF(body); i >= 0 {
			line, body = body[:i+2], body[i+2:]
		} else {
			body = ""
		}
		if len(line) < len(prefix) || line[:len(prefix)] != prefix {
			out = append(out, line...)
		}
	}
	return string(out)
}

func indexCRLF(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '\r' && s[i+1] == '\n' {
			return i
		}
	}
	return -1
}

func FuzzClassifyOffer(f *testing.F) {
	f.Add([]byte(browserOffer))
	f.Add([]byte(baresipOffer))
	f.Add([]byte("m=audio 1 UDP/TLS/RTP/SAVPF 0\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		webRTC, err := classifyOffer(b)
		if err == nil && webRTC != isWebRTCSDP(b) {
			t.Fatalf("accepted as WebRTC=%v but isWebRTCSDP says otherwise", webRTC)
		}
		if err != nil && !errors.Is(err, ErrBadSDP) && !errors.Is(err, ErrNoCodec) {
			t.Fatalf("unexpected error kind %v", err)
		}
	})
}
