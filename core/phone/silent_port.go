package phone

import (
	"context"
	"sync"
	"time"

	"agentbar/audio"
)

// silentPort is the audio of a call when Config.NewPort is nil: a
// microphone that gives silence at the real frame pace, and a speaker that
// drops what it gets.
type silentPort struct {
	rate      int
	tick      *time.Ticker
	closeOnce sync.Once
	closed    chan struct{}
}

var _ audio.Port = (*silentPort)(nil)

func newSilentPort(rate int) *silentPort {
	return &silentPort{rate: rate, tick: time.NewTicker(audio.FrameDuration), closed: make(chan struct{})}
}

func (s *silentPort) SampleRate() int { return s.rate }

func (s *silentPort) ReadFrame(ctx context.Context, pcm []int16) error {
	select {
	case <-s.tick.C:
		clear(pcm)
		return nil
	case <-s.closed:
		return ErrCallEnded
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *silentPort) SetPlayback(audio.FrameSource) {}

func (s *silentPort) Close() error {
	s.closeOnce.Do(func() {
		s.tick.Stop()
		close(s.closed)
	})
	return nil
}
