package room

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func tone(hz float64) audio.FrameSource {
	return audio.NewTone(audio.TonePattern{Amplitude: 0.3, Repeat: true,
		Segments: []audio.ToneSegment{{Freqs: [2]float64{hz}, Duration: time.Second}}}, Rate)
}

// settle waits for the mixer to produce d of audio.
func settle(d time.Duration) { <-time.After(d) }

func near(got, want float64) bool { return got > want*0.98 && got < want*1.02 }

func TestMatrixDecidesWhoHearsWhom(t *testing.T) {
	m := NewMixer()
	defer m.Close()
	r, err := m.NewRoom("call")
	if err != nil {
		t.Fatal(err)
	}
	freqs := map[string]float64{"a": 400, "b": 1000, "c": 1700}
	for id, hz := range freqs {
		p, err := r.Join(id, nil)
		if err != nil {
			t.Fatal(err)
		}
		p.SetVoice(tone(hz))
	}
	if _, err := r.Join("a", nil); !errors.Is(err, ErrDuplicateParty) {
		t.Fatalf("duplicate join: %v", err)
	}
	// a hears b and c; b hears a; c hears nobody (and "ghost" is ignored).
	r.SetHears(map[string][]string{"a": {"b", "c"}, "b": {"a", "ghost"}, "c": nil})
	settle(1200 * time.Millisecond)
	amp := func(id string, hz float64) float64 {
		pcm, err := r.Heard(id, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return audio.Goertzel(pcm, Rate, hz)
	}
	tests := []struct {
		listener string
		hz       float64
		hears    bool
	}{
		{"a", 1000, true}, {"a", 1700, true}, {"a", 400, false},
		{"b", 400, true}, {"b", 1700, false},
		{"c", 400, false}, {"c", 1000, false},
	}
	for _, tt := range tests {
		a := amp(tt.listener, tt.hz)
		if tt.hears != (a > 0.1) {
			t.Errorf("%s at %v Hz: amplitude %.3f, hears=%v", tt.listener, tt.hz, a, tt.hears)
		}
	}
	if h, _ := r.Hearing("b"); !near(h.Dominant, 400) {
		t.Errorf("b's dominant frequency %.1f", h.Dominant)
	}
	if got := r.Hears(); len(got["a"]) != 2 || len(got["c"]) != 0 {
		t.Errorf("Hears() = %v", got)
	}
	if err := r.Leave("b"); err != nil {
		t.Fatal(err)
	}
	settle(1100 * time.Millisecond)
	if a := amp("a", 1000); a > 0.01 {
		t.Errorf("a still hears b after it left: %.3f", a)
	}
	if ticks, _ := m.Stats(); ticks < 50 {
		t.Errorf("%d ticks in 2.3 s", ticks)
	}
}

func TestLegPortCarriesTheMix(t *testing.T) {
	m := NewMixer()
	defer m.Close()
	r, _ := m.NewRoom("call")
	port, leg, err := r.NewLegPort("leg")
	if err != nil {
		t.Fatal(err)
	}
	sim, _ := r.Join("sim", nil)
	sim.SetVoice(tone(500))
	port.SetPlayback(tone(800)) // what the leg's endpoint says
	r.SetHears(map[string][]string{"leg": {"sim"}, "sim": {"leg"}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got []int16
	frame := make([]int16, FrameSamples)
	for len(got) < Rate {
		if err := port.ReadFrame(ctx, frame); err != nil {
			t.Fatal(err)
		}
		got = append(got, frame...)
	}
	if f := audio.DominantFrequency(got, Rate); !near(f, 500) {
		t.Errorf("the leg's sender got %.1f Hz, want the simulated party's 500", f)
	}
	settle(100 * time.Millisecond)
	if h, _ := r.Hearing("sim"); !near(h.Dominant, 800) {
		t.Errorf("sim heard %.1f Hz, want the leg's 800", h.Dominant)
	}
	if err := port.ReadFrame(ctx, make([]int16, 3)); err == nil {
		t.Error("short buffer accepted")
	}
	if err := port.Bind(16000); !errors.Is(err, ErrRate) {
		t.Errorf("Bind(16000): %v", err)
	}
	port.Close()
	if err := port.ReadFrame(ctx, frame); !errors.Is(err, audio.ErrClosed) {
		t.Errorf("read after close: %v", err)
	}
	_ = leg
}

func TestRecording(t *testing.T) {
	m := NewMixer()
	r, _ := m.NewRoom("call")
	a, _ := r.Join("a", nil)
	b, _ := r.Join("b", nil)
	a.SetVoice(tone(600))
	b.SetVoice(tone(900))
	r.SetHears(map[string][]string{"a": {"b"}})
	path := filepath.Join(t.TempDir(), "a.wav")
	if err := a.StartRecording(path); err != nil {
		t.Fatal(err)
	}
	settle(700 * time.Millisecond)
	m.Close() // closes the room and finishes the file
	w, err := audio.ReadWAVFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if w.Format.Channels != 2 || w.Format.SampleRate != Rate || w.Duration() < 400*time.Millisecond {
		t.Fatalf("recording %+v, %v", w.Format, w.Duration())
	}
	if f := audio.DominantFrequency(w.Channel(0), Rate); !near(f, 600) {
		t.Errorf("left (said) %.1f Hz", f)
	}
	if f := audio.DominantFrequency(w.Channel(1), Rate); !near(f, 900) {
		t.Errorf("right (heard) %.1f Hz", f)
	}
	if _, err := m.NewRoom("late"); !errors.Is(err, ErrClosed) {
		t.Errorf("room after close: %v", err)
	}
}

func BenchmarkTick(b *testing.B) {
	m := &Mixer{rooms: map[*Room]struct{}{}}
	r := &Room{mixer: m, parties: map[string]*Party{}}
	for _, id := range []string{"customer", "agent", "supervisor", "system"} {
		p, _ := r.Join(id, func([]int16) {})
		p.SetVoice(tone(440))
	}
	r.SetHears(map[string][]string{"customer": {"agent", "supervisor", "system"}, "agent": {"customer", "supervisor"}, "supervisor": {"customer", "agent"}})
	b.ReportAllocs()
	for b.Loop() {
		r.tick()
	}
}
