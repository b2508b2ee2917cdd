package media

import (
	"math"
	"net"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"agentbar/audio"
)

// Client-added latency, measured through real (null-backend) devices:
//
//	A's device callback ──capture──► A's session ──UDP──► relay ──UDP──► B's session ──► B's device callback
//	        t0 (onset captured)                    t1 (on the wire)                  t2 (in the playback buffer)
//
// A tone starts at the first sample of a capture period, so it was captured
// one period before the callback that hands it over: t0 is that callback's
// time minus the period. The tone cadence (51 periods) makes onsets fall
// alternately at the start and in the middle of a 20 ms packet. The relay, a bare UDP socket, timestamps the
// first packet whose payload is loud (t1) and forwards it. B's playback tap
// timestamps the first loud output frame (t2) as the callback fills it.
// capture-to-wire = t1 - t0 and wire-to-playback = t2 - t1, at zero jitter.
type latencyRig struct {
	a, b        *audio.Pipeline
	sa, sb      *Session
	relay       *net.UDPConn
	onsets      chan time.Time
	wire        chan time.Time
	played      chan time.Time
	relayDone   chan struct{}
	frameOfTone atomic.Int64
}

const (
	latencyRate  = 48000
	toneOnChunks = 20 // device periods of tone
	tonePeriod   = 51 // device periods between onsets
)

func newLatencyRig(t testing.TB) *latencyRig {
	if os.Getenv(audio.BackendEnv) == "" {
		t.Setenv(audio.BackendEnv, "null")
	}
	r := &latencyRig{
		onsets:    make(chan time.Time, 256),
		wire:      make(chan time.Time, 256),
		played:    make(chan time.Time, 256),
		relayDone: make(chan struct{}),
	}
	tone := &sine{rate: latencyRate, freq: 1000, amp: 0.3}
	frame := int64(0)
	var err error
	r.a, err = audio.NewPipeline(audio.Options{
		Backend:    audio.BackendNull,
		SampleRate: latencyRate,
		// REAL-TIME: no allocation; a full channel drops the sample.
		CaptureTap: func(pcm []int16) {
			phase := frame % tonePeriod
			frame++
			if phase >= toneOnChunks {
				clear(pcm)
				return
			}
			tone.Pull(pcm)
			if phase == 0 {
				period := time.Duration(len(pcm)) * time.Second / latencyRate
				select {
				case r.onsets <- time.Now().Add(-period):
				default:
				}
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	loud := false
	r.b, err = audio.NewPipeline(audio.Options{
		Backend:    audio.BackendNull,
		SampleRate: latencyRate,
		PlaybackTap: func(pcm []int16) {
			now := audio.PeakdBFS(pcm) > -30
			if now && !loud {
				select {
				case r.played <- time.Now():
				default:
				}
			}
			loud = now
		},
	})
	if err != nil {
		r.a.Close()
		t.Fatal(err)
	}
	lo := net.IPv4(127, 0, 0, 1)
	r.relay, err = net.ListenUDP("udp4", &net.UDPAddr{IP: lo})
	if err != nil {
		t.Fatal(err)
	}
	if r.sa, err = NewSession(Config{LocalIP: lo}); err != nil {
		t.Fatal(err)
	}
	if r.sb, err = NewSession(Config{LocalIP: lo}); err != nil {
		t.Fatal(err)
	}
	pa, _ := r.a.NewPort(8000)
	pb, _ := r.b.NewPort(8000)
	if err := r.sa.Start(pcmuParams(r.relay.LocalAddr().(*net.UDPAddr), SendOnly), pa); err != nil {
		t.Fatal(err)
	}
	if err := r.sb.Start(pcmuParams(r.sa.LocalAddr(), RecvOnly), pb); err != nil {
		t.Fatal(err)
	}
	go r.forward(r.sb.LocalAddr())
	return r
}

// forward relays A's packets to B, noting when a tone starts on the wire.
func (r *latencyRig) forward(to *net.UDPAddr) {
	defer close(r.relayDone)
	buf := make([]byte, 2048)
	pcm := make([]int16, 160)
	loud := false
	for {
		n, _, err := r.relay.ReadFromUDP(buf)
		if err != nil {
			return
		}
		at := time.Now()
		if n == 12+160 {
			_, _ = audio.PCMU{}.Decode(buf[12:n], pcm)
			now := audio.PeakdBFS(pcm) > -30
			if now && !loud {
				select {
				case r.wire <- at:
				default:
				}
			}
			loud = now
		}
		_, _ = r.relay.WriteToUDP(buf[:n], to)
	}
}

func (r *latencyRig) close() {
	r.sa.Close()
	r.sb.Close()
	r.relay.Close()
	<-r.relayDone
	r.a.Close()
	r.b.Close()
}

// measure collects n onsets and returns capture-to-wire and
// wire-to-playback delays. Each onset is matched with the first wire event
// after it and the first playback event after that, so a spurious event
// (a start-up click) cannot shift the pairing.
func (r *latencyRig) measure(t testing.TB, n int) (toWire, toEar []time.Duration) {
	next := func(ch chan time.Time, what string, notBefore time.Time) time.Time {
		for {
			select {
			case at := <-ch:
				if !at.Before(notBefore) {
					return at
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("no %s event", what)
				return time.Time{}
			}
		}
	}
	// Skip the first onset: devices and jitter buffer are starting.
	t0 := next(r.onsets, "onset", time.Time{})
	next(r.played, "playback", next(r.wire, "wire", t0))
	for range n {
		t0 := next(r.onsets, "onset", time.Time{})
		t1 := next(r.wire, "wire", t0)
		t2 := next(r.played, "playback", t1)
		toWire = append(toWire, t1.Sub(t0))
		toEar = append(toEar, t2.Sub(t1))
	}
	return toWire, toEar
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkLatency reports the client-added latency in ms at the median
// (each iteration is one tone onset, about half a second of real time):
//
//	go test ./core/media -run XXX -bench Latency -benchtime 20x
func BenchmarkLatency(b *testing.B) {
	r := newLatencyRig(b)
	defer r.close()
	b.ResetTimer()
	toWire, toEar := r.measure(b, b.N)
	b.StopTimer()
	total := make([]time.Duration, len(toWire))
	for i := range total {
		total[i] = toWire[i] + toEar[i]
	}
	b.ReportMetric(ms(median(toWire)), "capture-to-wire-ms")
	b.ReportMetric(ms(median(toEar)), "wire-to-playback-ms")
	b.ReportMetric(ms(median(total)), "total-ms")
	b.ReportMetric(0, "ns/op")
}

// TestLatencyBudget keeps the design honest: at zero jitter the client adds
// at most 40 ms at the median (20 ms of it is the packet itself being
// filled). The bound has room for a loaded machine, not for a design that
// buffers an extra packet anywhere.
//
// It needs a machine that is not saturated, so it runs only with
// AGENTBAR_LATENCY_IT=1 (make test sets it on a quiet runner).
func TestLatencyBudget(t *testing.T) {
	if os.Getenv("AGENTBAR_LATENCY_IT") != "1" {
		t.Skip("real-time latency budget: set AGENTBAR_LATENCY_IT=1 on an idle machine")
	}
	r := newLatencyRig(t)
	defer r.close()
	toWire, toEar := r.measure(t, 8)
	total := make([]time.Duration, len(toWire))
	for i := range total {
		total[i] = toWire[i] + toEar[i]
	}
	t.Logf("capture-to-wire %v, wire-to-playback %v, total %v (medians of %d)", median(toWire), median(toEar), median(total), len(total))
	t.Logf("to wire %v\nto ear %v\njitter buffer %+v", toWire, toEar, r.sb.jb.Load().Stats())
	if m := median(toWire); m < 9*time.Millisecond || m > 25*time.Millisecond {
		t.Errorf("capture-to-wire median %v, want 10-20 ms of packetisation plus a little", m)
	}
	if m := median(total); m > 45*time.Millisecond || math.IsNaN(ms(m)) {
		t.Errorf("client-added latency median %v, want ≤ 40 ms (45 with slack)", m)
	}
}
