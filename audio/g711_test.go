package audio

import (
	"errors"
	"math"
	"testing"
	"time"
)

// Known values from the ITU-T G.711 tables (expressed on a 16-bit scale:
// µ-law decodes to ±8031·4, A-law to ±4032·8), and the encodings of zero.
func TestG711KnownValues(t *testing.T) {
	tests := []struct {
		name   string
		codec  Codec
		code   byte
		linear int16
	}{
		{"ulaw 0xFF is +0", PCMU{}, 0xFF, 0},
		{"ulaw 0x7F is -0", PCMU{}, 0x7F, 0},
		{"ulaw 0x80 is max", PCMU{}, 0x80, 32124},
		{"ulaw 0x00 is min", PCMU{}, 0x00, -32124},
		{"ulaw 0xFE is smallest positive step", PCMU{}, 0xFE, 8},
		{"ulaw 0xEF segment 1 start", PCMU{}, 0xEF, 132},
		{"alaw 0xD5 is smallest positive", PCMA{}, 0xD5, 8},
		{"alaw 0x55 is smallest negative", PCMA{}, 0x55, -8},
		{"alaw 0xAA is max", PCMA{}, 0xAA, 32256},
		{"alaw 0x2A is min", PCMA{}, 0x2A, -32256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out [1]int16
			n, err := tt.codec.Decode([]byte{tt.code}, out[:])
			if err != nil || n != 1 {
				t.Fatalf("Decode: n=%d err=%v", n, err)
			}
			if out[0] != tt.linear {
				t.Errorf("Decode(0x%02X) = %d, want %d", tt.code, out[0], tt.linear)
			}
		})
	}
	encodes := []struct {
		codec Codec
		in    int16
		want  byte
	}{
		{PCMU{}, 0, 0xFF},
		{PCMU{}, 32767, 0x80},
		{PCMU{}, -32768, 0x00},
		{PCMA{}, 0, 0xD5},
		{PCMA{}, 32767, 0xAA},
		{PCMA{}, -32768, 0x2A},
		{PCMA{}, -1, 0x55},
	}
	for _, tt := range encodes {
		var out [1]byte
		if _, err := tt.codec.Encode([]int16{tt.in}, out[:]); err != nil {
			t.Fatal(err)
		}
		if out[0] != tt.want {
			t.Errorf("%s Encode(%d) = 0x%02X, want 0x%02X", tt.codec.Name(), tt.in, out[0], tt.want)
		}
	}
}

// The tables must agree with the reference algorithm for every 16-bit input,
// and every code must survive decode → encode unchanged (except µ-law's
// negative zero, which encodes back as positive zero).
func TestG711TablesMatchReference(t *testing.T) {
	for _, tt := range []struct {
		codec  Codec
		encode func(int) byte
		decode func(byte) int
	}{
		{PCMU{}, linearToULaw, uLawToLinear},
		{PCMA{}, linearToALaw, aLawToLinear},
	} {
		t.Run(tt.codec.Name(), func(t *testing.T) {
			pcm := make([]int16, 65536)
			for i := range pcm {
				pcm[i] = int16(i - 32768)
			}
			enc := make([]byte, len(pcm))
			if _, err := tt.codec.Encode(pcm, enc); err != nil {
				t.Fatal(err)
			}
			for i, s := range pcm {
				if want := tt.encode(int(s)); enc[i] != want {
					t.Fatalf("Encode(%d) = 0x%02X, reference 0x%02X", s, enc[i], want)
				}
			}
			codes := make([]byte, 256)
			for i := range codes {
				codes[i] = byte(i)
			}
			dec := make([]int16, 256)
			if _, err := tt.codec.Decode(codes, dec); err != nil {
				t.Fatal(err)
			}
			again := make([]byte, 256)
			if _, err := tt.codec.Encode(dec, again); err != nil {
				t.Fatal(err)
			}
			for i := range codes {
				if int(dec[i]) != tt.decode(byte(i)) {
					t.Fatalf("Decode(0x%02X) = %d, reference %d", i, dec[i], tt.decode(byte(i)))
				}
				if again[i] != codes[i] && !(tt.codec.Name() == "PCMU" && codes[i] == 0x7F) {
					t.Errorf("code 0x%02X decodes to %d which encodes to 0x%02X", i, dec[i], again[i])
				}
			}
		})
	}
}

// G.711 is logarithmic: the round-trip error stays within a few percent of
// the sample for everything above the smallest segments, and the
// signal-to-quantisation-noise ratio of a speech-level sine is above 35 dB.
func TestG711RoundTripSNR(t *testing.T) {
	for _, c := range []Codec{PCMU{}, PCMA{}} {
		t.Run(c.Name(), func(t *testing.T) {
			in := SineWave(8000, 1000, 0.3, 200*time.Millisecond)
			enc := make([]byte, len(in))
			out := make([]int16, len(in))
			if _, err := c.Encode(in, enc); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Decode(enc, out); err != nil {
				t.Fatal(err)
			}
			var sig, noise float64
			for i := range in {
				d := float64(in[i]) - float64(out[i])
				sig += float64(in[i]) * float64(in[i])
				noise += d * d
			}
			snr := 10 * math.Log10(sig/noise)
			if snr < 35 {
				t.Errorf("SNR %.1f dB, want > 35 dB", snr)
			}
			for i := range in {
				if abs := math.Abs(float64(in[i])); abs > 1024 && math.Abs(float64(in[i])-float64(out[i])) > abs*0.07 {
					t.Fatalf("sample %d: %d → %d, error above 7%%", i, in[i], out[i])
				}
			}
		})
	}
}

func TestG711ShortBuffer(t *testing.T) {
	for _, c := range []Codec{PCMU{}, PCMA{}} {
		if _, err := c.Encode(make([]int16, 160), make([]byte, 159)); !errors.Is(err, ErrShortBuffer) {
			t.Errorf("%s Encode into short dst: %v", c.Name(), err)
		}
		if _, err := c.Decode(make([]byte, 160), make([]int16, 10)); !errors.Is(err, ErrShortBuffer) {
			t.Errorf("%s Decode into short dst: %v", c.Name(), err)
		}
	}
}

func TestG711DoesNotAllocate(t *testing.T) {
	pcm := SineWave(8000, 440, 0.5, FrameDuration)
	buf := make([]byte, len(pcm))
	for _, c := range []Codec{PCMU{}, PCMA{}} {
		allocs := testing.AllocsPerRun(100, func() {
			_, _ = c.Encode(pcm, buf)
			_, _ = c.Decode(buf, pcm)
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per frame", c.Name(), allocs)
		}
	}
}

func TestCodecByName(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{"PCMU", "PCMU", nil},
		{"pcmu", "PCMU", nil},
		{"PcMa", "PCMA", nil},
		{"opus", "", ErrUnknownCodec},
		{"", "", ErrUnknownCodec},
	}
	for _, tt := range tests {
		c, err := CodecByName(tt.in)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("CodecByName(%q) err = %v, want %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && (c.Name() != tt.want || c.ClockRate() != 8000 || c.SampleRate() != 8000) {
			t.Errorf("CodecByName(%q) = %s/%d/%d", tt.in, c.Name(), c.ClockRate(), c.SampleRate())
		}
	}
}

func BenchmarkG711(b *testing.B) {
	pcm := SineWave(8000, 440, 0.5, FrameDuration)
	buf := make([]byte, len(pcm))
	for _, c := range []Codec{PCMU{}, PCMA{}} {
		b.Run(c.Name()+"/Encode", func(b *testing.B) {
			b.SetBytes(int64(2 * len(pcm)))
			for b.Loop() {
				_, _ = c.Encode(pcm, buf)
			}
		})
		b.Run(c.Name()+"/Decode", func(b *testing.B) {
			b.SetBytes(int64(2 * len(pcm)))
			for b.Loop() {
				_, _ = c.Decode(buf, pcm)
			}
		})
	}
}
