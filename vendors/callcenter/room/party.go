package room

import (
	"fmt"
	"sync/atomic"

	"agentbar/audio"
)

// Party is one participant of a room.
type Party struct {
	room  *Room
	id    string
	out   func(pcm []int16)
	voice atomic.Pointer[voiceBox]

	// Mixer goroutine (under the room's mutex).
	said, heard [FrameSamples]int16
	ear, mouth  history
	rec         *recording
}

type voiceBox struct{ src audio.FrameSource }

// ID is the party's id.
func (p *Party) ID() string { return p.id }

// SetVoice sets what the party says: a FrameSource pulled at 8000 Hz by
// the mixer goroutine only (a jitter buffer, a tone); nil is silence.
func (p *Party) SetVoice(src audio.FrameSource) {
	if src == nil {
		p.voice.Store(nil)
		return
	}
	p.voice.Store(&voiceBox{src: src})
}

// pull takes this tick's frame of the party's voice. Mixer goroutine.
func (p *Party) pull() {
	if b := p.voice.Load(); b != nil {
		b.src.Pull(p.said[:])
	} else {
		clear(p.said[:])
	}
	p.mouth.write(p.said[:])
}

// deliver hands this tick's mix to the party. Mixer goroutine.
func (p *Party) deliver() {
	p.ear.write(p.heard[:])
	if p.out != nil {
		p.out(p.heard[:])
	}
	if p.rec != nil {
		p.rec.write(p.said[:], p.heard[:])
	}
}

// StartRecording writes what the party says (left) and hears (right) to a
// 16-bit stereo WAV file at 8000 Hz until it leaves or the room closes.
func (p *Party) StartRecording(path string) error {
	rec, err := newRecording(path)
	if err != nil {
		return fmt.Errorf("room: recording %s: %w", p.id, err)
	}
	r := p.room
	r.mu.Lock()
	defer r.mu.Unlock()
	if p.rec != nil {
		_ = rec.close()
		return fmt.Errorf("room: %s is already recorded", p.id)
	}
	p.rec = rec
	return nil
}

func (p *Party) stopRecording() error {
	r := p.room
	r.mu.Lock()
	rec := p.rec
	p.rec = nil
	r.mu.Unlock()
	if rec == nil {
		return nil
	}
	return rec.close()
}
