package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"agentbar/audio"
	"agentbar/core/phone"
	"agentbar/vendors/callcenter/voice"
)

// colleague is a simulated agent of the demo: a real SIP phone registered
// with the center that answers its calls after a few seconds and talks.
type colleague struct {
	id    string
	hz    float64
	lines []string
}

func colleagues() []colleague {
	return []colleague{
		{id: "8002", hz: 1100, lines: []string{"您好，这里是演示公司售前咨询，请问有什么可以帮您？"}},
		{id: "8003", hz: 900, lines: []string{"您好，售后服务，请您说一下订单号。"}},
	}
}

// bot runs one colleague's phone.
type bot struct {
	ph     *phone.Phone
	cancel context.CancelFunc
	done   chan struct{}
}

func startBot(log *slog.Logger, registrar string, c colleague, password string, voices *voice.Library) (*bot, error) {
	speech := func() audio.FrameSource {
		for _, l := range c.lines {
			if s, ok := voices.Speech(l); ok {
				// Say the line, then a pause, again and again.
				pause := make([]int16, 8000*2)
				return voice.NewClip(append(append([]int16(nil), s...), pause...), true)
			}
		}
		return voice.Tone(c.hz)
	}
	ph, err := phone.New(phone.Config{
		URI: fmt.Sprintf("sip:%s@%s", c.id, registrar), Password: password, Register: true,
		Expiry: 60 * time.Second, LocalIP: net.IPv4(127, 0, 0, 1), UserAgent: "agentbar-demo-colleague",
		Logger:  log.With("colleague", c.id),
		NewPort: func(rate int) (audio.Port, error) { return newBotPort(rate, speech()) },
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &bot{ph: ph, cancel: cancel, done: make(chan struct{})}
	if err := ph.Start(ctx); err != nil {
		cancel()
		_ = ph.Close(context.Background())
		return nil, err
	}
	go b.run(ctx)
	return b, nil
}

// run answers incoming calls after 2-4 s, like a person.
func (b *bot) run(ctx context.Context) {
	defer close(b.done)
	var wg sync.WaitGroup
	defer wg.Wait()
	for ev := range b.ph.Events() {
		in, ok := ev.(phone.IncomingCall)
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTimer(time.Duration(2000+rand.IntN(2000)) * time.Millisecond)
			defer t.Stop()
			select {
			case <-t.C:
			case <-in.Call.Done():
				return
			case <-ctx.Done():
				return
			}
			actx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			// An error means the caller gave up meanwhile: nothing to do.
			_ = in.Call.Answer(actx)
		}()
	}
}

func (b *bot) close(ctx context.Context) {
	b.cancel()
	_ = b.ph.Close(ctx)
	<-b.done
}

// botPort is a colleague's headset: it speaks its source in real time
// (paced by a ticker, as a sound card would) and hears nothing.
type botPort struct {
	src    audio.FrameSource
	tick   *time.Ticker
	closed chan struct{}
	once   sync.Once
}

func newBotPort(rate int, src audio.FrameSource) (*botPort, error) {
	if rate != 8000 {
		return nil, fmt.Errorf("demo: colleague's port at %d Hz (8000 only)", rate)
	}
	return &botPort{src: src, tick: time.NewTicker(audio.FrameDuration), closed: make(chan struct{})}, nil
}

func (p *botPort) SampleRate() int { return 8000 }

func (p *botPort) ReadFrame(ctx context.Context, pcm []int16) error {
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

func (p *botPort) SetPlayback(audio.FrameSource) {}

func (p *botPort) Close() error {
	p.once.Do(func() {
		p.tick.Stop()
		close(p.closed)
	})
	return nil
}
