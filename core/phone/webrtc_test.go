package phone

import (
	"bytes"
	"errors"
	"regexp"
	"testing"
	"time"

	"agentbar/core/webrtc"
)

// WebRTC media between two phones, SIP over TCP straight to each other: the
// media mode does not depend on the transport (but its SDP is too big for
// UDP).

func webrtcMedia(extra func(*Config)) func(*Config) {
	return func(c *Config) {
		c.Media = MediaWebRTC
		if extra != nil {
			extra(c)
		}
	}
}

func TestWebRTCCallAudioHoldAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time audio")
	}
	aliceAudio, bobAudio := newAudioRig(t, 1000), newAudioRig(t, 440)
	alice := newTestPhone(t, "alice", TransportTCP, webrtcMedia(func(c *Config) { c.NewPort = aliceAudio.newPort }))
	bob := newTestPhone(t, "bob", TransportTCP, webrtcMedia(func(c *Config) { c.NewPort = bobAudio.newPort }))
	out, in := connect(t, alice, bob)
	settle := func() { aliceAudio.listen(t, 300*time.Millisecond) }
	settle()
	checkHears(t, "bob", bobAudio.listen(t, time.Second), aliceAudio)
	checkHears(t, "alice", aliceAudio.listen(t, time.Second), bobAudio)
	if c := out.rtcCodec(); c != "opus" {
		t.Errorf("codec %q, want opus", c)
	}

	// alice holds (sendonly / recvonly), bob holds too (inactive), bob
	// resumes, alice resumes: pion alone would have stopped sending after
	// the inactive offer.
	steps := []struct {
		name       string
		do         func() error
		aliceState CallState
		bobState   CallState
		aliceHears bool
		bobHears   bool
	}{
		{"alice holds", func() error { return out.Hold(ctxT(t)) }, Held, RemoteHeld, false, false},
		{"bob holds too", func() error { return in.Hold(ctxT(t)) }, Held, Held, false, false},
		{"bob resumes", func() error { return in.Resume(ctxT(t)) }, Held, RemoteHeld, false, false},
		{"alice resumes", func() error { return out.Resume(ctxT(t)) }, Talking, Talking, true, true},
		{"bob holds", func() error { return in.Hold(ctxT(t)) }, RemoteHeld, Held, false, false},
		{"bob resumes", func() error { return in.Resume(ctxT(t)) }, Talking, Talking, true, true},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if out.State() != st.aliceState || in.State() != st.bobState {
			bob.ev.waitState(in.ID(), st.bobState)
			if out.State() != st.aliceState || in.State() != st.bobState {
				t.Fatalf("%s: alice %v bob %v, want %v and %v", st.name, out.State(), in.State(), st.aliceState, st.bobState)
			}
		}
		settle()
		// A held call is silent both ways: the holder's microphone is
		// muted, and the held side's SDP direction stops its sending.
		if st.aliceHears {
			checkHears(t, "alice: "+st.name, aliceAudio.listen(t, 600*time.Millisecond), bobAudio)
		} else {
			checkSilent(t, "alice: "+st.name, aliceAudio.listen(t, 500*time.Millisecond))
		}
		if st.bobHears {
			checkHears(t, "bob: "+st.name, bobAudio.listen(t, 600*time.Millisecond), aliceAudio)
		} else {
			checkSilent(t, "bob: "+st.name, bobAudio.listen(t, 500*time.Millisecond))
		}
	}
	q := in.Quality()
	if q.PacketsReceived == 0 || q.PacketsSent == 0 || q.MOS < 4 {
		t.Errorf("quality after the call: %+v", q)
	}
	if err := out.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if e := bob.ev.waitState(in.ID(), Ended); !errors.Is(e.Reason, ErrRemoteHangup) {
		t.Errorf("bob's call ended with %v", e.Reason)
	}
}

// rtcCodec is the WebRTC codec of the call, "" for plain RTP.
func (c *Call) rtcCodec() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rtc == nil {
		return ""
	}
	return c.rtc.Codec()
}

func TestWebRTCDTMF(t *testing.T) {
	alice := newTestPhone(t, "alice", TransportTCP, webrtcMedia(nil))
	bob := newTestPhone(t, "bob", TransportTCP, webrtcMedia(nil))
	out, in := connect(t, alice, bob)
	waitBound(t, out)
	waitBound(t, in)
	if err := out.SendDTMF(ctxT(t), "19#"); err != nil {
		t.Fatal(err)
	}
	for i, want := range "19#" {
		got := bob.ev.waitN(i+1, "digit", func(e Event) bool { _, ok := e.(DTMFReceived); return ok }).(DTMFReceived)
		if got.Digit != want || got.Call != in {
			t.Fatalf("digit %d: %q, want %q", i, got.Digit, want)
		}
	}
	if err := in.SendDTMF(ctxT(t), "*"); err != nil {
		t.Fatal(err)
	}
	if got := alice.ev.wait("digit", func(e Event) bool { _, ok := e.(DTMFReceived); return ok }).(DTMFReceived); got.Digit != '*' {
		t.Fatalf("alice got %q", got.Digit)
	}
	if q := in.Quality(); q.DTMFReceived != 3 || q.DTMFSent != 1 {
		t.Errorf("bob counted %d digits in, %d out; RFC 4733, not INFO", q.DTMFReceived, q.DTMFSent)
	}
}

// waitBound waits until the call's WebRTC track is bound (DTLS up, the
// telephone-event payload type known).
func waitBound(t *testing.T, c *Call) {
	t.Helper()
	c.mu.Lock()
	rtc := c.rtc
	c.mu.Unlock()
	select {
	case <-rtc.Sending():
	case <-time.After(waitTimeout):
		t.Fatal("WebRTC media did not connect")
	}
	if !rtc.CanSendDTMF() {
		t.Fatal("telephone-event not negotiated")
	}
}

var (
	iceCredentials = regexp.MustCompile(`a=ice-(ufrag|pwd):(\S+)`)
	candidateAddr  = regexp.MustCompile(`(a=candidate:\S+ \d+ udp \d+ )127\.0\.0\.1 \d+`)
	fingerprintHex = regexp.MustCompile(`(a=fingerprint:sha-256 (?:[0-9A-F]{2}:){5}[0-9A-F])([0-9A-F])`)
)

// unreachableSDP makes an SDP useless for ICE: other credentials, and
// candidates on a port where nothing listens.
func unreachableSDP(sdp []byte) []byte {
	if !candidateAddr.Match(sdp) {
		panic("no loopback candidate to break in:\n" + string(sdp))
	}
	sdp = iceCredentials.ReplaceAll(sdp, []byte("a=ice-$1:${2}x"))
	return candidateAddr.ReplaceAll(sdp, []byte("${1}127.0.0.1 9"))
}

// forgedFingerprint changes one hex digit of the DTLS fingerprint.
func forgedFingerprint(sdp []byte) []byte {
	if !fingerprintHex.Match(sdp) {
		panic("no sha-256 fingerprint to forge in:\n" + string(sdp))
	}
	return fingerprintHex.ReplaceAllFunc(sdp, func(m []byte) []byte {
		out := bytes.Clone(m)
		if out[len(out)-1] == 'A' {
			out[len(out)-1] = 'B'
		} else {
			out[len(out)-1] = 'A'
		}
		return out
	})
}

// Media that cannot connect ends the call on both sides with a clear reason
// within 10 s.
func TestWebRTCMediaFailureEndsTheCall(t *testing.T) {
	tests := []struct {
		name   string
		mangle func([]byte) []byte
		want   error
	}{
		{"ICE cannot connect", unreachableSDP, webrtc.ErrICEFailed},
		{"DTLS fingerprint mismatch", forgedFingerprint, webrtc.ErrDTLSFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			short := func(h *testHooks) { h.rtcConnectTimeout = 4 * time.Second }
			alice := newTestPhoneWith(t, "alice", TransportTCP, webrtcMedia(nil), short)
			bob := newTestPhoneWith(t, "bob", TransportTCP, webrtcMedia(nil), func(h *testHooks) {
				short(h)
				h.mangleLocalSDP = tt.mangle
			})
			started := time.Now()
			out, in := connect(t, alice, bob)
			aliceEnd := alice.ev.waitState(out.ID(), Ended)
			bobEnd := bob.ev.waitState(in.ID(), Ended)
			if took := time.Since(started); took > 10*time.Second {
				t.Errorf("the call ended after %v, want within 10 s", took)
			}
			var failed bool
			for _, r := range []error{aliceEnd.Reason, bobEnd.Reason} {
				switch {
				case errors.Is(r, tt.want):
					failed = true
				case errors.Is(r, ErrRemoteHangup), errors.Is(r, webrtc.ErrICEFailed), errors.Is(r, webrtc.ErrDTLSFailed):
				default:
					t.Errorf("a side ended with %v", r)
				}
			}
			if !failed {
				t.Errorf("neither side reports %v: alice %v, bob %v", tt.want, aliceEnd.Reason, bobEnd.Reason)
			}
			t.Logf("alice: %v; bob: %v", aliceEnd.Reason, bobEnd.Reason)
		})
	}
}

// A WebRTC account refuses a plain RTP offer with 488, and a plain one a
// WebRTC offer.
func TestMediaModesDoNotMix(t *testing.T) {
	plain := newTestPhone(t, "plain", TransportTCP, nil)
	rtc := newTestPhone(t, "rtc", TransportTCP, webrtcMedia(nil))
	for _, tt := range []struct {
		name     string
		from, to *testPhone
	}{{"plain to WebRTC", plain, rtc}, {"WebRTC to plain", rtc, plain}} {
		_, err := tt.from.Dial(ctxT(t), tt.to.Contact())
		var ce *CallError
		if !errors.As(err, &ce) || ce.Code != 488 {
			t.Errorf("%s: Dial = %v, want 488", tt.name, err)
		}
	}
}
