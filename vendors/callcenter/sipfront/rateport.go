package sipfront

import (
	"context"
	"fmt"

	"agentbar/audio"
	"agentbar/vendors/callcenter/room"
)

// ratePort runs a room's leg port (8000 Hz, the rooms' rate) at the rate of
// a WebRTC leg's codec: Opus is 48000 Hz. What the party hears is
// resampled up for the sender; what the endpoint says is resampled down
// for the room. At 8000 Hz (PCMU, PCMA) it passes straight through.
type ratePort struct {
	lp   *room.LegPort
	rate int

	up     *audio.Resampler // room → codec; the sender's goroutine only
	frame8 []int16
}

var (
	_ audio.Port       = (*ratePort)(nil)
	_ audio.RateBinder = (*ratePort)(nil)
)

func newRatePort(lp *room.LegPort) *ratePort {
	return &ratePort{lp: lp, rate: room.Rate}
}

// Bind implements audio.RateBinder; the session binds once, before it
// reads or plays anything.
func (p *ratePort) Bind(rate int) error {
	if rate == room.Rate {
		p.rate, p.up = rate, nil
		return nil
	}
	up, err := audio.NewResampler(room.Rate, rate)
	if err != nil {
		return fmt.Errorf("sipfront: a %d Hz leg: %w", rate, err)
	}
	p.rate, p.up, p.frame8 = rate, up, make([]int16, room.FrameSamples)
	return nil
}

// SampleRate implements audio.Port.
func (p *ratePort) SampleRate() int { return p.rate }

// ReadFrame implements audio.Port: the next 20 ms of what the party hears.
func (p *ratePort) ReadFrame(ctx context.Context, pcm []int16) error {
	if p.up == nil {
		return p.lp.ReadFrame(ctx, pcm)
	}
	if len(pcm) != p.rate/50 {
		return fmt.Errorf("%w: frame of %d samples at %d Hz", audio.ErrShortBuffer, len(pcm), p.rate)
	}
	if err := p.lp.ReadFrame(ctx, p.frame8); err != nil {
		return err
	}
	n := p.up.Process(p.frame8, pcm)
	clear(pcm[n:])
	return nil
}

// SetPlayback implements audio.Port: src (at the codec's rate) is the
// party's voice.
func (p *ratePort) SetPlayback(src audio.FrameSource) {
	if src == nil || p.up == nil {
		p.lp.SetPlayback(src)
		return
	}
	down, err := audio.NewResampler(p.rate, room.Rate)
	if err != nil {
		p.lp.SetPlayback(nil)
		return
	}
	p.lp.SetPlayback(&downsampled{src: src, down: down, buf: make([]int16, p.rate/50)})
}

// Close implements audio.Port.
func (p *ratePort) Close() error { return p.lp.Close() }

// downsampled is a codec-rate source heard at the room's rate. Pull runs on
// the mixer goroutine only. REAL-TIME: no allocation, no lock.
type downsampled struct {
	src  audio.FrameSource
	down *audio.Resampler
	buf  []int16
}

func (d *downsampled) Pull(pcm []int16) {
	d.src.Pull(d.buf)
	n := d.down.Process(d.buf, pcm)
	clear(pcm[n:])
}
