package audio

import (
	"errors"
	"math"
	"testing"
	"time"
)

// opusRoundTrip encodes a sine frame by frame, decodes it, and returns what
// came out (the codec's look-ahead delays it by a few ms).
func opusRoundTrip(t testing.TB, o *Opus, freq float64, d time.Duration) []int16 {
	t.Helper()
	frame, err := SamplesPerFrame(o.SampleRate())
	if err != nil {
		t.Fatal(err)
	}
	in := SineWave(o.SampleRate(), freq, 0.5, d)
	packet := make([]byte, 1500)
	out := make([]int16, 0, len(in))
	dec := make([]int16, frame*6)
	for i := 0; i+frame <= len(in); i += frame {
		n, err := o.Encode(in[i:i+frame], packet)
		if err != nil {
			t.Fatalf("Encode frame %d: %v", i/frame, err)
		}
		m, err := o.Decode(packet[:n], dec)
		if err != nil {
			t.Fatalf("Decode frame %d: %v", i/frame, err)
		}
		if m != frame {
			t.Fatalf("Decode gave %d samples, want %d", m, frame)
		}
		out = append(out, dec[:m]...)
	}
	return out
}

func TestOpusRoundTripKeepsPitchAndLevel(t *testing.T) {
	tests := []struct {
		rate int
		freq float64
	}{
		{48000, 1000},
		{48000, 440},
		{48000, 3000},
		{16000, 1000},
		{8000, 440},
	}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			o, err := NewOpus(OpusOptions{SampleRate: tt.rate})
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			out := opusRoundTrip(t, o, tt.freq, time.Second)
			steady := out[len(out)/4:] // past the codec's start-up
			got := DominantFrequency(steady, tt.rate)
			if math.Abs(got-tt.freq) > tt.freq*0.01 {
				t.Errorf("%d Hz at %d Hz: decoded pitch %.1f Hz", int(tt.freq), tt.rate, got)
			}
			// 0.5 full scale is -9 dBFS peak, -12 dBFS RMS.
			if level := RMSdBFS(steady); level < -15 || level > -9 {
				t.Errorf("decoded level %.1f dBFS, want about -12", level)
			}
		})
	}
}

func TestOpusIdentity(t *testing.T) {
	o, err := NewOpus(OpusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if o.Name() != "opus" || o.ClockRate() != 48000 || o.SampleRate() != 48000 {
		t.Errorf("name %q clock %d rate %d", o.Name(), o.ClockRate(), o.SampleRate())
	}
	o16, err := NewOpus(OpusOptions{SampleRate: 16000})
	if err != nil {
		t.Fatal(err)
	}
	defer o16.Close()
	if o16.ClockRate() != 48000 || o16.SampleRate() != 16000 {
		t.Errorf("16 kHz Opus: clock %d rate %d; the RTP clock must stay 48 kHz", o16.ClockRate(), o16.SampleRate())
	}
}

func TestOpusRejectsBadRates(t *testing.T) {
	for _, rate := range []int{-1, 11025, 44100, 96000} {
		if _, err := NewOpus(OpusOptions{SampleRate: rate}); !errors.Is(err, ErrBadRate) {
			t.Errorf("NewOpus(%d Hz) = %v, want ErrBadRate", rate, err)
		}
	}
}

// A lost packet is rebuilt from the next packet's in-band FEC: the frame
// keeps the tone instead of the silence or fade a plain concealment gives
// after a few losses.
func TestOpusInBandFECRecoversALostFrame(t *testing.T) {
	o, err := NewOpus(OpusOptions{ExpectedLossPercent: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	const frame = 960
	in := SineWave(48000, 700, 0.5, time.Second)
	packets := make([][]byte, 0, 50)
	buf := make([]byte, 1500)
	for i := 0; i+frame <= len(in); i += frame {
		n, err := o.Encode(in[i:i+frame], buf)
		if err != nil {
			t.Fatal(err)
		}
		packets = append(packets, append([]byte(nil), buf[:n]...))
	}
	dec := make([]int16, frame)
	const lost = 30
	for i, p := range packets {
		switch i {
		case lost:
			continue
		case lost + 1:
			n, err := o.DecodeFEC(p, dec)
			if err != nil || n != frame {
				t.Fatalf("DecodeFEC: n=%d err=%v", n, err)
			}
			if got := DominantFrequency(dec, 48000); math.Abs(got-700) > 15 {
				t.Errorf("frame rebuilt from FEC has pitch %.1f Hz, want 700", got)
			}
			if level := RMSdBFS(dec); level < -20 {
				t.Errorf("frame rebuilt from FEC is at %.1f dBFS: nearly silent", level)
			}
		}
		if _, err := o.Decode(p, dec); err != nil {
			t.Fatalf("Decode %d: %v", i, err)
		}
	}
}

func TestOpusConcealsWithEmptyPayload(t *testing.T) {
	o, err := NewOpus(OpusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	opusRoundTrip(t, o, 500, 200*time.Millisecond)
	dec := make([]int16, 960)
	n, err := o.Decode(nil, dec)
	if err != nil || n != 960 {
		t.Fatalf("concealment: n=%d err=%v", n, err)
	}
}

func TestOpusPacketDuration(t *testing.T) {
	o, err := NewOpus(OpusOptions{SampleRate: 16000})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	pkt := make([]byte, 1500)
	n, err := o.Encode(make([]int16, 320), pkt)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ rate, want int }{{48000, 960}, {16000, 320}, {8000, 160}} {
		got, err := OpusPacketDuration(pkt[:n], tt.rate)
		if err != nil || got != tt.want {
			t.Errorf("OpusPacketDuration at %d Hz = %d, %v; want %d", tt.rate, got, err, tt.want)
		}
	}
	if _, err := OpusPacketDuration(nil, 48000); !errors.Is(err, ErrOpus) {
		t.Errorf("empty packet: %v, want ErrOpus", err)
	}
}

func TestOpusErrors(t *testing.T) {
	o, err := NewOpus(OpusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Encode(make([]int16, 123), make([]byte, 100)); !errors.Is(err, ErrOpus) {
		t.Errorf("Encode of a frame of no Opus size: %v, want ErrOpus", err)
	}
	if _, err := o.Encode(make([]int16, 960), nil); !errors.Is(err, ErrShortBuffer) {
		t.Errorf("Encode into nothing: %v, want ErrShortBuffer", err)
	}
	if _, err := o.Decode([]byte{0xFC, 1, 2}, nil); !errors.Is(err, ErrShortBuffer) {
		t.Errorf("Decode into nothing: %v, want ErrShortBuffer", err)
	}
	o.Close()
	o.Close() // twice is fine
	if _, err := o.Encode(make([]int16, 960), make([]byte, 100)); !errors.Is(err, ErrClosed) {
		t.Errorf("Encode after Close: %v, want ErrClosed", err)
	}
	if _, err := o.Decode([]byte{0xFC}, make([]int16, 960)); !errors.Is(err, ErrClosed) {
		t.Errorf("Decode after Close: %v, want ErrClosed", err)
	}
}

// The send path and the jitter buffer call the codec every 20 ms: no garbage.
func TestOpusDoesNotAllocate(t *testing.T) {
	o, err := NewOpus(OpusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	pcm := SineWave(48000, 1000, 0.3, 20*time.Millisecond)
	pkt := make([]byte, 1500)
	dec := make([]int16, 5760)
	allocs := testing.AllocsPerRun(50, func() {
		n, _ := o.Encode(pcm, pkt)
		o.Decode(pkt[:n], dec)
	})
	if allocs != 0 {
		t.Errorf("Encode+Decode allocate %.1f times per frame", allocs)
	}
}

// The jitter buffer plays Opus like G.711: what goes in comes out at pitch.
func TestOpusThroughJitterBuffer(t *testing.T) {
	enc, err := NewOpus(OpusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	dec, err := NewOpus(OpusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	now := time.Unix(1000, 0)
	jb := NewJitterBuffer(dec, JitterBufferOptions{Clock: func() time.Time { return now }})
	in := SineWave(48000, 1200, 0.5, time.Second)
	pkt := make([]byte, 1500)
	var out []int16
	pull := make([]int16, 480) // 10 ms, as the pipeline pulls
	for i, seq := 0, uint16(100); i+960 <= len(in); i, seq = i+960, seq+1 {
		n, err := enc.Encode(in[i:i+960], pkt)
		if err != nil {
			t.Fatal(err)
		}
		jb.Push(seq, uint32(i), pkt[:n], now)
		for range 2 {
			jb.Pull(pull)
			out = append(out, pull...)
			now = now.Add(10 * time.Millisecond)
		}
	}
	if got := DominantFrequency(out[len(out)/2:], 48000); math.Abs(got-1200) > 12 {
		t.Errorf("through the jitter buffer: %.1f Hz, want 1200", got)
	}
}

func FuzzOpusDecode(f *testing.F) {
	o, err := NewOpus(OpusOptions{})
	if err != nil {
		f.Fatal(err)
	}
	defer o.Close()
	pkt := make([]byte, 1500)
	n, err := o.Encode(SineWave(48000, 1000, 0.4, 20*time.Millisecond), pkt)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(append([]byte(nil), pkt[:n]...))
	f.Add([]byte{0xFC, 0xFF, 0xFE})
	f.Add([]byte{0x03, 0x83, 0x01})
	dec := make([]int16, 5760)
	f.Fuzz(func(t *testing.T, payload []byte) {
		if len(payload) == 0 {
			return
		}
		n, err := o.Decode(payload, dec)
		if err == nil && (n <= 0 || n > len(dec)) {
			t.Fatalf("Decode accepted %x and gave %d samples", payload, n)
		}
		if err != nil && !errors.Is(err, ErrOpus) && !errors.Is(err, ErrShortBuffer) {
			t.Fatalf("Decode error %v is neither ErrOpus nor ErrShortBuffer", err)
		}
		if d, err := OpusPacketDuration(payload, 48000); err == nil && d > 5760 {
			t.Fatalf("packet of %d samples, above the 120 ms Opus allows", d)
		}
	})
}

func BenchmarkOpus(b *testing.B) {
	o, err := NewOpus(OpusOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer o.Close()
	pcm := SineWave(48000, 1000, 0.3, 20*time.Millisecond)
	pkt := make([]byte, 1500)
	dec := make([]int16, 5760)
	b.Run("encode-20ms", func(b *testing.B) {
		for b.Loop() {
			o.Encode(pcm, pkt)
		}
	})
	n, _ := o.Encode(pcm, pkt)
	b.Run("decode-20ms", func(b *testing.B) {
		for b.Loop() {
			o.Decode(pkt[:n], dec)
		}
	})
}
