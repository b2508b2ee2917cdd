package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The child-process side of the real-bus tests. godbus keeps one session
// bus connection per process, and a hung D-Bus call leaves a goroutine
// behind for good, so each of these runs in a fresh child of the test
// binary with its own DBUS_SESSION_BUS_ADDRESS.

const (
	helperModeEnv    = "AGENTBAR_SECRETS_HELPER"         // "probe-then-set"
	helperTimeoutEnv = "AGENTBAR_SECRETS_HELPER_TIMEOUT" // per-call bound, a time.Duration
)

// helperResult is one keyring call as the child saw it.
type helperResult struct {
	Op              string
	Error           string
	Reason          Reason
	NoSecretService bool
	Timeout         bool
	Zh, En          string
	Elapsed         time.Duration
}

// runHelper runs in the child: a probe, then a Set, each reported as one
// JSON line on stdout.
func runHelper(mode string) int {
	if mode != "probe-then-set" {
		fmt.Fprintf(os.Stderr, "unknown helper mode %q\n", mode)
		return 2
	}
	timeout, err := time.ParseDuration(os.Getenv(helperTimeoutEnv))
	if err != nil {
		timeout = 3 * time.Second
	}
	k := NewKeyringTimeout(timeout)
	enc := json.NewEncoder(os.Stdout)
	report := func(op string, call func() error) {
		start := time.Now()
		err := call()
		r := helperResult{Op: op, Elapsed: time.Since(start)}
		if err != nil {
			r.Error = err.Error()
			r.NoSecretService = errors.Is(err, ErrNoSecretService)
			r.Timeout = errors.Is(err, ErrTimeout)
			var ue *UnavailableError
			if errors.As(err, &ue) {
				r.Reason, r.Zh, r.En = ue.Reason, ue.Sentence("zh"), ue.Sentence("en")
			}
		}
		_ = enc.Encode(r)
	}
	report(OpProbe, func() error { return k.Available(context.Background()) })
	report(OpSet, func() error { return k.Set("office", KindPassword, "pw") })
	return 0
}

// runChild runs the helper in a child process on the given bus and returns
// what it saw. The child gets a throwaway HOME so nothing it might start
// touches the real one.
func runChild(t *testing.T, busAddress string, callTimeout time.Duration) []helperResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env,
		"DBUS_SESSION_BUS_ADDRESS="+busAddress,
		"HOME="+t.TempDir(),
		helperModeEnv+"=probe-then-set",
		helperTimeoutEnv+"="+callTimeout.String(),
	)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\nstderr: %s", err, stderr.String())
	}
	var results []helperResult
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var r helperResult
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("child output %q: %v", out, err)
		}
		results = append(results, r)
	}
	if len(results) != 2 {
		t.Fatalf("child reported %d results, want 2: %s\nstderr: %s", len(results), out, stderr.String())
	}
	return results
}

// checkUnavailable asserts a child's result is the classified failure, with
// sentences in both languages, within the time allowed.
func checkUnavailable(t *testing.T, r helperResult, want Reason, within time.Duration) {
	t.Helper()
	if r.Reason != want || !r.NoSecretService {
		t.Errorf("%s: reason %v (ErrNoSecretService %v), want %v; error: %s", r.Op, r.Reason, r.NoSecretService, want, r.Error)
	}
	if want == ReasonTimeout && !r.Timeout {
		t.Errorf("%s: %s does not match ErrTimeout", r.Op, r.Error)
	}
	if !hasHan(r.Zh) || !strings.Contains(r.Zh, "记住密码") || !strings.Contains(r.En, "Remember password") {
		t.Errorf("%s: sentences zh %q en %q", r.Op, r.Zh, r.En)
	}
	if r.Elapsed > within {
		t.Errorf("%s took %v, want at most %v", r.Op, r.Elapsed, within)
	}
}
