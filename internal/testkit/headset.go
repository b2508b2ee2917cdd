package testkit

import (
	"testing"
	"time"

	"agentbar/audio"
)

// Headset is a virtual 8 kHz headset for an engine under test: its
// microphone speaks a steady tone of toneHz (0 = silence) and what it plays
// goes to the returned Ear. The caller closes the pipeline (or hands it to
// the engine that does).
func Headset(t testing.TB, toneHz float64) (*audio.Pipeline, *Ear) {
	t.Helper()
	ear := &Ear{}
	o := audio.VirtualOptions{Rate: earRate, Speaker: ear.Hear}
	if toneHz > 0 {
		o.Microphone = audio.NewTone(audio.TonePattern{Name: "headset", Amplitude: 0.3, Repeat: true,
			Segments: []audio.ToneSegment{{Freqs: [2]float64{toneHz}, Duration: time.Second}}}, earRate)
	}
	pipe, err := audio.NewVirtualPipeline(o)
	if err != nil {
		t.Fatal(err)
	}
	return pipe, ear
}
