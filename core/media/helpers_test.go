package media

import (
	"context"
	"fmt"
	"math"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
	"go.uber.org/goleak"

	"agentbar/audio"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// sine is an endless tone FrameSource (the virtual microphone).
type sine struct {
	rate      int
	freq, amp float64
	phase     float64
}

func (s *sine) Pull(pcm []int16) { s.phase = audio.FillSine(pcm, s.rate, s.freq, s.amp, s.phase) }

// ear records what a virtual speaker plays, on request.
type ear struct {
	mu   sync.Mutex
	want int
	got  []int16
	done chan []int16
}

func (e *ear) write(pcm []int16) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.done == nil {
		return
	}
	e.got = append(e.got, pcm...)
	if len(e.got) >= e.want {
		e.done <- e.got
		e.done, e.got = nil, nil
	}
}

// listen returns the next d of audio the speaker plays.
func (e *ear) listen(t *testing.T, d time.Duration) []int16 {
	t.Helper()
	done := make(chan []int16, 1)
	e.mu.Lock()
	e.want, e.got, e.done = int(d.Seconds()*8000), nil, done
	e.mu.Unlock()
	select {
	case pcm := <-done:
		return pcm
	case <-time.After(d + 10*time.Second):
		t.Fatal("speaker stalled")
		return nil
	}
}

// endpoint is one side of a call: a virtual pipeline at 8 kHz with a tone
// as microphone, a port, and a session.
type endpoint struct {
	pipe *audio.Pipeline
	port *audio.CallPort
	sess *Session
	ear  *ear
	mic  float64
}

const toneAmp = 0.3 // RMS -13.5 dBFS

func newEndpoint(t *testing.T, micFreq float64, cfg Config) *endpoint {
	t.Helper()
	e := &endpoint{ear: &ear{}, mic: micFreq}
	var err error
	e.pipe, err = audio.NewVirtualPipeline(audio.VirtualOptions{
		Rate:       8000,
		Microphone: &sine{rate: 8000, freq: micFreq, amp: toneAmp},
		Speaker:    e.ear.write,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.port, err = e.pipe.NewPort(8000)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LocalIP == nil {
		cfg.LocalIP = net.IPv4(127, 0, 0, 1)
	}
	e.sess, err = NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = e.sess.Close()
		_ = e.pipe.Close()
	})
	return e
}

func pcmuParams(remote *net.UDPAddr, dir Direction) Params {
	return Params{Remote: remote, PayloadType: 0, Codec: audio.PCMU{}, DTMFPayloadType: 101, Direction: dir}
}

// callPair connects two endpoints to each other, sendrecv.
func callPair(t *testing.T, cfg Config) (a, b *endpoint) {
	t.Helper()
	a = newEndpoint(t, 1000, cfg)
	b = newEndpoint(t, 700, cfg)
	if err := a.sess.Start(pcmuParams(b.sess.LocalAddr(), SendRecv), a.port); err != nil {
		t.Fatal(err)
	}
	if err := b.sess.Start(pcmuParams(a.sess.LocalAddr(), SendRecv), b.port); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*endpoint{a, b} {
		select {
		case <-e.sess.FirstPacket():
		case <-time.After(5 * time.Second):
			t.Fatal("no first packet")
		}
	}
	return a, b
}

// hears asserts that the endpoint's speaker plays freq within ±1 % at the
// sent level within 3 dB, and without gaps. The machine running the tests
// may be loaded (two cores, parallel builds); a stall there can starve one
// window of audio, so up to three windows are tried and one clean window
// passes.
func hears(t *testing.T, e *endpoint, freq float64) {
	t.Helper()
	var problems []string
	for range 3 {
		pcm := e.ear.listen(t, 400*time.Millisecond)
		problem := toneProblem(pcm, freq)
		if problem == "" {
			if len(problems) > 0 {
				t.Logf("clean window after: %v", problems)
			}
			return
		}
		problems = append(problems, problem)
	}
	t.Errorf("did not hear a clean %.0f Hz tone: %v", freq, problems)
}

func toneProblem(pcm []int16, freq float64) string {
	if f := audio.DominantFrequency(pcm, 8000); math.Abs(f-freq) > freq/100 {
		return fmt.Sprintf("heard %.1f Hz, want %.0f ± 1%%", f, freq)
	}
	want := audio.AmplitudeToDBFS(toneAmp) - 3.01
	if lvl := audio.RMSdBFS(pcm); math.Abs(lvl-want) > 3 {
		return fmt.Sprintf("heard %.1f dBFS, want %.1f ± 3 dB", lvl, want)
	}
	// A gap at the very start is the stream not having begun yet.
	if gaps := audio.FindGaps(pcm, 8000, -40, 15*time.Millisecond); len(gaps) > 0 && (len(gaps) > 1 || gaps[0].Start != 0) {
		return fmt.Sprintf("gaps in the tone: %v", gaps)
	}
	return ""
}

// silent asserts that the speaker plays nothing.
func silent(t *testing.T, e *endpoint) {
	t.Helper()
	pcm := e.ear.listen(t, 300*time.Millisecond)
	if lvl := audio.RMSdBFS(pcm); lvl > -60 {
		t.Errorf("heard %.1f dBFS (%.0f Hz), want silence", lvl, audio.DominantFrequency(pcm, 8000))
	}
}

// settle lets the audio path flush what was in flight before a change.
func settle(t *testing.T, e *endpoint) { e.ear.listen(t, 150*time.Millisecond) }

// rawPeer is a bare UDP socket speaking RTP by hand: for what a well-behaved
// Session would never send.
type rawPeer struct {
	conn *net.UDPConn
	t    *testing.T
}

func newRawPeer(t *testing.T) *rawPeer {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawPeer{conn: conn, t: t}
}

func (r *rawPeer) addr() *net.UDPAddr { return r.conn.LocalAddr().(*net.UDPAddr) }

func (r *rawPeer) send(to *net.UDPAddr, b []byte) {
	if _, err := r.conn.WriteToUDP(b, to); err != nil {
		r.t.Fatal(err)
	}
}

// rtpStream builds the packets of a PCMU tone.
type rtpStream struct {
	ssrc  uint32
	seq   uint16
	ts    uint32
	pt    uint8
	src   *sine
	pcm   []int16
	first bool
}

func newRTPStream(ssrc uint32, seq uint16, ts uint32, freq float64) *rtpStream {
	return &rtpStream{ssrc: ssrc, seq: seq, ts: ts, src: &sine{rate: 8000, freq: freq, amp: toneAmp}, pcm: make([]int16, 160), first: true}
}

func (s *rtpStream) next() []byte {
	s.src.Pull(s.pcm)
	payload := make([]byte, 160)
	_, _ = audio.PCMU{}.Encode(s.pcm, payload)
	p := rtp.Packet{Header: rtp.Header{Version: 2, Marker: s.first, PayloadType: s.pt, SequenceNumber: s.seq, Timestamp: s.ts, SSRC: s.ssrc}, Payload: payload}
	s.first = false
	s.seq++
	s.ts += 160
	b, _ := p.Marshal()
	return b
}

// pace calls fn every 20 ms until ctx ends: a sender with a real clock.
func pace(ctx context.Context, fn func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				fn()
			}
		}
	}()
	return done
}
