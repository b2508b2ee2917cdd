package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"agentbar/audio"
	"agentbar/core/phone"
)

// agentTone is what every benchmark agent says.
const agentTone = 1000.0

// agentsReport is what the child prints when it stops.
type agentsReport struct {
	CPU              time.Duration `json:"cpu_ns"`
	Phones           int           `json:"phones"`
	CallsAnswered    int64         `json:"calls_answered"`
	Frames           int64         `json:"frames"`
	FramesWithSignal int64         `json:"frames_with_signal"`
}

// runAgents registers n agent phones that answer at once and talk, until
// stdin closes; then it prints its report on stdout.
func runAgents(registrar, password string, n int) error {
	var (
		phones   = make([]*phone.Phone, n)
		answered atomic.Int64
		frames   atomic.Int64
		signal   atomic.Int64
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
	)
	ctx := context.Background()
	sem := make(chan struct{}, 20)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ph, err := phone.New(phone.Config{
				URI: fmt.Sprintf("sip:%d@%s", 7000+i, registrar), Password: password, Register: true,
				Expiry: 300 * time.Second, LocalIP: net.IPv4(127, 0, 0, 1), AutoAnswer: true,
				UserAgent: "callcenter-bench",
				NewPort: func(rate int) (audio.Port, error) {
					return newEarPort(rate, &frames, &signal)
				},
			})
			if err == nil {
				err = ph.Start(ctx)
			}
			if err != nil {
				errMu.Lock()
				firstErr = err
				errMu.Unlock()
				return
			}
			phones[i] = ph
			go func() {
				for ev := range ph.Events() {
					if s, ok := ev.(phone.CallStateChanged); ok && s.State == phone.Talking {
						answered.Add(1)
					}
				}
			}()
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	// Run until the benchmark closes our stdin.
	_, _ = bufio.NewReader(os.Stdin).ReadString(0)
	closeCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for _, ph := range phones {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			_ = ph.Close(closeCtx)
		}()
	}
	wg.Wait()
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return json.NewEncoder(os.Stdout).Encode(agentsReport{
		CPU:    time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		Phones: n, CallsAnswered: answered.Load(), Frames: frames.Load(), FramesWithSignal: signal.Load(),
	})
}

// earPort is a benchmark agent's headset: it says agentTone in real time
// (paced by a ticker, like a sound card) and checks that it hears
// something in each frame.
type earPort struct {
	mic            audio.FrameSource
	playback       atomic.Pointer[box]
	heard          []int16
	tick           *time.Ticker
	closed         chan struct{}
	once           sync.Once
	frames, signal *atomic.Int64
}

type box struct{ src audio.FrameSource }

func newEarPort(rate int, frames, signal *atomic.Int64) (*earPort, error) {
	if rate != 8000 {
		return nil, fmt.Errorf("bench: %d Hz", rate)
	}
	return &earPort{
		mic: audio.NewTone(audio.TonePattern{Amplitude: 0.3, Repeat: true,
			Segments: []audio.ToneSegment{{Freqs: [2]float64{agentTone}, Duration: time.Second}}}, 8000),
		heard: make([]int16, 160), tick: time.NewTicker(audio.FrameDuration), closed: make(chan struct{}),
		frames: frames, signal: signal,
	}, nil
}

func (p *earPort) SampleRate() int { return 8000 }

func (p *earPort) ReadFrame(ctx context.Context, pcm []int16) error {
	select {
	case <-p.tick.C:
	case <-p.closed:
		return audio.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	p.mic.Pull(pcm)
	if b := p.playback.Load(); b != nil {
		b.src.Pull(p.heard)
		p.frames.Add(1)
		if audio.RMSdBFS(p.heard) > -40 {
			p.signal.Add(1)
		}
	}
	return nil
}

func (p *earPort) SetPlayback(src audio.FrameSource) {
	if src == nil {
		p.playback.Store(nil)
		return
	}
	p.playback.Store(&box{src: src})
}

func (p *earPort) Close() error {
	p.once.Do(func() {
		p.tick.Stop()
		close(p.closed)
	})
	return nil
}
