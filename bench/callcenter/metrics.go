package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sample is the process's resource use at one instant.
type sample struct {
	At         time.Time     `json:"at"`
	CPU        time.Duration `json:"cpu_ns"` // user + system since start
	RSSKiB     int64         `json:"rss_kib"`
	HeapKiB    uint64        `json:"heap_kib"`
	Goroutines int           `json:"goroutines"`
	FDs        int           `json:"fds"`
}

func measure() sample {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return sample{
		At:         time.Now(),
		CPU:        time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		RSSKiB:     rss(),
		HeapKiB:    ms.HeapAlloc / 1024,
		Goroutines: runtime.NumGoroutine(),
		FDs:        openFiles(),
	}
}

// settled measures after garbage collection, for before/after figures.
func settled() sample {
	runtime.GC()
	return measure()
}

func rss() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return -1
}

func openFiles() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// cpuPercent is the CPU used between two samples, in % of one core.
func cpuPercent(a, b sample) float64 {
	wall := b.At.Sub(a.At)
	if wall <= 0 {
		return 0
	}
	return 100 * float64(b.CPU-a.CPU) / float64(wall)
}

func (s sample) String() string {
	return fmt.Sprintf("rss %6.1f MiB  heap %6.1f MiB  goroutines %5d  fds %5d",
		float64(s.RSSKiB)/1024, float64(s.HeapKiB)/1024, s.Goroutines, s.FDs)
}
