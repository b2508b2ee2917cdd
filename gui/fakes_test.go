package gui

import (
	"log/slog"
	"sync"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/history"
)

// fakeAudio stands in for the sound pipeline: it records the ringer and
// tones, and its levels are whatever the test sets.
type fakeAudio struct {
	mu       sync.Mutex
	in, out  audio.Level
	ringer   chan bool // true: Ring, false: StopRinging
	tones    chan string
	devices  chan [2]string
	events   chan audio.DeviceEvent
	ringing  bool
	ringErrs error
	holds    chan bool // true: Hold, false: its release
}

func newFakeAudio() *fakeAudio {
	return &fakeAudio{
		in: audio.Level{PeakDBFS: -90}, out: audio.Level{PeakDBFS: -90},
		ringer: make(chan bool, 64), tones: make(chan string, 16),
		devices: make(chan [2]string, 4), events: make(chan audio.DeviceEvent, 4),
		holds: make(chan bool, 16),
	}
}

var _ Audio = (*fakeAudio)(nil)

func (a *fakeAudio) InputLevel() audio.Level {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.in
}

func (a *fakeAudio) OutputLevel() audio.Level {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.out
}

func (a *fakeAudio) setLevels(in, out float64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.in, a.out = audio.Level{PeakDBFS: in}, audio.Level{PeakDBFS: out}
}

func (a *fakeAudio) Ring(audio.TonePattern) error {
	a.mu.Lock()
	a.ringing = true
	a.mu.Unlock()
	a.ringer <- true
	return nil
}

func (a *fakeAudio) StopRinging() error {
	a.mu.Lock()
	a.ringing = false
	a.mu.Unlock()
	a.ringer <- false
	return nil
}

func (a *fakeAudio) PlayTone(p audio.TonePattern) *audio.Tone {
	a.tones <- p.Name
	return audio.NewTone(p, 8000)
}

func (a *fakeAudio) StopTone() {}

func (a *fakeAudio) SetDevices(capture, playback string) error {
	a.devices <- [2]string{capture, playback}
	return nil
}

func (a *fakeAudio) Events() <-chan audio.DeviceEvent { return a.events }

func (a *fakeAudio) Hold() func() {
	a.holds <- true
	var once sync.Once
	return func() { once.Do(func() { a.holds <- false }) }
}

// historyJournal is core/app's journal: engine calls into history records
// through the real non-blocking writer.
type historyJournal struct{ w *history.Writer }

func newHistoryJournal(store *history.Store) *historyJournal {
	return &historyJournal{w: history.NewWriter(store, slog.New(slog.DiscardHandler))}
}

func (j *historyJournal) Record(r core.CallRecord) {
	c := r.Call
	j.w.Submit(history.Record{
		ID: string(c.ID), Account: r.Account, Platform: r.Platform, PlatformCallID: c.PlatformCallID,
		Direction: c.Direction.String(), RemoteNumber: c.RemoteNumber, DisplayNumber: c.DisplayNumber,
		Location: c.Location, Carrier: c.Carrier, Queue: c.Queue, State: c.State.String(),
		EndReason: string(c.EndReason), Started: c.Started, Answered: c.Answered, Ended: c.Ended,
		UserData: c.UserData, Updated: c.StateSince,
	})
}
