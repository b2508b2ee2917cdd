package demokit

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/vendors/callcenter/voice"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestParseSettings(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fields  map[string]string
		want    Settings
		wantKey string // the field refused; "" = accepted
	}{
		{"defaults", nil, Settings{Me: "8001", PerMinute: 2, Speech: true}, ""},
		{"supervisor, no customers, tones", map[string]string{"login_as": "8000", "arrival_seconds": "0", "speech": "false"},
			Settings{Me: "8000", PerMinute: 0, Speech: false}, ""},
		{"a customer every 10 s", map[string]string{"arrival_seconds": "10"}, Settings{Me: "8001", PerMinute: 6, Speech: true}, ""},
		{"a colleague's seat", map[string]string{"login_as": "8002"}, Settings{}, "login_as"},
		{"negative gap", map[string]string{"arrival_seconds": "-1"}, Settings{}, "arrival_seconds"},
		{"not a number", map[string]string{"arrival_seconds": "soon"}, Settings{}, "arrival_seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSettings("demo-x", tc.fields)
			if tc.wantKey != "" {
				var fe *core.FieldError
				if !errors.As(err, &fe) || fe.Key != tc.wantKey || fe.Platform != "demo-x" {
					t.Fatalf("err %v, want a field error on %s of demo-x", err, tc.wantKey)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
			if got.Supervisor() != (tc.want.Me == "8000") {
				t.Errorf("Supervisor() %v for %s", got.Supervisor(), got.Me)
			}
		})
	}
}

func TestCenterConfigCarriesTheSettings(t *testing.T) {
	s := Settings{Me: "8001", PerMinute: 3, Speech: false}
	a := s.CenterConfig(discard())
	if a.Arrivals.PerMinute != 3 || a.Arrivals.Speech {
		t.Errorf("arrivals %+v, want 3 a minute without speech", a.Arrivals)
	}
	if a.Logger == nil {
		t.Error("no logger")
	}
	if a.Seed == 0 {
		t.Error("seed 0, want a fresh one")
	}
	if RandomSecret() == RandomSecret() || len(RandomSecret()) != 24 {
		t.Error("secrets repeat or are not 24 hex digits")
	}
}

func TestNoticeSpeaksBothLanguages(t *testing.T) {
	n := &Notice{ZH: "演示模式", EN: "Demo mode"}
	for _, tc := range []struct{ lang, want string }{{"zh", "演示模式"}, {"en", "Demo mode"}, {"", "演示模式"}} {
		if got := n.Sentence(tc.lang); got != tc.want {
			t.Errorf("Sentence(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got := n.Error(); got != "Demo mode" {
		t.Errorf("Error() = %q, want the English sentence", got)
	}
}

func TestVoicePortSpeaksItsSourceInRealTime(t *testing.T) {
	if _, err := newVoicePort(48000, voice.Tone(1000)); !errors.Is(err, ErrVoiceRate) {
		t.Fatalf("48 kHz port: %v, want ErrVoiceRate", err)
	}
	p, err := newVoicePort(8000, voice.Tone(1100))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const frames = 10
	pcm := make([]int16, 0, frames*160)
	frame := make([]int16, 160)
	start := time.Now()
	for range frames {
		if err := p.ReadFrame(ctx, frame); err != nil {
			t.Fatal(err)
		}
		pcm = append(pcm, frame...)
	}
	// Paced by the 20 ms ticker: ten frames take at least ~180 ms.
	if el := time.Since(start); el < (frames-1)*audio.FrameDuration {
		t.Errorf("%d frames in %v: not paced", frames, el)
	}
	if f := audio.DominantFrequency(pcm, 8000); f < 1050 || f > 1150 {
		t.Errorf("the port speaks %v Hz, want the source's 1100", f)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := p.ReadFrame(ctx, frame); !errors.Is(err, audio.ErrClosed) {
		t.Errorf("after Close: %v, want audio.ErrClosed", err)
	}
}
