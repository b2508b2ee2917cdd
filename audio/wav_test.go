package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestWAVRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		format WAVFormat
	}{
		{"mono 8k", WAVFormat{8000, 1}},
		{"stereo 48k", WAVFormat{48000, 2}},
		{"mono 44.1k", WAVFormat{44100, 1}},
		{"6 channels 16k", WAVFormat{16000, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			samples := make([]int16, tt.format.Channels*tt.format.SampleRate/10)
			for i := range samples {
				samples[i] = int16(i*7919 - 30000)
			}
			var buf bytes.Buffer
			in := &WAV{Format: tt.format, Samples: samples}
			if err := WriteWAV(&buf, in); err != nil {
				t.Fatal(err)
			}
			if buf.Len() != 44+2*len(samples) {
				t.Errorf("file is %d bytes, want %d", buf.Len(), 44+2*len(samples))
			}
			out, err := ReadWAV(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if out.Format != tt.format || !slices.Equal(out.Samples, samples) {
				t.Errorf("read back %+v with %d samples", out.Format, len(out.Samples))
			}
			if d := out.Duration(); d != 100*time.Millisecond {
				t.Errorf("Duration = %v", d)
			}
		})
	}
}

// A header written by hand, byte by byte, as a third party would: checks the
// layout rather than our own writer against our own reader.
func TestReadWAVHandmade(t *testing.T) {
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, le, uint32(0)) // many writers leave 0 here
	b.WriteString("WAVE")
	b.WriteString("LIST") // an odd-sized chunk before fmt, padded
	binary.Write(&b, le, uint32(3))
	b.WriteString("abc\x00")
	b.WriteString("fmt ")
	binary.Write(&b, le, uint32(40)) // WAVE_FORMAT_EXTENSIBLE
	binary.Write(&b, le, uint16(0xFFFE))
	binary.Write(&b, le, uint16(2))
	binary.Write(&b, le, uint32(16000))
	binary.Write(&b, le, uint32(64000))
	binary.Write(&b, le, uint16(4))
	binary.Write(&b, le, uint16(16))
	binary.Write(&b, le, uint16(22)) // cbSize
	binary.Write(&b, le, uint16(16)) // valid bits
	binary.Write(&b, le, uint32(3))  // channel mask
	b.Write([]byte{1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71})
	b.WriteString("data")
	binary.Write(&b, le, uint32(0xFFFFFFFF)) // streaming: unknown size
	for _, s := range []int16{1, -1, 32767, -32768, 5} {
		binary.Write(&b, le, s)
	}
	w, err := ReadWAV(&b)
	if err != nil {
		t.Fatal(err)
	}
	if w.Format != (WAVFormat{16000, 2}) {
		t.Errorf("format %+v", w.Format)
	}
	// The odd fifth sample is half a frame and is dropped.
	if !slices.Equal(w.Samples, []int16{1, -1, 32767, -32768}) {
		t.Errorf("samples %v", w.Samples)
	}
	if !slices.Equal(w.Channel(0), []int16{1, 32767}) || !slices.Equal(w.Channel(1), []int16{-1, -32768}) {
		t.Errorf("channels %v %v", w.Channel(0), w.Channel(1))
	}
	if !slices.Equal(w.Mono(), []int16{0, 0}) {
		t.Errorf("mono %v", w.Mono())
	}
}

func TestReadWAVRejects(t *testing.T) {
	good := func() []byte {
		var buf bytes.Buffer
		if err := WriteWAV(&buf, &WAV{Format: WAVFormat{8000, 1}, Samples: []int16{1, 2, 3}}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	patch := func(off int, v []byte) []byte {
		b := good()
		copy(b[off:], v)
		return b
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrNotWAV},
		{"not RIFF", []byte("RIFX\x00\x00\x00\x00WAVE"), ErrNotWAV},
		{"AIFF", []byte("FORM\x00\x00\x00\x00AIFF"), ErrNotWAV},
		{"8-bit", patch(34, []byte{8, 0}), ErrUnsupportedWAV},
		{"float", patch(20, []byte{3, 0}), ErrUnsupportedWAV},
		{"zero channels", patch(22, []byte{0, 0}), ErrCorruptWAV},
		{"bad block align", patch(32, []byte{7, 0}), ErrCorruptWAV},
		{"zero rate", patch(24, []byte{0, 0, 0, 0}), ErrCorruptWAV},
		{"huge fmt", patch(16, []byte{0, 0, 0, 1}), ErrCorruptWAV},
		{"no data chunk", good()[:36], ErrCorruptWAV},
		{"data before fmt", append([]byte("RIFF\x00\x00\x00\x00WAVEdata\x02\x00\x00\x00"), 1, 2), ErrCorruptWAV},
		{"truncated chunk header", good()[:40], ErrCorruptWAV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ReadWAV(bytes.NewReader(tt.in)); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestWAVWriterPatchesHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.wav")
	w, err := CreateWAVFile(path, WAVFormat{8000, 2})
	if err != nil {
		t.Fatal(err)
	}
	frame := make([]int16, 320)
	for i := range frame {
		frame[i] = int16(i)
	}
	for range 10 {
		if err := w.Write(frame); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(frame); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := binary.LittleEndian.Uint32(raw[40:44]); got != 6400 {
		t.Errorf("data size in header = %d, want 6400", got)
	}
	if got := binary.LittleEndian.Uint32(raw[4:8]); got != 36+6400 {
		t.Errorf("RIFF size = %d", got)
	}
	back, err := ReadWAVFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Frames() != 1600 || back.Duration() != 200*time.Millisecond {
		t.Errorf("frames %d duration %v", back.Frames(), back.Duration())
	}
}

func TestWriteWAVRejectsBadFormat(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteWAV(&buf, &WAV{Format: WAVFormat{0, 1}}); !errors.Is(err, ErrBadRate) {
		t.Errorf("zero rate: %v", err)
	}
	if err := WriteWAV(&buf, &WAV{Format: WAVFormat{8000, 2}, Samples: []int16{1}}); err == nil {
		t.Error("half a stereo frame accepted")
	}
}

// FuzzReadWAV: any input either fails with one of our errors or yields a
// consistent WAV; never a panic or a huge allocation.
func FuzzReadWAV(f *testing.F) {
	var buf bytes.Buffer
	_ = WriteWAV(&buf, &WAV{Format: WAVFormat{8000, 1}, Samples: []int16{1, 2, 3, 4}})
	f.Add(buf.Bytes())
	buf.Reset()
	_ = WriteWAV(&buf, &WAV{Format: WAVFormat{48000, 2}, Samples: []int16{1, 2}})
	f.Add(buf.Bytes())
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVE"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEfmt \xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ReadWAV(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrNotWAV) && !errors.Is(err, ErrCorruptWAV) && !errors.Is(err, ErrUnsupportedWAV) {
				t.Fatalf("unexpected error type: %v", err)
			}
			return
		}
		if w.Format.Channels < 1 || w.Format.SampleRate < 1 || len(w.Samples)%w.Format.Channels != 0 {
			t.Fatalf("inconsistent WAV %+v with %d samples", w.Format, len(w.Samples))
		}
		if 2*len(w.Samples) > len(data) {
			t.Fatalf("%d samples from %d bytes", len(w.Samples), len(data))
		}
	})
}
