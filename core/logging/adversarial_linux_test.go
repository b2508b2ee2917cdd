package logging

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Hostile text must cost time linear in its size: a log line is scrubbed
// on the caller's goroutine. Each input's CPU time (this thread's, so that
// other processes on a loaded machine do not count; the best of three) is
// compared with a baseline of the same size full of ordinary secret pairs;
// the race detector slows both alike. The quadratic paths this guards
// against took 100 to 1000 times the baseline.
func TestScrubAdversarialInputsStayFast(t *testing.T) {
	r := NewRedactor()
	r.AddSecret("aaaaaaaaab")
	const n = 1 << 18
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	scrubTime := func(in string) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range 3 {
			start := threadCPU(t)
			_ = r.Scrub(in)
			best = min(best, threadCPU(t)-start)
		}
		return best
	}
	baseline := scrubTime(strings.Repeat("password=x ", n/11))
	limit := max(60*baseline, 100*time.Millisecond)
	inputs := map[string]string{
		"unclosed brackets":  strings.Repeat(`password={"`, n/12),
		"unclosed quotes":    strings.Repeat(`token="`, n/7),
		"many separators":    strings.Repeat("pwd=", n/4),
		"long key":           strings.Repeat("k", n) + "=v",
		"long key colons":    strings.Repeat(strings.Repeat("k", 1000)+":", n/1000),
		"near-miss secret":   strings.Repeat("a", n),
		"digest params":      "Authorization: Digest " + strings.Repeat(`a="b", `, n/7),
		"bearer words":       strings.Repeat("bearer ", n/7),
		"userinfo lookalike": strings.Repeat("//u:", n/4),
		"brackets":           "secret=" + strings.Repeat("[", n),
		"unclosed per line":  strings.Repeat("password={\n", n/11),
		"quote per line":     strings.Repeat("token=\"\n", n/8),
		"sip chain":          strings.Repeat("sip:", n/4),
		"full-width colons":  strings.Repeat("k：", n/4),
	}
	for name, in := range inputs {
		if d := scrubTime(in); d > limit {
			t.Errorf("%s: %d bytes took %v (baseline %v, limit %v)", name, len(in), d, baseline, limit)
		} else if testing.Verbose() {
			t.Logf("%s: %v (%.1f× baseline)", name, d, float64(d)/float64(baseline))
		}
	}
}

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU(t *testing.T) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
