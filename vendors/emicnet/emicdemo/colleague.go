package emicdemo

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
	"agentbar/vendors/emicnet/wire"
)

// colleague is a simulated seat of the demo enterprise: a SIP phone
// registered with the platform (over UDP to the center's SIP front, as a
// desk phone would) that answers what rings it and speaks a tone, so that
// transfers and calls to extensions have someone at the other end and the
// supervisor has calls to monitor. Its event MESSAGEs are taken and dropped.
type colleague struct {
	ph   *phone.Phone
	done chan struct{}
}

func startColleague(log *slog.Logger, sipAddr, switchnumber, un, password string, hz float64) (*colleague, error) {
	ph, err := phone.New(phone.Config{
		URI: wire.AOR(un, switchnumber), Password: password, Register: true, Proxy: "sip:" + sipAddr,
		Expiry: 60 * time.Second, LocalIP: net.IPv4(127, 0, 0, 1), AutoAnswer: true,
		RegisterHeaders: map[string]string{wire.HeaderGid: "0"},
		OnMessage:       func(phone.Message) int { return 200 },
		UserAgent:       "agentbar-emicnet-demo-colleague", Logger: log.With("colleague", un),
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
		return nil, fmt.Errorf("emicdemo: colleague's port at %d Hz (8000 only)", rate)
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
