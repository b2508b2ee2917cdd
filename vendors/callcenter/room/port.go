package room

import (
	"context"
	"fmt"
	"sync"

	"agentbar/audio"
)

// LegPort connects a party to an RTP session (core/media): the session
// reads what the party hears with ReadFrame (one frame per mixer tick) and
// gives the party its voice with SetPlayback (the session's jitter
// buffer, pulled by the mixer).
type LegPort struct {
	party *Party

	free, full chan *[FrameSamples]int16
	closed     chan struct{}
	once       sync.Once
}

var (
	_ audio.Port       = (*LegPort)(nil)
	_ audio.RateBinder = (*LegPort)(nil)
)

// portFrames is the depth of a leg's outgoing queue: a sender that falls
// behind loses the oldest frames rather than carrying them as delay.
const portFrames = 4

// NewLegPort joins a party for a leg and returns its port.
func (r *Room) NewLegPort(id string) (*LegPort, *Party, error) {
	lp := &LegPort{
		free:   make(chan *[FrameSamples]int16, portFrames),
		full:   make(chan *[FrameSamples]int16, portFrames),
		closed: make(chan struct{}),
	}
	for range portFrames {
		lp.free <- new([FrameSamples]int16)
	}
	p, err := r.Join(id, lp.offer)
	if err != nil {
		return nil, nil, err
	}
	lp.party = p
	return lp, p, nil
}

// offer queues what the party hears for the sender. Mixer goroutine; never
// blocks.
func (lp *LegPort) offer(pcm []int16) {
	var buf *[FrameSamples]int16
	select {
	case buf = <-lp.free:
	default:
		select {
		case buf = <-lp.full: // drop the oldest
		default:
			return
		}
	}
	copy(buf[:], pcm)
	select {
	case lp.full <- buf:
	default:
		lp.free <- buf
	}
}

// SampleRate implements audio.Port.
func (lp *LegPort) SampleRate() int { return Rate }

// Bind implements audio.RateBinder: only 8000 Hz.
func (lp *LegPort) Bind(rate int) error {
	if rate != Rate {
		return fmt.Errorf("%w: %d Hz", ErrRate, rate)
	}
	return nil
}

// ReadFrame implements audio.Port.
func (lp *LegPort) ReadFrame(ctx context.Context, pcm []int16) error {
	if len(pcm) != FrameSamples {
		return fmt.Errorf("%w: frame of %d samples", audio.ErrShortBuffer, len(pcm))
	}
	select {
	case <-lp.closed: // before any frame still queued
		return audio.ErrClosed
	default:
	}
	select {
	case buf := <-lp.full:
		copy(pcm, buf[:])
		lp.free <- buf
		return nil
	case <-lp.closed:
		return audio.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SetPlayback implements audio.Port: what arrives from the endpoint is the
// party's voice.
func (lp *LegPort) SetPlayback(src audio.FrameSource) { lp.party.SetVoice(src) }

// Close implements audio.Port. The party stays in the room until Leave.
func (lp *LegPort) Close() error {
	lp.once.Do(func() { close(lp.closed) })
	return nil
}
