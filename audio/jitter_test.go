package audio

import (
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"
)

// jitterSim replays an arrival pattern against a JitterBuffer on a fake
// clock: the sender emits one 20 ms PCMU packet every 20 ms, each packet is
// delayed by delay(k), and the playback side pulls every 20 ms at a fixed
// phase. Pushes that arrive before a pull are delivered before it.
type jitterSim struct {
	t        *testing.T
	jb       *JitterBuffer
	now      time.Time
	start    time.Time
	seq      uint16
	ts       uint32
	sent     int
	pending  []simPacket
	out      []int16
	phase    time.Duration
	signal   func(k int) []int16 // the k-th frame of audio to send
	newSSRC  bool                // the next packet sent starts a new stream
	codec    Codec
	pullSize int
}

type simPacket struct {
	reset   bool // the producer calls Reset before pushing it (new SSRC)
	seq     uint16
	ts      uint32
	payload []byte
	arrival time.Time
}

func newJitterSim(t *testing.T, phase time.Duration, seq uint16, ts uint32) *jitterSim {
	s := &jitterSim{t: t, start: time.Unix(1_000_000, 0), seq: seq, ts: ts, phase: phase, codec: PCMU{}, pullSize: 160}
	s.now = s.start
	s.jb = NewJitterBuffer(s.codec, JitterBufferOptions{Clock: func() time.Time { return s.now }})
	tone := SineWave(8000, 1000, 0.3, 10*time.Second)
	s.signal = func(k int) []int16 { i := (k * 160) % (len(tone) - 160); return tone[i : i+160] }
	return s
}

// run sends n packets with per-packet extra delay and drop decisions, pulling
// throughout; it returns the audio pulled during this run.
func (s *jitterSim) run(n int, delay func(k int) time.Duration, drop func(k int) bool) []int16 {
	from := len(s.out)
	for range n {
		k := s.sent
		sendAt := s.start.Add(time.Duration(k) * FrameDuration)
		if drop == nil || !drop(k) {
			payload := make([]byte, 160)
			if _, err := s.codec.Encode(s.signal(k), payload); err != nil {
				s.t.Fatal(err)
			}
			s.pending = append(s.pending, simPacket{s.newSSRC, s.seq, s.ts, payload, sendAt.Add(5*time.Millisecond + delay(k))})
			s.newSSRC = false
		}
		s.seq++
		s.ts += 160
		s.sent++
		s.pullUntil(sendAt.Add(FrameDuration))
	}
	return s.out[from:]
}

// pullUntil performs every pull due before t, delivering arrivals first.
func (s *jitterSim) pullUntil(t time.Time) {
	for {
		pullAt := s.nextPull()
		if !pullAt.Before(t) {
			return
		}
		s.deliverUntil(pullAt)
		s.now = pullAt
		buf := make([]int16, s.pullSize)
		s.jb.Pull(buf)
		s.out = append(s.out, buf...)
	}
}

func (s *jitterSim) nextPull() time.Time {
	pulls := len(s.out) / s.pullSize
	return s.start.Add(s.phase + time.Duration(pulls)*time.Duration(s.pullSize)*time.Second/8000)
}

func (s *jitterSim) deliverUntil(t time.Time) {
	// Deliver in arrival order (that is how reordering happens).
	for {
		best := -1
		for i, p := range s.pending {
			if !p.arrival.After(t) && (best < 0 || p.arrival.Before(s.pending[best].arrival)) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		p := s.pending[best]
		s.pending = append(s.pending[:best], s.pending[best+1:]...)
		s.now = p.arrival
		if p.reset {
			s.jb.Reset()
		}
		s.jb.Push(p.seq, p.ts, p.payload, p.arrival)
	}
}

func noDelay(int) time.Duration { return 0 }

func TestJitterBufferZeroJitterKeepsOnePacket(t *testing.T) {
	for _, phase := range []time.Duration{500 * time.Microsecond, 7 * time.Millisecond, 19 * time.Millisecond} {
		t.Run(phase.String(), func(t *testing.T) {
			s := newJitterSim(t, phase, 1000, 12345)
			out := s.run(500, noDelay, nil)
			st := s.jb.Stats()
			if st.Delay != 20*time.Millisecond {
				t.Errorf("Delay = %v, want one packet (20ms)", st.Delay)
			}
			if st.Concealed != 0 || st.Lost != 0 || st.Late != 0 || st.Dropped != 0 || st.Inserted != 0 {
				t.Errorf("stats %+v, want a clean stream", st)
			}
			if st.Played < 498 {
				t.Errorf("played %d of 500", st.Played)
			}
			if st.Jitter > time.Millisecond/10 {
				t.Errorf("RFC 3550 jitter %v with none", st.Jitter)
			}
			if f := DominantFrequency(out[8000:], 8000); math.Abs(f-1000) > 10 {
				t.Errorf("played %.1f Hz", f)
			}
		})
	}
}

// 30 ms of jitter (delays spread uniformly over 0-60 ms) makes the delay
// grow; when the network calms down it shrinks back to one or two packets.
func TestJitterBufferAdapts(t *testing.T) {
	for _, pull := range []int{160, 80} {
		t.Run(strconv.Itoa(pull), func(t *testing.T) { testJitterBufferAdapts(t, pull) })
	}
}

func testJitterBufferAdapts(t *testing.T, pullSize int) {
	rng := rand.New(rand.NewPCG(7, 8))
	s := newJitterSim(t, 3*time.Millisecond, 40000, 0)
	s.pullSize = pullSize
	// Speech-like: 1.2 s talk, 0.4 s pause, so there are quiet frames to drop.
	tone := SineWave(8000, 1000, 0.3, 2*time.Second)
	quiet := make([]int16, 160)
	s.signal = func(k int) []int16 {
		if k%80 >= 60 {
			return quiet
		}
		i := (k * 160) % (len(tone) - 160)
		return tone[i : i+160]
	}
	s.run(250, noDelay, nil) // 5 s calm
	calm := s.jb.Stats()
	if calm.Delay > 20*time.Millisecond {
		t.Fatalf("calm delay %v", calm.Delay)
	}
	s.run(750, func(int) time.Duration { return time.Duration(rng.Int64N(int64(60 * time.Millisecond))) }, nil) // 15 s rough
	rough := s.jb.Stats()
	if rough.Delay < 40*time.Millisecond {
		t.Errorf("delay under 30 ms jitter = %v, want it to grow to ≥ 40 ms", rough.Delay)
	}
	if rough.Jitter < 10*time.Millisecond {
		t.Errorf("RFC 3550 jitter %v, want ≈ 20 ms", rough.Jitter)
	}
	// After adapting, few frames are concealed: measure over the last 10 s.
	before := rough.Concealed
	s.run(500, func(int) time.Duration { return time.Duration(rng.Int64N(int64(60 * time.Millisecond))) }, nil)
	if c := s.jb.Stats().Concealed - before; c > 25 {
		t.Errorf("%d of 500 frames concealed after adapting, want ≤ 5%%", c)
	}
	s.run(500, noDelay, nil) // 10 s calm again
	calmAgain := s.jb.Stats()
	if calmAgain.Delay > 40*time.Millisecond {
		t.Errorf("delay after calm = %v, want back to ≤ 40 ms", calmAgain.Delay)
	}
	if calmAgain.Dropped == 0 {
		t.Error("no frame dropped while shrinking")
	}
	t.Logf("calm %v → rough %v (jitter %v) → calm %v; stats %+v", calm.Delay, rough.Delay, rough.Jitter, calmAgain.Delay, calmAgain)
}

// Without pauses in the speech the buffer still shrinks, by cross-fading.
func TestJitterBufferShrinksWithoutPauses(t *testing.T) {
	s := newJitterSim(t, 10*time.Millisecond, 0, 0)
	// A burst of 100 ms late packets then nothing: the delay grows by waiting.
	s.run(100, func(k int) time.Duration {
		if k >= 50 && k < 55 {
			return 100 * time.Millisecond
		}
		return 0
	}, nil)
	grown := s.jb.Stats().Delay
	out := s.run(400, noDelay, nil)
	st := s.jb.Stats()
	if st.Delay > 20*time.Millisecond || st.Dropped == 0 {
		t.Errorf("grown to %v, then %v with %d drops; want back to 20ms", grown, st.Delay, st.Dropped)
	}
	if f := DominantFrequency(out[len(out)/2:], 8000); math.Abs(f-1000) > 10 {
		t.Errorf("tone after shrinking %.1f Hz", f)
	}
}

func TestJitterBufferStreamEvents(t *testing.T) {
	tests := []struct {
		name   string
		seq    uint16
		ts     uint32
		delay  func(k int) time.Duration
		drop   func(k int) bool
		check  func(t *testing.T, st JitterBufferStats)
		phase  time.Duration
		frames int
	}{
		{
			name: "sequence and timestamp wrap", seq: 65500, ts: math.MaxUint32 - 160*20,
			delay: noDelay,
			check: func(t *testing.T, st JitterBufferStats) {
				if st.Lost+st.Late+st.Resets+st.Concealed != 0 {
					t.Errorf("wrap caused trouble: %+v", st)
				}
			},
		},
		{
			name: "reordered pairs", seq: 10,
			// Every 10th packet is 25 ms late, so it arrives after the next one.
			delay: func(k int) time.Duration {
				if k%10 == 5 {
					return 25 * time.Millisecond
				}
				return 0
			},
			phase: 15 * time.Millisecond,
			check: func(t *testing.T, st JitterBufferStats) {
				if st.Played < 190 {
					t.Errorf("played %d of 200: %+v", st.Played, st)
				}
			},
		},
		{
			name: "10% loss", seq: 300,
			delay: noDelay,
			drop:  func(k int) bool { return k%10 == 3 },
			check: func(t *testing.T, st JitterBufferStats) {
				if st.Lost < 18 || st.Lost > 20 || st.Concealed < st.Lost {
					t.Errorf("lost %d concealed %d, want 19-20: %+v", st.Lost, st.Concealed, st)
				}
				if st.Late != 0 {
					t.Errorf("late %d", st.Late)
				}
			},
		},
		{
			name: "sender pauses 1 s (hold)", seq: 7,
			delay: noDelay,
			drop:  func(k int) bool { return k >= 80 && k < 130 },
			check: func(t *testing.T, st JitterBufferStats) {
				// The last packet's turn comes after the run ends.
				if st.Played != 149 {
					t.Errorf("played %d, want 149", st.Played)
				}
				if st.Concealed > pausePackets+1 {
					t.Errorf("concealed %d frames of a pause, want ≤ %d", st.Concealed, pausePackets+1)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newJitterSim(t, max(tt.phase, time.Millisecond), tt.seq, tt.ts)
			s.run(200, tt.delay, tt.drop)
			tt.check(t, s.jb.Stats())
		})
	}
}

func TestJitterBufferDuplicatesAndLate(t *testing.T) {
	now := time.Unix(0, 0)
	jb := NewJitterBuffer(PCMU{}, JitterBufferOptions{Clock: func() time.Time { return now }})
	frame := make([]byte, 160)
	pcm := make([]int16, 160)
	push := func(seq uint16) { jb.Push(seq, uint32(seq)*160, frame, now) }
	push(1)
	push(1) // duplicate while queued
	jb.Pull(pcm)
	push(1) // duplicate after playing
	push(3)
	jb.Pull(pcm) // 2 missing, 3 present: 2 lost
	push(2)      // late
	jb.Pull(pcm)
	st := jb.Stats()
	if st.Duplicate != 2 || st.Lost != 1 || st.Late != 1 || st.Played != 2 {
		t.Errorf("stats %+v, want 2 duplicates, 1 lost, 1 late, 2 played", st)
	}
}

// A new SSRC (Reset) starts over at whatever sequence number comes next,
// without waiting for the old one.
func TestJitterBufferReset(t *testing.T) {
	s := newJitterSim(t, 4*time.Millisecond, 100, 0)
	s.run(100, noDelay, nil)
	s.newSSRC = true
	s.seq, s.ts = 50000, 99999999
	out := s.run(100, noDelay, nil)
	st := s.jb.Stats()
	if st.Resets != 1 || st.Played < 198 || st.Concealed > 1 || st.Late != 0 {
		t.Errorf("after reset %+v", st)
	}
	if gaps := FindGaps(out, 8000, -40, 30*time.Millisecond); len(gaps) != 0 {
		t.Errorf("gaps after reset: %v", gaps)
	}
}

func TestJitterBufferPullSizes(t *testing.T) {
	for _, size := range []int{80, 160, 237, 480} {
		s := newJitterSim(t, 2*time.Millisecond, 0, 0)
		s.pullSize = size
		out := s.run(200, noDelay, nil)
		if f := DominantFrequency(out[len(out)/2:], 8000); math.Abs(f-1000) > 10 {
			t.Errorf("pull size %d: %.1f Hz", size, f)
		}
		if st := s.jb.Stats(); st.Lost != 0 || st.Late != 0 {
			t.Errorf("pull size %d: %+v", size, st)
		}
	}
}

func TestJitterBufferRealTimeContract(t *testing.T) {
	now := time.Unix(0, 0)
	jb := NewJitterBuffer(PCMU{}, JitterBufferOptions{Clock: func() time.Time { return now }})
	payload := make([]byte, 160)
	pcm := make([]int16, 160)
	var seq uint16
	allocs := testing.AllocsPerRun(500, func() {
		now = now.Add(FrameDuration)
		jb.Push(seq, uint32(seq)*160, payload, now)
		seq++
		if seq%7 == 0 {
			seq++ // some loss
		}
		jb.Pull(pcm)
	})
	if allocs != 0 {
		t.Errorf("Push+Pull allocate %.1f times", allocs)
	}
}

// Real goroutines and the real clock: the hand-over is race-free.
func TestJitterBufferConcurrent(t *testing.T) {
	jb := NewJitterBuffer(PCMA{}, JitterBufferOptions{})
	payload := make([]byte, 160)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 2000 {
			jb.Push(uint16(i), uint32(i*160), payload, time.Now())
			if i == 1000 {
				jb.Reset()
			}
		}
	}()
	go func() {
		defer wg.Done()
		pcm := make([]int16, 160)
		for {
			select {
			case <-stop:
				return
			default:
				jb.Pull(pcm)
				_ = jb.Stats()
			}
		}
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for jb.Stats().Pushed < 2000 {
			select {
			case <-time.After(time.Millisecond):
			case <-stop:
				return
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("producer did not finish")
	}
	close(stop)
	wg.Wait()
}

func FuzzJitterBufferPush(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 0, 3, 255, 255, 0, 0}, uint16(100))
	f.Add([]byte{9, 9, 9, 9, 1, 0, 200, 17}, uint16(320))
	f.Fuzz(func(t *testing.T, ops []byte, pullSize uint16) {
		now := time.Unix(0, 0)
		jb := NewJitterBuffer(PCMU{}, JitterBufferOptions{Clock: func() time.Time { return now }})
		size := int(pullSize%2000) + 1
		pcm := make([]int16, size+8)
		for i := 0; i+1 < len(ops); i += 2 {
			op := ops[i]
			seq := uint16(ops[i])<<8 | uint16(ops[i+1])
			ts := uint32(seq)*160 + uint32(op)*7919
			now = now.Add(time.Duration(op) * time.Millisecond)
			switch op % 5 {
			case 0:
				jb.Reset()
			case 1, 2:
				jb.Push(seq, ts, ops[i:], now)
			default:
				for j := range pcm {
					pcm[j] = 0x5555
				}
				jb.Pull(pcm[:size])
				for _, v := range pcm[size:] {
					if v != 0x5555 {
						t.Fatal("Pull wrote past the slice it was given")
					}
				}
			}
		}
	})
}

func BenchmarkJitterBuffer(b *testing.B) {
	payload := make([]byte, 160)
	b.Run("Push", func(b *testing.B) {
		jb := NewJitterBuffer(PCMU{}, JitterBufferOptions{})
		pcm := make([]int16, 160)
		now := time.Now()
		var seq uint16
		for b.Loop() {
			jb.Push(seq, uint32(seq)*160, payload, now)
			seq++
			if seq%32 == 0 {
				jb.Pull(pcm) // keep the queue from filling
				jb.queue.tail.Store(jb.queue.head.Load())
			}
		}
	})
	b.Run("PushPull", func(b *testing.B) {
		now := time.Unix(0, 0)
		jb := NewJitterBuffer(PCMU{}, JitterBufferOptions{Clock: func() time.Time { return now }})
		pcm := make([]int16, 160)
		var seq uint16
		for b.Loop() {
			now = now.Add(FrameDuration)
			jb.Push(seq, uint32(seq)*160, payload, now)
			seq++
			jb.Pull(pcm)
		}
	})
}

// A burst at the stream's start is not kept as delay: playout starts with
// the newest packet.
func TestJitterBufferStartsAtNewest(t *testing.T) {
	now := time.Unix(0, 0)
	jb := NewJitterBuffer(PCMU{}, JitterBufferOptions{Clock: func() time.Time { return now }})
	frame := make([]byte, 160)
	for seq := range uint16(4) {
		jb.Push(seq, uint32(seq)*160, frame, now)
	}
	pcm := make([]int16, 160)
	jb.Pull(pcm)
	st := jb.Stats()
	if st.Played != 1 || st.Dropped != 3 {
		t.Errorf("after a start-up burst: %+v", st)
	}
}
