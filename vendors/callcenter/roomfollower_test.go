package callcenter

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"agentbar/audio"
	"agentbar/vendors/callcenter/room"
	"agentbar/vendors/callcenter/voice"
)

// roomFollower carries out the center's calls in real mixing rooms (package
// room, one mixer goroutine ticking every 20 ms), the way a media front-end
// does, from the center's events alone: the system voice, the simulated
// customer, outside callees (OutsideLeg) and agents' devices elsewhere
// (DeviceLeg) join with the voices the events give them; an agent whose
// device is a front's is stood in for by a steady tone (endpointTones), as
// its headset would be. Tests then measure, Goertzel on real frames, what
// every party heard: the center's audio truth.
type roomFollower struct {
	t             *testing.T
	cc            *Center
	sub           *Subscription
	mixer         *room.Mixer
	endpointTones map[string]float64

	mu      sync.Mutex
	rooms   map[CallID]*followedCall
	applied chan struct{} // a signal after every event handled
	done    chan struct{}
}

// followedCall is one call's room and what the follower knows of it.
type followedCall struct {
	room    *room.Room
	sys     *voice.Switch
	voices  map[string]*voice.Switch // by party
	ears    map[string]*ear
	devices map[string]bool // agents in the room as devices elsewhere
	mix     Mix
	hasMix  bool
}

// Steady stand-ins for the center's own sounds, so they can be measured
// apart from the parties' voices.
const (
	ringbackHz = 2500.0
	musicHz    = 2800.0
	promptHz   = 3100.0
)

func newRoomFollower(t *testing.T, cc *Center, endpointTones map[string]float64) *roomFollower {
	t.Helper()
	f := &roomFollower{t: t, cc: cc, sub: cc.Subscribe(), mixer: room.NewMixer(), endpointTones: endpointTones,
		rooms: map[CallID]*followedCall{}, applied: make(chan struct{}, 1), done: make(chan struct{})}
	go f.run()
	t.Cleanup(f.close)
	return f
}

func (f *roomFollower) close() {
	f.sub.Close()
	<-f.done
	f.mu.Lock()
	for _, fc := range f.rooms {
		_ = fc.room.Close()
	}
	f.rooms = map[CallID]*followedCall{}
	f.mu.Unlock()
	f.mixer.Close()
}

func (f *roomFollower) run() {
	defer close(f.done)
	for ev := range f.sub.C {
		f.mu.Lock()
		f.apply(ev)
		f.mu.Unlock()
		select {
		case f.applied <- struct{}{}:
		default:
		}
	}
}

// apply carries out one event. Caller holds f.mu.
func (f *roomFollower) apply(ev Event) {
	switch ev := ev.(type) {
	case CallCreated:
		r, err := f.mixer.NewRoom(string(ev.Call.ID))
		if err != nil {
			f.t.Errorf("room: %v", err)
			return
		}
		fc := &followedCall{room: r, voices: map[string]*voice.Switch{}, ears: map[string]*ear{}, devices: map[string]bool{}}
		f.rooms[ev.Call.ID] = fc
		fc.sys = fc.join(SystemParty)
		if c := ev.Call.Customer; c != nil {
			sw := fc.join(SimulatedCustomer)
			if len(c.Script) == 0 {
				// A customer without a script talks all the time.
				sw.Set(voice.Tone(c.Voice.ToneHz))
			}
		}
	case MixChanged:
		fc := f.rooms[ev.Call]
		if fc == nil {
			return
		}
		fc.mix, fc.hasMix = ev.Mix, true
		fc.sys.Set(systemSource(ev.Mix.System.Kind))
		for _, p := range ev.Mix.Parties {
			if p.Agent != "" && !fc.in(p.ID) {
				fc.join(p.ID).Set(voice.Tone(f.endpointTones[p.Agent]))
			}
		}
		fc.room.SetHears(ev.Mix.Hears)
	case CustomerStep:
		if fc := f.rooms[ev.Call]; fc != nil && fc.in(SimulatedCustomer) {
			fc.voices[SimulatedCustomer].Set(stepSource(ev.Step, ev.Voice))
		}
	case DeviceLeg:
		fc := f.rooms[ev.Call.ID]
		if fc == nil {
			return
		}
		switch ev.Phase {
		case LegPhaseUp:
			fc.join(ev.Agent).Set(voice.Tone(ev.Device.Voice.ToneHz))
			fc.devices[ev.Agent] = true
		case LegPhaseDown:
			fc.leave(ev.Agent)
		}
		fc.reapply()
	case OutsideLeg:
		fc := f.rooms[ev.Call.ID]
		if fc == nil {
			return
		}
		switch ev.Phase {
		case LegPhaseUp:
			sw := fc.join(ev.Party)
			if len(ev.Customer.Script) == 0 {
				sw.Set(voice.Tone(ev.Customer.Voice.ToneHz))
			}
		case LegPhaseDown:
			fc.leave(ev.Party)
		}
		fc.reapply()
	case OutsideStep:
		if fc := f.rooms[ev.Call]; fc != nil && fc.in(ev.Party) {
			fc.voices[ev.Party].Set(stepSource(ev.Step, ev.Voice))
		}
	case LegRelease:
		if fc := f.rooms[ev.Call]; fc != nil && !fc.devices[ev.Agent] {
			fc.leave(ev.Agent)
		}
	case CallEnded:
		if fc := f.rooms[ev.Call.ID]; fc != nil {
			_ = fc.room.Close()
			delete(f.rooms, ev.Call.ID)
		}
	}
}

func systemSource(k SoundKind) audio.FrameSource {
	switch k {
	case SoundRingback:
		return voice.Tone(ringbackHz)
	case SoundMusic:
		return voice.Tone(musicHz)
	case SoundPrompt:
		return voice.Tone(promptHz)
	}
	return nil
}

func stepSource(s Step, v Voice) audio.FrameSource {
	if s.Kind == StepSay {
		return voice.Tone(v.ToneHz)
	}
	return nil
}

// join adds a party with a switchable voice and an ear. Caller holds f.mu.
func (fc *followedCall) join(id string) *voice.Switch {
	if sw, ok := fc.voices[id]; ok {
		return sw
	}
	e := &ear{}
	p, err := fc.room.Join(id, e.hear)
	if err != nil {
		panic(fmt.Sprintf("join %s: %v", id, err))
	}
	sw := &voice.Switch{}
	p.SetVoice(sw)
	fc.voices[id], fc.ears[id] = sw, e
	return sw
}

func (fc *followedCall) leave(id string) {
	if _, ok := fc.voices[id]; !ok {
		return
	}
	_ = fc.room.Leave(id)
	delete(fc.voices, id)
	delete(fc.ears, id)
	delete(fc.devices, id)
}

func (fc *followedCall) in(id string) bool { _, ok := fc.voices[id]; return ok }

// reapply sets the last mix again after a party joined or left.
func (fc *followedCall) reapply() {
	if fc.hasMix {
		fc.room.SetHears(fc.mix.Hears)
	}
}

// settle waits until the room carries out the center's current mix of the
// call with every party of it present.
func (f *roomFollower) settle(id CallID) {
	f.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		m, live := f.cc.Mix(id)
		if !live {
			f.t.Fatalf("call %s is not live", id)
		}
		f.mu.Lock()
		fc := f.rooms[id]
		ok := fc != nil && fc.hasMix && mixEqual(fc.mix, m)
		for _, p := range m.Parties {
			ok = ok && fc.in(p.ID)
		}
		f.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-f.applied:
		case <-deadline:
			f.t.Fatalf("the room of %s never carried out mix %+v", id, m)
		}
	}
}

// heard records what party hears from now on: half a second of frames,
// after three frames for the mix to flow.
func (f *roomFollower) heard(id CallID, party string) []int16 {
	f.t.Helper()
	f.settle(id)
	f.mu.Lock()
	fc := f.rooms[id]
	e := fc.ears[party]
	f.mu.Unlock()
	if e == nil {
		f.t.Fatalf("%s is not in the room of %s", party, id)
	}
	done := e.arm(3, 25)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		f.t.Fatalf("%s heard no frames in %s", party, id)
	}
	return e.take()
}

// ear keeps what a party heard while armed. hear runs on the mixer
// goroutine.
type ear struct {
	mu         sync.Mutex
	skip, want int
	got        []int16
	done       chan struct{}
}

func (e *ear) arm(skip, frames int) <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.skip, e.want, e.got = skip, frames*room.FrameSamples, nil
	e.done = make(chan struct{})
	return e.done
}

func (e *ear) hear(pcm []int16) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.done == nil {
		return
	}
	if e.skip > 0 {
		e.skip--
		return
	}
	e.got = append(e.got, pcm...)
	if len(e.got) >= e.want {
		close(e.done)
		e.done = nil
	}
}

func (e *ear) take() []int16 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.got)
}

// Tone levels: present is clearly there (the voices are at a quarter of
// full scale); absent is at least 38 dB below that.
const (
	presentAmp = 0.05
	absentAmp  = 0.003
)

// expectTones checks that a party hears exactly the present tones among
// those listed.
func expectTones(t *testing.T, who string, pcm []int16, present, absent []float64) {
	t.Helper()
	if len(pcm) < 4000 {
		t.Errorf("%s: only %d samples heard", who, len(pcm))
		return
	}
	for _, hz := range present {
		if a := audio.Goertzel(pcm, room.Rate, hz); a < presentAmp {
			t.Errorf("%s does not hear %.0f Hz (amplitude %.4f, level %.1f dBFS)", who, hz, a, audio.RMSdBFS(pcm))
		}
	}
	for _, hz := range absent {
		if a := audio.Goertzel(pcm, room.Rate, hz); a > absentAmp {
			t.Errorf("%s hears %.0f Hz but should not (amplitude %.4f)", who, hz, a)
		}
	}
}

// hearsExactly checks a party's ear against the set of tones it should
// hear out of all the call's tones.
func (f *roomFollower) hearsExactly(id CallID, party string, all []float64, present ...float64) {
	f.t.Helper()
	var absent []float64
	for _, hz := range all {
		if !slices.Contains(present, hz) {
			absent = append(absent, hz)
		}
	}
	expectTones(f.t, party, f.heard(id, party), present, absent)
}
