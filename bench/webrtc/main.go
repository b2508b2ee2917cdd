// Command webrtc measures, in one run, what a WebRTC call (Opus, ICE,
// DTLS-SRTP) costs against a plain G.711 call, and how long each takes
// from the INVITE to the first audio.
//
//	go run ./bench/webrtc [-seconds 10] [-calls 5]
//
// Two phones in this process call each other on loopback (SIP over TCP,
// no registrar), each with a headless 48 kHz sound card playing a tone:
// the same audio pipeline a headset gets. CPU is the process's user+system
// time (getrusage) during a steady call, minus the same window with both
// phones idle; it covers both ends of the call, so one agent's share is
// half of it. The INVITE-to-audio time runs from Dial to the first RTP
// packet at the caller (callee answering at once), median of -calls tries.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"syscall"
	"time"

	"agentbar/audio"
	"agentbar/core/phone"
)

func main() {
	seconds := flag.Int("seconds", 10, "length of each CPU window")
	calls := flag.Int("calls", 5, "calls for the INVITE-to-audio median")
	flag.Parse()
	// sipgo logs through the default logger; the figures are the output.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	if err := run(time.Duration(*seconds)*time.Second, *calls); err != nil {
		fmt.Fprintln(os.Stderr, "webrtc bench:", err)
		os.Exit(1)
	}
}

type mode struct {
	name   string
	media  string
	codecs []string
}

func run(window time.Duration, calls int) error {
	modes := []mode{
		{"G.711 (PCMU, plain RTP)", phone.MediaRTP, []string{"PCMU"}},
		{"Opus (WebRTC: ICE, DTLS-SRTP)", phone.MediaWebRTC, []string{"opus"}},
	}
	fmt.Printf("agentbar WebRTC bench: %v windows, %d calls per mode, GOMAXPROCS from %d CPUs\n", window, calls, numCPU())
	var cpu []float64
	for _, m := range modes {
		r, err := measure(m, window, calls)
		if err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		fmt.Printf("%-32s CPU (both ends) %5.2f %% of a core (idle %4.2f %%, in call %5.2f %%); INVITE to first audio: median %v (min %v, max %v)\n",
			m.name, r.net, r.idle, r.busy, r.median.Round(time.Millisecond), r.min.Round(time.Millisecond), r.max.Round(time.Millisecond))
		cpu = append(cpu, r.net)
	}
	if cpu[0] > 0 {
		fmt.Printf("ratio: one Opus WebRTC call costs %.2f× the CPU of one G.711 call\n", cpu[1]/cpu[0])
	}
	return nil
}

type result struct {
	idle, busy, net  float64
	median, min, max time.Duration
}

// measure runs one mode: idle window, call window, then timed calls.
func measure(m mode, window time.Duration, calls int) (result, error) {
	var r result
	caller, err := newEnd("caller", m, 1000)
	if err != nil {
		return r, err
	}
	defer caller.close()
	callee, err := newEnd("callee", m, 440)
	if err != nil {
		return r, err
	}
	defer callee.close()
	go callee.answerAll()

	r.idle = cpuDuring(window)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	call, err := caller.ph.Dial(ctx, callee.ph.Contact())
	if err != nil {
		return r, err
	}
	<-time.After(time.Second) // jitter buffers settle
	r.busy = cpuDuring(window)
	r.net = r.busy - r.idle
	if err := call.Hangup(ctx); err != nil {
		return r, err
	}

	var took []time.Duration
	for range calls {
		start := time.Now()
		c, err := caller.ph.Dial(ctx, callee.ph.Contact())
		if err != nil {
			return r, err
		}
		select {
		case <-c.FirstPacket():
			took = append(took, time.Since(start))
		case <-time.After(10 * time.Second):
			return r, fmt.Errorf("no audio 10 s after the INVITE")
		}
		if err := c.Hangup(ctx); err != nil {
			return r, err
		}
	}
	slices.Sort(took)
	r.median, r.min, r.max = took[len(took)/2], took[0], took[len(took)-1]
	return r, nil
}

// cpuDuring is the process's CPU use over d, in percent of one core.
func cpuDuring(d time.Duration) float64 {
	before, t0 := cpuTime(), time.Now()
	<-time.After(d)
	return float64(cpuTime()-before) / float64(time.Since(t0)) * 100
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func numCPU() int {
	n := 0
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for i := 0; i+9 < len(b); i++ {
			if string(b[i:i+9]) == "processor" && (i == 0 || b[i-1] == '\n') {
				n++
			}
		}
	}
	return n
}

// end is one phone with its headless sound card.
type end struct {
	ph   *phone.Phone
	pipe *audio.Pipeline
	done chan struct{}
}

func newEnd(user string, m mode, tone float64) (*end, error) {
	mic := audio.NewTone(audio.TonePattern{Name: "bench", Amplitude: 0.3, Repeat: true,
		Segments: []audio.ToneSegment{{Freqs: [2]float64{tone}, Duration: time.Second}}}, 48000)
	pipe, err := audio.NewVirtualPipeline(audio.VirtualOptions{Rate: 48000, Microphone: mic})
	if err != nil {
		return nil, err
	}
	ph, err := phone.New(phone.Config{
		URI: "sip:" + user + "@127.0.0.1", Transport: phone.TransportTCP, LocalIP: net.IPv4(127, 0, 0, 1),
		Media: m.media, Codecs: m.codecs, UserAgent: "agentbar-bench",
		Logger:  slog.New(slog.DiscardHandler),
		NewPort: func(rate int) (audio.Port, error) { return pipe.NewPort(rate) },
	})
	if err != nil {
		pipe.Close()
		return nil, err
	}
	if err := ph.Start(context.Background()); err != nil {
		pipe.Close()
		return nil, err
	}
	e := &end{ph: ph, pipe: pipe, done: make(chan struct{})}
	return e, nil
}

// answerAll answers every incoming call at once, until the phone closes.
func (e *end) answerAll() {
	defer close(e.done)
	for ev := range e.ph.Events() {
		if in, ok := ev.(phone.IncomingCall); ok {
			go in.Call.Answer(context.Background())
		}
	}
}

func (e *end) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e.ph.Close(ctx)
	e.pipe.Close()
}
