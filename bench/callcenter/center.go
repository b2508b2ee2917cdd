package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"time"

	"agentbar/audio"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/sipfront"
)

// report is the benchmark's outcome.
type report struct {
	Calls    int           `json:"calls"`
	Duration time.Duration `json:"duration_ns"`

	Before     sample `json:"before"`      // center up, no agents
	Registered sample `json:"registered"`  // agents signed in
	Loaded     sample `json:"loaded"`      // all calls talking
	Peak       sample `json:"peak"`        // highest RSS and goroutines while talking
	AfterCalls sample `json:"after_calls"` // calls over, agents still registered
	AfterAll   sample `json:"after_all"`   // agents gone

	Setup            time.Duration `json:"setup_ns"` // first customer to last answer
	CenterCPUPercent float64       `json:"center_cpu_percent"`
	CenterCPUPerCall float64       `json:"center_cpu_percent_per_call"`
	AgentsCPUSeconds float64       `json:"agents_cpu_seconds"`
	MixerTicks       uint64        `json:"mixer_ticks"`
	MixerLate        uint64        `json:"mixer_late_ticks"`

	Answered      int          `json:"answered"`
	CDRsAnswered  int          `json:"cdrs_answered"`
	MediaChecked  int          `json:"media_checked"`
	CustomerHears int          `json:"customers_hearing_their_agent"`
	CenterHears   int          `json:"center_hearing_the_agent"`
	Agents        agentsReport `json:"agents"`

	GoroutineGrowth int      `json:"goroutine_growth"`
	FDGrowth        int      `json:"fd_growth"`
	Pass            bool     `json:"pass"`
	Failures        []string `json:"failures,omitempty"`
}

func runCenter(n int, talk time.Duration) (*report, error) {
	r := &report{Calls: n, Duration: talk}
	var pw [8]byte
	_, _ = rand.Read(pw[:])
	password := hex.EncodeToString(pw[:])
	cfg := callcenter.Config{
		Seed:    1,
		Tenants: []callcenter.TenantConfig{{ID: "bench"}},
		Queues:  []callcenter.QueueConfig{{Name: "bench", RingTimeout: 30 * time.Second}},
		Trunks:  []callcenter.TrunkConfig{{Number: "4000", Route: "queue:bench"}},
	}
	for i := range n {
		cfg.Agents = append(cfg.Agents, callcenter.AgentConfig{ID: strconv.Itoa(7000 + i), Password: password})
	}
	cc, err := callcenter.New(cfg)
	if err != nil {
		return nil, err
	}
	defer cc.Close()
	front, err := sipfront.New(cc, sipfront.Options{Addr: "127.0.0.1:0", MaxExpiry: 300 * time.Second})
	if err != nil {
		return nil, err
	}
	if err := front.Start(); err != nil {
		return nil, err
	}
	frontClosed := false
	defer func() {
		if !frontClosed {
			front.Close()
		}
	}()
	sub := cc.Subscribe()
	defer sub.Close()
	r.Before = settled()

	// The agents, in a child process.
	child := exec.Command(os.Args[0], "-role", "agents", "-registrar", front.Addr(), "-password", password, "-calls", strconv.Itoa(n))
	stdin, err := child.StdinPipe()
	if err != nil {
		return nil, err
	}
	var childOut bytes.Buffer
	child.Stdout, child.Stderr = &childOut, os.Stderr
	if err := child.Start(); err != nil {
		return nil, err
	}
	childDone := make(chan error, 1)
	go func() { childDone <- child.Wait() }()
	stopChild := func() error {
		stdin.Close()
		select {
		case err := <-childDone:
			return err
		case <-time.After(60 * time.Second):
			_ = child.Process.Kill()
			return fmt.Errorf("agents did not stop")
		}
	}
	ready := map[string]bool{}
	if err := waitFor(sub, 60*time.Second, func(ev callcenter.Event) bool {
		if s, ok := ev.(callcenter.AgentStateChanged); ok && s.To.Kind == callcenter.Ready {
			ready[s.Agent] = true
		}
		return len(ready) == n
	}); err != nil {
		stopChild()
		return r, fmt.Errorf("%d of %d agents signed in: %w", len(ready), n, err)
	}
	r.Registered = settled()

	// The customers: each talks for the duration, then hangs up.
	start := time.Now()
	var ids []callcenter.CallID
	for i := range n {
		hz := float64(300 + 50*(i%9))
		id, err := cc.CustomerCall(callcenter.Customer{
			Number: fmt.Sprintf("139%08d", i), Voice: callcenter.Voice{ToneHz: hz},
			Script: []callcenter.Step{{Kind: callcenter.StepSay, For: callcenter.Duration(talk)}, {Kind: callcenter.StepHangUp}},
		}, "4000")
		if err != nil {
			stopChild()
			return r, err
		}
		ids = append(ids, id)
	}
	talking := map[string]bool{}
	if err := waitFor(sub, 60*time.Second, func(ev callcenter.Event) bool {
		if s, ok := ev.(callcenter.AgentStateChanged); ok && s.To.Kind == callcenter.Talking {
			talking[s.Agent] = true
		}
		return len(talking) == n
	}); err != nil {
		stopChild()
		return r, fmt.Errorf("%d of %d calls answered: %w", len(talking), n, err)
	}
	r.Answered = len(talking)
	r.Setup = time.Since(start)
	ticks0, late0 := mixerStats(front)
	<-time.After(2 * time.Second)
	r.Loaded = measure()
	r.Peak = r.Loaded

	// Half way: is the audio there? The center's truth for every call.
	half := time.After(talk/2 - 2*time.Second)
	every := time.NewTicker(5 * time.Second)
	defer every.Stop()
	for waiting := true; waiting; {
		select {
		case <-every.C:
			r.Peak = peak(r.Peak, measure())
		case <-half:
			waiting = false
		}
	}
	for _, id := range ids {
		ci, ok := cc.Call(id)
		if !ok {
			continue
		}
		r.MediaChecked++
		if heard, err := front.Heard(id, callcenter.SimulatedCustomer, time.Second); err == nil && audio.Goertzel(heard, 8000, agentTone) > 0.05 {
			r.CustomerHears++
		}
		if said, err := front.Said(id, ci.Agent, time.Second); err == nil && audio.Goertzel(said, 8000, agentTone) > 0.05 {
			r.CenterHears++
		}
	}
	ended := 0
	endCPU := measure()
	if err := waitFor(sub, talk, func(ev callcenter.Event) bool {
		if _, ok := ev.(callcenter.CallEnded); ok {
			if ended == 0 {
				endCPU = measure()
			}
			ended++
		}
		if _, ok := ev.(callcenter.AgentStateChanged); ok && ended == 0 {
			r.Peak = peak(r.Peak, measure())
		}
		return ended == n
	}); err != nil {
		r.Failures = append(r.Failures, fmt.Sprintf("%d of %d calls ended: %v", ended, n, err))
	}
	r.CenterCPUPercent = cpuPercent(r.Loaded, endCPU)
	r.CenterCPUPerCall = r.CenterCPUPercent / float64(n)
	ticks1, late1 := mixerStats(front)
	r.MixerTicks, r.MixerLate = ticks1-ticks0, late1-late0
	for _, cdr := range cc.CDRs() {
		if cdr.Result == callcenter.ResultAnswered {
			r.CDRsAnswered++
		}
	}
	<-time.After(3 * time.Second)
	r.AfterCalls = settled()

	// The agents sign out and stop.
	if err := stopChild(); err != nil {
		r.Failures = append(r.Failures, "agents: "+err.Error())
	}
	if err := json.NewDecoder(io.Reader(&childOut)).Decode(&r.Agents); err != nil {
		r.Failures = append(r.Failures, "agents' report: "+err.Error())
	}
	r.AgentsCPUSeconds = r.Agents.CPU.Seconds()
	<-time.After(2 * time.Second)
	r.AfterAll = settled()
	r.GoroutineGrowth = r.AfterAll.Goroutines - r.Before.Goroutines
	r.FDGrowth = r.AfterAll.FDs - r.Before.FDs
	front.Close()
	frontClosed = true
	r.check()
	return r, nil
}

// mixerStats reads the mixer's counters through the front's rooms.
func mixerStats(f *sipfront.Front) (uint64, uint64) { return f.MixerStats() }

func peak(a, b sample) sample {
	if b.RSSKiB > a.RSSKiB {
		a.RSSKiB = b.RSSKiB
	}
	if b.Goroutines > a.Goroutines {
		a.Goroutines = b.Goroutines
	}
	if b.FDs > a.FDs {
		a.FDs = b.FDs
	}
	if b.HeapKiB > a.HeapKiB {
		a.HeapKiB = b.HeapKiB
	}
	return a
}

// waitFor reads events until done or the time is up.
func waitFor(sub *callcenter.Subscription, within time.Duration, done func(callcenter.Event) bool) error {
	deadline := time.After(within)
	for {
		select {
		case ev, ok := <-sub.C:
			if !ok {
				return fmt.Errorf("center closed")
			}
			if done(ev) {
				return nil
			}
		case <-deadline:
			return fmt.Errorf("timed out after %v", within)
		}
	}
}

// check decides whether the run passes.
func (r *report) check() {
	if r.Answered != r.Calls || r.CDRsAnswered != r.Calls {
		r.Failures = append(r.Failures, fmt.Sprintf("answered %d, CDRs answered %d, of %d", r.Answered, r.CDRsAnswered, r.Calls))
	}
	if r.CustomerHears < r.MediaChecked*99/100 || r.CenterHears < r.MediaChecked*99/100 || r.MediaChecked < r.Calls {
		r.Failures = append(r.Failures, fmt.Sprintf("audio: %d customers hear their agent, the center hears %d agents, of %d checked", r.CustomerHears, r.CenterHears, r.MediaChecked))
	}
	if r.Agents.Frames == 0 || float64(r.Agents.FramesWithSignal) < 0.95*float64(r.Agents.Frames) {
		r.Failures = append(r.Failures, fmt.Sprintf("agents heard something in %d of %d frames", r.Agents.FramesWithSignal, r.Agents.Frames))
	}
	if r.GoroutineGrowth > 5 {
		r.Failures = append(r.Failures, fmt.Sprintf("%d more goroutines after the run", r.GoroutineGrowth))
	}
	if r.FDGrowth > 2 {
		r.Failures = append(r.Failures, fmt.Sprintf("%d more open files after the run", r.FDGrowth))
	}
	r.Pass = len(r.Failures) == 0
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "callcenter load benchmark: %d concurrent calls with media for %v on loopback\n", r.Calls, r.Duration)
	fmt.Fprintf(w, "  before        %s\n", r.Before)
	fmt.Fprintf(w, "  registered    %s\n", r.Registered)
	fmt.Fprintf(w, "  talking       %s\n", r.Loaded)
	fmt.Fprintf(w, "  peak          %s\n", r.Peak)
	fmt.Fprintf(w, "  calls over    %s\n", r.AfterCalls)
	fmt.Fprintf(w, "  agents gone   %s\n", r.AfterAll)
	fmt.Fprintf(w, "  setup of %d calls: %v\n", r.Calls, r.Setup.Round(time.Millisecond))
	fmt.Fprintf(w, "  center CPU while talking: %.1f %% of one core (%.2f %% per call)\n", r.CenterCPUPercent, r.CenterCPUPerCall)
	fmt.Fprintf(w, "  agents' process CPU: %.1f s in all\n", r.AgentsCPUSeconds)
	fmt.Fprintf(w, "  mixer: %d ticks, %d late (> 20 ms behind)\n", r.MixerTicks, r.MixerLate)
	fmt.Fprintf(w, "  audio half way: %d/%d customers hear their agent; center hears %d/%d agents; agents heard signal in %d/%d frames\n",
		r.CustomerHears, r.MediaChecked, r.CenterHears, r.MediaChecked, r.Agents.FramesWithSignal, r.Agents.Frames)
	fmt.Fprintf(w, "  after the run: %+d goroutines, %+d open files\n", r.GoroutineGrowth, r.FDGrowth)
	if r.Pass {
		fmt.Fprintln(w, "  PASS")
		return
	}
	for _, f := range r.Failures {
		fmt.Fprintln(w, "  FAIL:", f)
	}
}
