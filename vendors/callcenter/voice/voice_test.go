package voice

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func pull(src audio.FrameSource, d time.Duration) []int16 {
	out := make([]int16, int(d.Seconds()*Rate))
	for i := 0; i < len(out); i += 160 {
		src.Pull(out[i:min(i+160, len(out))])
	}
	return out
}

func TestTonesAndSwitch(t *testing.T) {
	if f := audio.DominantFrequency(pull(Tone(430), time.Second), Rate); f < 425 || f > 435 {
		t.Errorf("tone at %.1f Hz", f)
	}
	if lvl := audio.RMSdBFS(pull(Tone(0), time.Second)); lvl > audio.SilenceDBFS {
		t.Errorf("0 Hz is not silence: %.1f dBFS", lvl)
	}
	if lvl := audio.RMSdBFS(pull(Music(), time.Second)); lvl < -40 || lvl > -15 {
		t.Errorf("music at %.1f dBFS", lvl)
	}
	var s Switch
	if lvl := audio.RMSdBFS(pull(&s, 100*time.Millisecond)); lvl > audio.SilenceDBFS {
		t.Error("empty switch is not silent")
	}
	s.Set(Tone(700))
	if f := audio.DominantFrequency(pull(&s, time.Second), Rate); f < 690 || f > 710 {
		t.Errorf("switched tone at %.1f Hz", f)
	}
	s.Set(nil)
	if lvl := audio.RMSdBFS(pull(&s, 100*time.Millisecond)); lvl > audio.SilenceDBFS {
		t.Error("switch set to nil is not silent")
	}
}

func TestClip(t *testing.T) {
	c := NewClip([]int16{1, 2, 3}, true)
	got := make([]int16, 7)
	c.Pull(got)
	if want := []int16{1, 2, 3, 1, 2, 3, 1}; !equal(got, want) {
		t.Errorf("looped clip %v, want %v", got, want)
	}
	once := NewClip([]int16{5}, false)
	got = make([]int16, 3)
	once.Pull(got)
	if want := []int16{5, 0, 0}; !equal(got, want) {
		t.Errorf("clip %v, want %v", got, want)
	}
}

func equal(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSpeech(t *testing.T) {
	l := NewLibrary(true, nil)
	defer l.Close()
	if !l.Available() {
		t.Skip("espeak-ng is not installed (Debian: espeak-ng)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := l.Wait(ctx, "您好，欢迎致电。")
	if err != nil {
		t.Fatal(err)
	}
	d := time.Duration(len(s)) * time.Second / Rate
	if d < 500*time.Millisecond || d > 5*time.Second {
		t.Errorf("speech lasts %v", d)
	}
	if lvl, peak := audio.RMSdBFS(s), audio.PeakdBFS(s); lvl < -40 || peak > -6 {
		t.Errorf("speech at %.1f dBFS RMS, %.1f dBFS peak", lvl, peak)
	}
	if again, ok := l.Speech("您好，欢迎致电。"); !ok || len(again) != len(s) {
		t.Error("speech not cached")
	}
}

func TestNoSpeech(t *testing.T) {
	l := NewLibrary(false, nil)
	defer l.Close()
	if _, ok := l.Speech("你好"); ok {
		t.Error("speech without a synthesiser")
	}
	if _, err := l.Wait(context.Background(), "你好"); !errors.Is(err, ErrNoSpeech) {
		t.Errorf("Wait: %v", err)
	}
}
