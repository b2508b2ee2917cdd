package demokit

import (
	"context"
	"net"
	"sync"
	"time"

	"agentbar/audio"
	"agentbar/core/phone"
)

// answerTimeout bounds a colleague's answer of a call that rang long
// enough: the caller may have given up meanwhile.
const answerTimeout = 10 * time.Second

// ColleagueConfig is one simulated colleague of a demo.
type ColleagueConfig struct {
	// Phone is the colleague's SIP account: URI and Password, and what the
	// platform wants besides (Proxy, RegisterHeaders, OnMessage, UserAgent,
	// Logger). StartColleague registers it from loopback (Register;
	// LocalIP 127.0.0.1 and Expiry 60 s unless set) and fills in NewPort
	// and AutoAnswer.
	Phone phone.Config
	// Voice is what the colleague says, a fresh source for each call.
	Voice func() audio.FrameSource
	// AnswerAfter is how long the colleague lets each call ring, asked
	// anew for each call; nil = the phone answers at once by itself.
	AnswerAfter func() time.Duration
}

// Colleague is a simulated agent: a real SIP phone registered with the
// demo center that answers what rings it and speaks, so that the demo's
// queue calls, transfers, consults and three-way calls have someone at the
// other end and the supervisor has calls to monitor.
type Colleague struct {
	ph     *phone.Phone
	cancel context.CancelFunc
	done   chan struct{}
}

// StartColleague registers the colleague's phone and starts answering.
func StartColleague(cfg ColleagueConfig) (*Colleague, error) {
	pc := cfg.Phone
	pc.Register = true
	if pc.Expiry == 0 {
		pc.Expiry = 60 * time.Second
	}
	if pc.LocalIP == nil {
		pc.LocalIP = net.IPv4(127, 0, 0, 1)
	}
	pc.AutoAnswer = cfg.AnswerAfter == nil
	speak := cfg.Voice
	pc.NewPort = func(rate int) (audio.Port, error) { return newVoicePort(rate, speak()) }
	ph, err := phone.New(pc)
	if err != nil {
		return nil, err
	}
	if err := ph.Start(context.Background()); err != nil {
		_ = ph.Close(context.Background())
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &Colleague{ph: ph, cancel: cancel, done: make(chan struct{})}
	go c.run(ctx, cfg.AnswerAfter)
	return c, nil
}

// run takes the phone's events: with the phone's auto-answer it only keeps
// the queue short; otherwise it answers each incoming call after its ring.
func (c *Colleague) run(ctx context.Context, answerAfter func() time.Duration) {
	defer close(c.done)
	var wg sync.WaitGroup
	defer wg.Wait()
	for ev := range c.ph.Events() {
		in, ok := ev.(phone.IncomingCall)
		if !ok || answerAfter == nil {
			continue
		}
		ring := answerAfter()
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTimer(ring)
			defer t.Stop()
			select {
			case <-t.C:
			case <-in.Call.Done():
				return
			case <-ctx.Done():
				return
			}
			actx, cancel := context.WithTimeout(ctx, answerTimeout)
			defer cancel()
			// An error means the caller gave up meanwhile: nothing to do.
			_ = in.Call.Answer(actx)
		}()
	}
}

// Close hangs up, unregisters and waits for the colleague to stop.
func (c *Colleague) Close(ctx context.Context) {
	c.cancel()
	_ = c.ph.Close(ctx)
	<-c.done
}
