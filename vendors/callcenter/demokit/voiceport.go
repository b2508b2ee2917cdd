package demokit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"agentbar/audio"
)

// voicePort is a colleague's headset: it speaks its source in real time
// (paced by a ticker, as a sound card would) and hears nothing.
type voicePort struct {
	src    audio.FrameSource
	tick   *time.Ticker
	closed chan struct{}
	once   sync.Once
}

func newVoicePort(rate int, src audio.FrameSource) (*voicePort, error) {
	if rate != 8000 {
		return nil, fmt.Errorf("%w: asked for %d Hz", ErrVoiceRate, rate)
	}
	return &voicePort{src: src, tick: time.NewTicker(audio.FrameDuration), closed: make(chan struct{})}, nil
}

func (p *voicePort) SampleRate() int { return 8000 }

func (p *voicePort) ReadFrame(ctx context.Context, pcm []int16) error {
	select {
	case <-p.tick.C:
		p.src.Pull(pcm)
		return nil
	case <-p.closed:
		return audio.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *voicePort) SetPlayback(audio.FrameSource) {}

func (p *voicePort) Close() error {
	p.once.Do(func() {
		p.tick.Stop()
		close(p.closed)
	})
	return nil
}
