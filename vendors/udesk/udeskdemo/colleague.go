package udeskdemo

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"agentbar/audio"
	"agentbar/core/phone"
	"agentbar/vendors/callcenter/voice"
)

// colleague is a simulated agent: an IP phone registered with the center
// that answers what rings it and speaks a tone, so that transfers, consults
// and three-way calls of the demo have someone at the other end.
type colleague struct {
	ph   *phone.Phone
	done chan struct{}
}

func startColleague(log *slog.Logger, registrar, id, password string, hz float64) (*colleague, error) {
	ph, err := phone.New(phone.Config{
		URI: fmt.Sprintf("sip:%s@%s", id, registrar), Password: password, Register: true,
		Expiry: 60 * time.Second, LocalIP: net.IPv4(127, 0, 0, 1), AutoAnswer: true,
		UserAgent: "agentbar-udesk-demo-colleague", Logger: log.With("colleague", id),
		NewPort: func(rate int) (audio.Port, error) { return newTonePort(rate, voice.Tone(hz)) },
	})
	if err != nil {
		return nil, err
	}
	if err := ph.Start(context.Background()); err != nil {
		_ = ph.Close(context.Background())
		return nil, err
	}
	c := &colleague{ph: ph, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for range ph.Events() { // auto-answer does the work; keep the queue short
		}
	}()
	return c, nil
}

func (c *colleague) close(ctx context.Context) {
	_ = c.ph.Close(ctx)
	<-c.done
}

// tonePort is a colleague's voice: one frame of the source every 20 ms;
// what it hears is dropped.
type tonePort struct {
	src    audio.FrameSource
	tick   *time.Ticker
	closed chan struct{}
	once   sync.Once
}

func newTonePort(rate int, src audio.FrameSource) (*tonePort, error) {
	if rate != 8000 {
		return nil, fmt.Errorf("udeskdemo: colleague's port at %d Hz (8000 only)", rate)
	}
	return &tonePort{src: src, tick: time.NewTicker(audio.FrameDuration), closed: make(chan struct{})}, nil
}

func (p *tonePort) SampleRate() int { return 8000 }

func (p *tonePort) ReadFrame(ctx context.Context, pcm []int16) error {
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

func (p *tonePort) SetPlayback(audio.FrameSource) {}

func (p *tonePort) Close() error {
	p.once.Do(func() {
		p.tick.Stop()
		close(p.closed)
	})
	return nil
}
