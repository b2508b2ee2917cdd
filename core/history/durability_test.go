//go:build unix

package history

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The helper process is this test binary run again with these variables set.
const (
	helperModeEnv = "AGENTBAR_HISTORY_HELPER"    // "idle" or "busy"
	helperDBEnv   = "AGENTBAR_HISTORY_HELPER_DB" // database path
)

// busyMarker is printed by a busy helper once it is writing in a loop.
const busyMarker = "WRITING"

// TestHelperProcess is not a test: it is the child that
// TestKilledProcessKeepsCommittedCalls kills. It records a call through a
// Writer, flushes, prints READY and then either blocks ("idle") or keeps
// rewriting a second call as fast as it can ("busy"), so that the kill lands
// in the middle of a transaction.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperModeEnv)
	if mode == "" {
		t.Skip("helper process for TestKilledProcessKeepsCommittedCalls")
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
	s, err := Open(os.Getenv(helperDBEnv))
	if err != nil {
		fail(err)
	}
	w := NewWriter(s, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	r := inbound("durable", 0, "13800138000")
	r.Updated = base.Add(time.Second)
	w.Submit(r)
	r.State, r.Answered, r.Updated = StateTalking, base.Add(3*time.Second), base.Add(3*time.Second)
	w.Submit(r)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := w.Flush(ctx); err != nil {
		fail(err)
	}
	busy := outbound("busy", 1, "95555")
	if mode == "busy" {
		if err := s.Begin(ctx, busy); err != nil {
			fail(err)
		}
	}
	fmt.Println("READY")
	if mode == "idle" {
		io.Copy(io.Discard, os.Stdin) // the parent never closes it
		fail(errors.New("stdin closed"))
	}
	for n := 1; ; n++ {
		busy.State = []string{StateTalking, StateHeld}[n%2]
		busy.UserData = map[string]string{"n": strconv.Itoa(n)}
		if err := s.Update(context.Background(), busy); err != nil {
			fail(err)
		}
		if n == 20 {
			fmt.Println(busyMarker)
		}
	}
}

// startHelper runs TestHelperProcess in mode and returns once it printed
// marker. Kill it with kill.
func startHelper(t *testing.T, mode, path, marker string) (kill func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperModeEnv+"="+mode, helperDBEnv+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe() // held open: the idle helper blocks on it
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == marker {
				close(seen)
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	kill = func() {
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred code, no Close
			t.Errorf("kill helper: %v", err)
		}
		<-readerDone
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Errorf("helper did not die of SIGKILL: %v\nstderr:\n%s", err, stderr.String())
		}
		stdin.Close()
	}
	select {
	case <-seen:
		return kill
	case <-readerDone:
		kill()
		t.Fatalf("helper exited before %s; stderr:\n%s", marker, stderr.String())
	case <-time.After(testTimeout):
		kill()
		t.Fatalf("helper did not print %s within %v; stderr:\n%s", marker, testTimeout, stderr.String())
	}
	return nil
}

func TestKilledProcessKeepsCommittedCalls(t *testing.T) {
	for _, mode := range []string{"idle", "busy"} {
		t.Run(mode, func(t *testing.T) {
			path := tempPath(t)
			marker := "READY"
			if mode == "busy" {
				marker = busyMarker
			}
			startHelper(t, mode, path, marker)()

			if mode == "idle" {
				// The calls are only in the WAL: nothing checkpointed them
				// into the main file, so reopening exercises WAL recovery.
				if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
					t.Fatalf("no WAL left by the killed process: %v", err)
				}
			}

			s := openStore(t, path)
			if got := pragma(t, s, "integrity_check"); got != "ok" {
				t.Fatalf("integrity_check = %q", got)
			}
			wantRecovered := map[string]int{"idle": 1, "busy": 2}[mode]
			if n := s.RecoveredInterrupted(); n != wantRecovered {
				t.Errorf("RecoveredInterrupted() = %d, want %d", n, wantRecovered)
			}
			ctx := testContext(t)
			r, err := s.Get(ctx, "durable")
			if err != nil {
				t.Fatalf("the flushed call is gone: %v", err)
			}
			if r.State != StateEnded || r.EndReason != EndReasonInterrupted ||
				!r.Answered.Equal(base.Add(3*time.Second)) || !r.Ended.Equal(base.Add(3*time.Second)) {
				t.Errorf("durable call = %+v, want ended/interrupted at its last update, answered kept", r)
			}
			events, err := s.Events(ctx, "durable")
			if err != nil {
				t.Fatal(err)
			}
			var timeline []string
			for _, e := range events {
				timeline = append(timeline, e.State+"@"+e.At.Sub(base).String())
			}
			if got, want := strings.Join(timeline, " "), "ringing@1s talking@3s ended@3s"; got != want {
				t.Errorf("timeline %q, want %q", got, want)
			}
			if mode == "busy" {
				checkBusyCall(t, s)
			}
		})
	}
}

// checkBusyCall verifies that the call the helper was rewriting when it died
// has a row and a timeline that agree: each Update's row change and event
// were committed together or not at all.
func checkBusyCall(t *testing.T, s *Store) {
	ctx := testContext(t)
	r, err := s.Get(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	events, err := s.Events(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(r.UserData["n"])
	if err != nil || n < 20 {
		t.Fatalf("busy call's counter = %q, want >= 20", r.UserData["n"])
	}
	// dialing, then one event per update, then the recovery entry.
	if len(events) != n+2 {
		t.Fatalf("busy call: %d events for %d updates; row and timeline disagree", len(events), n)
	}
	lastUpdate := events[len(events)-2]
	if wantState := []string{StateTalking, StateHeld}[n%2]; lastUpdate.State != wantState {
		t.Errorf("last update event state %s, want %s", lastUpdate.State, wantState)
	}
	if !r.Ended.Equal(lastUpdate.At) || !r.Ended.Equal(r.Updated) {
		t.Errorf("ended %v, want the last update's time %v", r.Ended, lastUpdate.At)
	}
	t.Logf("killed after %d committed updates", n)
}
