package webrtc

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"agentbar/core/media"
)

// Two sessions, offer and answer in process, real ICE, DTLS-SRTP and audio:
// each end hears the other's tone, for every codec.
func TestAudioBothWays(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time audio")
	}
	tests := []struct {
		name     string
		offerer  []string
		answerer []string
		want     string
	}{
		{"opus", nil, nil, "opus"},
		{"PCMU", []string{"PCMU"}, nil, "PCMU"},
		{"PCMA chosen by the answerer's order", []string{"opus", "PCMA"}, []string{"PCMA"}, "PCMA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			aRig, bRig := newAudioRig(t, 1000), newAudioRig(t, 440)
			ca, cb := loopbackConfig("a"), loopbackConfig("b")
			ca.Codecs, cb.Codecs = tt.offerer, tt.answerer
			a, b := newTestSession(t, ca), newTestSession(t, cb)
			offer, answer := exchange(t, a, b, media.SendRecv, media.SendRecv)
			for _, sdp := range [][]byte{offer, answer} {
				if !bytes.Contains(sdp, []byte("a=sendrecv")) || !bytes.Contains(sdp, []byte("UDP/TLS/RTP/SAVPF")) ||
					!bytes.Contains(sdp, []byte("a=candidate:")) || !bytes.Contains(sdp, []byte("a=fingerprint:")) {
					t.Fatalf("SDP lacks direction, profile, candidates or fingerprint:\n%s", sdp)
				}
			}
			if a.Codec() != tt.want || b.Codec() != tt.want {
				t.Fatalf("codecs %q and %q, want %q", a.Codec(), b.Codec(), tt.want)
			}
			if err := a.Start(aRig.port(t)); err != nil {
				t.Fatal(err)
			}
			if err := b.Start(bRig.port(t)); err != nil {
				t.Fatal(err)
			}
			waitClosed(t, "connection", a.Connected())
			waitClosed(t, "first packet at a", a.FirstPacket())
			waitClosed(t, "first packet at b", b.FirstPacket())
			aRig.listen(t, 300*time.Millisecond) // jitter buffers fill
			checkTone(t, "b", bRig.listen(t, time.Second), 1000)
			checkTone(t, "a", aRig.listen(t, time.Second), 440)

			q := a.Stats()
			if q.PacketsSent < 40 || q.PacketsReceived < 40 || q.BytesReceived == 0 {
				t.Errorf("a's figures after 1.6 s: %+v", q)
			}
			if q.LossPercent > 0 || q.MOS < 4 {
				t.Errorf("loopback call: loss %.1f %%, MOS %.2f", q.LossPercent, q.MOS)
			}
		})
	}
}

// Hold both ways by re-offer, directions as SIP sets them; after an
// inactive exchange, resuming brings the audio back (pion on its own would
// have stopped its transceiver).
func TestHoldAndResumeDirections(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time audio")
	}
	aRig, bRig := newAudioRig(t, 1000), newAudioRig(t, 440)
	a, b := newTestSession(t, loopbackConfig("a")), newTestSession(t, loopbackConfig("b"))
	exchange(t, a, b, media.SendRecv, media.SendRecv)
	if err := a.Start(aRig.port(t)); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(bRig.port(t)); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, "connection", b.Connected())
	settle := func() { aRig.listen(t, 300*time.Millisecond) }
	settle()

	steps := []struct {
		name          string
		from, to      *Session
		offer, want   media.Direction
		offerAttr     string
		answerAttr    string
		aHears, bHear bool
	}{
		{"a holds", a, b, media.SendOnly, media.SendRecv, "a=sendonly", "a=recvonly", false, true},
		{"both hold: b offers inactive", b, a, media.Inactive, media.SendOnly, "a=inactive", "a=inactive", false, false},
		{"b resumes, a still holds", b, a, media.SendRecv, media.SendOnly, "a=sendrecv", "a=sendonly", false, true},
		{"a resumes", a, b, media.SendRecv, media.SendRecv, "a=sendrecv", "a=sendrecv", true, true},
		{"b holds", b, a, media.SendOnly, media.SendRecv, "a=sendonly", "a=recvonly", true, false},
		{"b resumes", b, a, media.SendRecv, media.SendRecv, "a=sendrecv", "a=sendrecv", true, true},
	}
	for _, st := range steps {
		offer, answer := exchange(t, st.from, st.to, st.offer, st.want)
		if !strings.Contains(string(offer), st.offerAttr+"\r\n") {
			t.Fatalf("%s: offer lacks %s:\n%s", st.name, st.offerAttr, offer)
		}
		if !strings.Contains(string(answer), st.answerAttr+"\r\n") {
			t.Fatalf("%s: answer lacks %s:\n%s", st.name, st.answerAttr, answer)
		}
		settle()
		if st.aHears {
			checkTone(t, "a: "+st.name, aRig.listen(t, 500*time.Millisecond), 440)
		} else {
			checkSilent(t, "a: "+st.name, aRig.listen(t, 500*time.Millisecond))
		}
		if st.bHear {
			checkTone(t, "b: "+st.name, bRig.listen(t, 500*time.Millisecond), 1000)
		} else {
			checkSilent(t, "b: "+st.name, bRig.listen(t, 500*time.Millisecond))
		}
	}
}

func TestDTMFBothWays(t *testing.T) {
	for _, codec := range []string{"opus", "PCMU"} {
		t.Run(codec, func(t *testing.T) {
			aRig, bRig := newAudioRig(t, 1000), newAudioRig(t, 440)
			ca := loopbackConfig("a")
			ca.Codecs = []string{codec}
			a, b := newTestSession(t, ca), newTestSession(t, loopbackConfig("b"))
			exchange(t, a, b, media.SendRecv, media.SendRecv)
			if err := a.Start(aRig.port(t)); err != nil {
				t.Fatal(err)
			}
			if err := b.Start(bRig.port(t)); err != nil {
				t.Fatal(err)
			}
			waitClosed(t, "connection", a.Connected())
			waitClosed(t, "a's track bound", boundCh(a))
			waitClosed(t, "b's track bound", boundCh(b))
			for _, d := range "5#" {
				if err := a.SendDTMF(d, 100*time.Millisecond); err != nil {
					t.Fatalf("SendDTMF(%q): %v", d, err)
				}
				select {
				case got := <-b.DTMF():
					if got != d {
						t.Fatalf("b got %q, want %q", got, d)
					}
				case <-time.After(waitTimeout):
					t.Fatalf("b got no digit for %q", d)
				}
			}
			if err := b.SendDTMF('D', 60*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			select {
			case got := <-a.DTMF():
				if got != 'D' {
					t.Fatalf("a got %q, want D", got)
				}
			case <-time.After(waitTimeout):
				t.Fatal("a got no digit")
			}
			if q := b.Stats(); q.DTMFReceived != 2 || q.DTMFSent != 1 {
				t.Errorf("b counted %d received, %d sent; want 2 and 1", q.DTMFReceived, q.DTMFSent)
			}
			if err := a.SendDTMF('x', time.Second); !errors.Is(err, ErrBadDigit) {
				t.Errorf("SendDTMF('x') = %v, want ErrBadDigit", err)
			}
			a.SetDirection(media.RecvOnly)
			if err := a.SendDTMF('1', time.Second); !errors.Is(err, ErrNotSending) {
				t.Errorf("SendDTMF while receiving only = %v, want ErrNotSending", err)
			}
		})
	}
}

// boundCh closes once pion has bound s's track (DTLS is up, the codec and
// telephone-event are known).
func boundCh(s *Session) <-chan struct{} { return s.Sending() }

var (
	iceCredentials = regexp.MustCompile(`a=ice-(ufrag|pwd):(\S+)`)
	candidateAddr  = regexp.MustCompile(`(a=candidate:\S+ \d+ udp \d+ )127\.0\.0\.1 \d+`)
	fingerprintHex = regexp.MustCompile(`(a=fingerprint:sha-256 )([0-9A-F]{2})`)
)

// unreachable makes an SDP useless for ICE: other credentials and
// candidates on a port where nothing listens.
func unreachable(sdp []byte) []byte {
	sdp = iceCredentials.ReplaceAll(sdp, []byte("a=ice-$1:${2}x"))
	return candidateAddr.ReplaceAll(sdp, []byte("${1}127.0.0.1 9"))
}

// ICE that cannot connect fails both ends within the connect timeout, with
// ErrICEFailed.
func TestICEFailure(t *testing.T) {
	ca, cb := loopbackConfig("a"), loopbackConfig("b")
	ca.ConnectTimeout, cb.ConnectTimeout = 2*time.Second, 2*time.Second
	a, b := newTestSession(t, ca), newTestSession(t, cb)
	offer, err := a.Offer(ctxT(t), media.SendRecv)
	if err != nil {
		t.Fatal(err)
	}
	answer, _, err := b.Answer(ctxT(t), unreachable(offer), media.SendRecv)
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	if _, err := a.AcceptAnswer(unreachable(answer)); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Session{"a": a, "b": b} {
		waitClosed(t, name+" failing", s.Failed())
		if !errors.Is(s.Err(), ErrICEFailed) {
			t.Errorf("%s failed with %v, want ErrICEFailed", name, s.Err())
		}
	}
	if took := time.Since(started); took > 4*time.Second {
		t.Errorf("failure reported after %v, connect timeout 2 s", took)
	}
	if s := ErrICEFailed.Sentence("zh"); !strings.Contains(s, "网络") {
		t.Errorf("sentence %q", s)
	}
}

// A fingerprint in the SDP that is not the peer's certificate's: ICE
// connects, DTLS refuses, ErrDTLSFailed.
func TestDTLSFingerprintMismatch(t *testing.T) {
	ca, cb := loopbackConfig("a"), loopbackConfig("b")
	ca.ConnectTimeout, cb.ConnectTimeout = 4*time.Second, 4*time.Second
	a, b := newTestSession(t, ca), newTestSession(t, cb)
	offer, err := a.Offer(ctxT(t), media.SendRecv)
	if err != nil {
		t.Fatal(err)
	}
	answer, _, err := b.Answer(ctxT(t), offer, media.SendRecv)
	if err != nil {
		t.Fatal(err)
	}
	forged := fingerprintHex.ReplaceAllFunc(answer, func(m []byte) []byte {
		out := bytes.Clone(m)
		if out[len(out)-1] == '0' {
			out[len(out)-1] = '1'
		} else {
			out[len(out)-1] = '0'
		}
		return out
	})
	if bytes.Equal(forged, answer) {
		t.Fatalf("no sha-256 fingerprint to forge in:\n%s", answer)
	}
	if _, err := a.AcceptAnswer(forged); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, "a failing", a.Failed())
	if !errors.Is(a.Err(), ErrDTLSFailed) {
		t.Errorf("a failed with %v, want ErrDTLSFailed", a.Err())
	}
	select {
	case <-a.Connected():
		t.Error("a reports connected with a forged fingerprint")
	default:
	}
}

// A STUN server that never answers delays the SDP by the gather timeout at
// most: the offer goes out with host candidates.
func TestGatheringIsBounded(t *testing.T) {
	cfg := loopbackConfig("a")
	cfg.ICEServers = []ICEServer{{URLs: []string{"stun:127.0.0.1:9"}}}
	cfg.GatherTimeout = 400 * time.Millisecond
	a := newTestSession(t, cfg)
	started := time.Now()
	offer, err := a.Offer(ctxT(t), media.SendRecv)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(started); took > 2*time.Second {
		t.Errorf("Offer took %v with a 400 ms gather timeout", took)
	}
	if !bytes.Contains(offer, []byte("typ host")) {
		t.Errorf("offer has no host candidate:\n%s", offer)
	}
}

// A refused re-offer is rolled back: the peer's next offer is answered.
func TestRollbackAfterRefusedOffer(t *testing.T) {
	a, b := newTestSession(t, loopbackConfig("a")), newTestSession(t, loopbackConfig("b"))
	exchange(t, a, b, media.SendRecv, media.SendRecv)
	if _, err := a.Offer(ctxT(t), media.SendOnly); err != nil {
		t.Fatal(err)
	}
	a.Rollback()
	exchange(t, b, a, media.SendOnly, media.SendRecv)
	if a.Direction() != media.RecvOnly {
		t.Errorf("a's direction %v, want recvonly", a.Direction())
	}
}

// Re-offers keep ICE and DTLS: the o= version goes up only when the SDP
// changes (a session refresh repeats it), and the DTLS role offered again is
// actpass while answers keep the role agreed.
func TestReofferVersions(t *testing.T) {
	a, b := newTestSession(t, loopbackConfig("a")), newTestSession(t, loopbackConfig("b"))
	first, answer := exchange(t, a, b, media.SendRecv, media.SendRecv)
	refresh, err := a.Offer(ctxT(t), media.SendRecv)
	if err != nil {
		t.Fatal(err)
	}
	hold, err := a.Offer(ctxT(t), media.SendOnly)
	if err != nil {
		t.Fatal(err)
	}
	version := regexp.MustCompile(`(?m)^o=\S+ \d+ (\d+) `)
	v := func(sdp []byte) string { return string(version.FindSubmatch(sdp)[1]) }
	if v(refresh) != v(first) {
		t.Errorf("refresh changed the version: %s then %s", v(first), v(refresh))
	}
	if v(hold) == v(first) {
		t.Errorf("hold kept the version %s", v(hold))
	}
	if transportKey(hold) != transportKey(first) {
		t.Errorf("re-offer changed ICE/DTLS parameters")
	}
	if setupRole(hold) != "actpass" {
		t.Errorf("re-offer's setup %q, want actpass", setupRole(hold))
	}
	// b answers a re-offer in the role it took at first.
	again, _, err := b.Answer(ctxT(t), hold, media.RecvOnly)
	if err != nil {
		t.Fatal(err)
	}
	if setupRole(again) != setupRole(answer) || !bytes.Contains(again, []byte("a=recvonly")) {
		t.Errorf("re-answer: setup %q (first %q):\n%s", setupRole(again), setupRole(answer), again)
	}
}

// A gateway's offer with no BUNDLE group (rtpengine for a plain RTP
// caller) is answered, not rejected with port 0 as pion alone would.
func TestAnswerOfferWithoutBundleGroup(t *testing.T) {
	s := newTestSession(t, loopbackConfig("a"))
	offer := strings.Replace(rtpengineOffer, "a=sendonly", "a=sendrecv", 1)
	answer, remote, err := s.Answer(ctxT(t), []byte(offer), media.SendRecv)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(remote.Codecs, []string{"PCMU"}) || !remote.DTMF {
		t.Errorf("remote %+v", remote)
	}
	if bytes.Contains(answer, []byte("m=audio 0 ")) || !bytes.Contains(answer, []byte("c=IN IP4 127.0.0.1")) {
		t.Errorf("answer rejects the stream or has no default candidate:\n%s", answer)
	}
	if s.Codec() != "PCMU" {
		t.Errorf("codec %q", s.Codec())
	}
}

func TestOperationsAfterClose(t *testing.T) {
	a := newTestSession(t, loopbackConfig("a"))
	if err := a.Start(nil); err == nil {
		t.Error("Start(nil) accepted")
	}
	if err := a.SendDTMF('1', time.Second); !errors.Is(err, ErrNotNegotiated) {
		t.Errorf("SendDTMF before negotiation = %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}
	if _, err := a.Offer(ctxT(t), media.SendRecv); !errors.Is(err, ErrClosed) {
		t.Errorf("Offer after Close = %v, want ErrClosed", err)
	}
	if _, ok := <-a.DTMF(); ok {
		t.Error("DTMF channel open after Close")
	}
}

func TestConfigValidation(t *testing.T) {
	bad := []Config{
		{Codecs: []string{"G729"}},
		{PortMin: 5000, PortMax: 4000},
		{ICEServers: []ICEServer{{URLs: []string{"turn:turn.example.com"}}}},
		{ICEServers: []ICEServer{{URLs: []string{"http://stun.example.com"}}}},
		{ICEServers: []ICEServer{{}}},
	}
	for i, c := range bad {
		if _, err := NewSession(c); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("config %d: %v, want ErrInvalidConfig", i, err)
		}
	}
}
