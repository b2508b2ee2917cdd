// Command callcenter is the load benchmark of the simulated call center:
// N simulated customers bridged to N SIP agent endpoints with media, for a
// given time, on loopback. The center (registrar, B2BUA, mixing rooms, RTP)
// runs in this process; the agent endpoints (agentbar's own SIP user agent,
// core/phone, with a tone for a voice) run in a child process, so the
// figures below are the center's own. It reports CPU time, resident memory,
// goroutines and open files before, during and after, and checks that the
// audio flowed both ways.
//
//	go run ./bench/callcenter -calls 200 -duration 60s
//
// See bench/callcenter.sh.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"
)

func main() {
	role := flag.String("role", "center", "center (the benchmark) or agents (the child it starts)")
	calls := flag.Int("calls", 200, "concurrent calls")
	duration := flag.Duration("duration", time.Minute, "how long the calls talk")
	registrar := flag.String("registrar", "", "agents: the center's SIP address")
	password := flag.String("password", "", "agents: the agents' password")
	jsonOut := flag.String("json", "", "center: also write the report as JSON to this file")
	cpuProfile := flag.String("cpuprofile", "", "center: write a CPU profile of the run")
	memProfile := flag.String("memprofile", "", "center: write an allocation profile at the end")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "callcenter bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		defer func() {
			if f, err := os.Create(*memProfile); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	var err error
	switch *role {
	case "center":
		var r *report
		r, err = runCenter(*calls, *duration)
		if r != nil {
			r.print(os.Stdout)
			if *jsonOut != "" {
				b, _ := json.MarshalIndent(r, "", "  ")
				err = os.WriteFile(*jsonOut, b, 0o644)
			}
			if err == nil && !r.Pass {
				err = fmt.Errorf("the benchmark's checks failed")
			}
		}
	case "agents":
		err = runAgents(*registrar, *password, *calls)
	default:
		err = fmt.Errorf("unknown role %q", *role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "callcenter bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}
