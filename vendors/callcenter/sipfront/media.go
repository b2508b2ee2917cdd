package sipfront

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"agentbar/audio"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/room"
	"agentbar/vendors/callcenter/voice"
)

// callMedia is a call's room with the center's own parties: the simulated
// customer (when there is one), the system voice, and those that come and
// go (devices elsewhere, outside callees: simparties.go).
type callMedia struct {
	id       callcenter.CallID
	room     *room.Room
	simVoice *voice.Switch // the simulated customer's voice
	sysVoice *voice.Switch // prompts, music, ringback
	customer callcenter.Customer
	hasSim   bool

	mu     sync.Mutex
	mix    callcenter.Mix
	sound  callcenter.SystemSound
	sims   map[string]*voice.Switch // devices elsewhere and outside callees in the room, by party
	once   sync.Once
	closed chan struct{} // closed once the room and its recordings are closed
}

func (f *Front) media(id callcenter.CallID) *callMedia {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[id]
}

// callCreated opens the call's room with its simulated parties.
func (f *Front) callCreated(ci callcenter.CallInfo) {
	r, err := f.mixer.NewRoom(string(ci.ID))
	if err != nil {
		f.log.Warn("sipfront: room", "call", ci.ID, "err", err)
		return
	}
	cm := &callMedia{id: ci.ID, room: r, simVoice: &voice.Switch{}, sysVoice: &voice.Switch{},
		sims: map[string]*voice.Switch{}, closed: make(chan struct{})}
	if sys, err := r.Join(callcenter.SystemParty, nil); err == nil {
		sys.SetVoice(cm.sysVoice)
	}
	if ci.Customer != nil {
		cm.hasSim, cm.customer = true, *ci.Customer
		if p, err := r.Join(callcenter.SimulatedCustomer, nil); err == nil {
			p.SetVoice(cm.simVoice)
			f.record(cm, p, callcenter.SimulatedCustomer)
		}
		if len(cm.customer.Script) == 0 {
			// A customer without a script talks all the time.
			cm.simVoice.Set(f.voiceOf(cm.customer.Voice, true))
		}
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		cm.close()
		return
	}
	f.calls[ci.ID] = cm
	f.mu.Unlock()
}

// record starts a party's recording when the front records.
func (f *Front) record(cm *callMedia, p *room.Party, party string) {
	if f.opts.RecordDir == "" {
		return
	}
	path := filepath.Join(f.opts.RecordDir, fmt.Sprintf("%s-%s.wav", cm.id, fileSafe(party)))
	if err := p.StartRecording(path); err != nil {
		f.log.Warn("sipfront: recording", "call", cm.id, "party", party, "err", err)
		return
	}
	if err := f.cc.RecordingStarted(cm.id, party, path); err != nil {
		f.log.Debug("sipfront: recording not in the CDR", "call", cm.id, "party", party, "err", err)
	}
}

// fileSafe makes a party id fit a file name on every system
// ("outside:139..." → "outside_139...").
func fileSafe(party string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '-', r == '_', r == '.', r == '+':
			return r
		}
		return '_'
	}, party)
}

// voiceOf is how a simulated party sounds: speech when it is ready (looped
// when loop), else its tone.
func (f *Front) voiceOf(v callcenter.Voice, loop bool) audio.FrameSource {
	if s, ok := f.voices.Speech(v.Text); ok {
		return voice.NewClip(s, loop)
	}
	hz := v.ToneHz
	if hz <= 0 {
		hz = 440
	}
	return voice.Tone(hz)
}

// mixChanged applies the center's new mix to the room.
func (f *Front) mixChanged(ev callcenter.MixChanged) {
	cm := f.media(ev.Call)
	if cm == nil {
		return
	}
	cm.mu.Lock()
	cm.mix = ev.Mix
	changed := cm.sound != ev.Mix.System
	cm.sound = ev.Mix.System
	cm.mu.Unlock()
	cm.room.SetHears(ev.Mix.Hears)
	if changed {
		cm.sysVoice.Set(f.systemSound(ev.Mix.System))
	}
}

// systemSound is what the center's voice plays.
func (f *Front) systemSound(s callcenter.SystemSound) audio.FrameSource {
	switch s.Kind {
	case callcenter.SoundPrompt:
		if speech, ok := f.voices.Speech(s.Text); ok {
			return voice.NewClip(speech, false)
		}
		return voice.PromptTone()
	case callcenter.SoundMusic:
		return voice.Music()
	case callcenter.SoundRingback:
		return voice.Ringback()
	}
	return nil
}

// joined re-applies the mix once a leg's party is in the room, and starts
// its recording.
func (cm *callMedia) joined(f *Front, party string) {
	cm.mu.Lock()
	hears := cm.mix.Hears
	cm.mu.Unlock()
	if hears != nil {
		cm.room.SetHears(hears)
	}
	if p, ok := cm.room.Party(party); ok {
		f.record(cm, p, party)
	}
}

// customerStep changes the simulated customer's voice for a script step.
func (f *Front) customerStep(ev callcenter.CustomerStep) {
	cm := f.media(ev.Call)
	if cm == nil {
		return
	}
	switch ev.Step.Kind {
	case callcenter.StepSay:
		cm.simVoice.Set(f.voiceOf(ev.Voice, true))
	default:
		cm.simVoice.Set(nil)
	}
}

// customerDigits sends the digits of a simulated customer or an outside
// callee to the serving agent's endpoint as RFC 4733 events.
func (f *Front) customerDigits(ev callcenter.DTMFReceived) {
	ci, ok := f.cc.Call(ev.Call)
	if !ok || ci.Agent == "" {
		return
	}
	l := f.legOf(ev.Call, ci.Agent)
	if l == nil {
		return
	}
	l.mu.Lock()
	m := l.media
	up := l.state == legUp
	l.mu.Unlock()
	if !up || m == nil {
		return
	}
	f.goTracked(func() {
		for _, d := range ev.Digits {
			if err := m.sendDTMF(d, 120*time.Millisecond); err != nil {
				f.log.Debug("sipfront: sending DTMF", "call", ev.Call, "err", err)
				return
			}
		}
	})
}

func (cm *callMedia) close() {
	cm.once.Do(func() {
		_ = cm.room.Close()
		close(cm.closed)
	})
}
