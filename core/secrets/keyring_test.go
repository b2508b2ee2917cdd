package secrets

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// fakeBackend is go-keyring in memory, with knobs for the keyring's
// failures: an error on every call, calls that hang until released, a
// panic, a keyring that forgets or garbles what it is given.
type fakeBackend struct {
	mu      sync.Mutex
	values  map[string]string // service + "\x00" + user
	err     error
	block   chan struct{} // calls wait until it is closed
	entered chan string   // a call's op, as it starts
	panics  bool
	forgets bool // Set succeeds but keeps nothing
	garbles bool // Get returns something else
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{values: map[string]string{}, entered: make(chan string, 64)}
}

func (f *fakeBackend) enter(op string) error {
	f.entered <- op
	f.mu.Lock()
	block, err, panics := f.block, f.err, f.panics
	f.mu.Unlock()
	if block != nil {
		<-block
	}
	if panics {
		panic("interface conversion: interface {} is string, not bool")
	}
	return err
}

func (f *fakeBackend) Get(service, user string) (string, error) {
	if err := f.enter("get"); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.values[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	if f.garbles {
		return v + "?", nil
	}
	return v, nil
}

func (f *fakeBackend) Set(service, user, value string) error {
	if err := f.enter("set"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.forgets {
		f.values[service+"\x00"+user] = value
	}
	return nil
}

func (f *fakeBackend) Delete(service, user string) error {
	if err := f.enter("delete"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	k := service + "\x00" + user
	if _, ok := f.values[k]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.values, k)
	return nil
}

func (f *fakeBackend) stored() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]string{}
	for k, v := range f.values {
		out[k] = v
	}
	return out
}

// drain returns the ops entered so far, in order.
func (f *fakeBackend) drain() []string {
	var ops []string
	for {
		select {
		case op := <-f.entered:
			ops = append(ops, op)
		default:
			return ops
		}
	}
}

func TestKeyringContract(t *testing.T) {
	storeContract(t, func(*testing.T) Store { return newKeyring(newFakeBackend(), ServiceName, time.Second) })
}

func TestKeyringFilesUnderServiceAndUserKey(t *testing.T) {
	b := newFakeBackend()
	k := newKeyring(b, ServiceName, time.Second)
	must(t, k.Set("office", KindPassword, "pw"))
	got := b.stored()
	if len(got) != 1 || got["agentbar\x00office/password"] != "pw" {
		t.Fatalf("backend holds %q, want agentbar / office/password = pw", got)
	}
}

func TestKeyringRefusesBeforeCallingTheKeyring(t *testing.T) {
	b := newFakeBackend()
	k := newKeyring(b, ServiceName, time.Second)
	_ = k.Set("a/b", KindPassword, "x")
	_ = k.Set("office", KindPassword, "")
	_, _ = k.Get("", KindPassword)
	if ops := b.drain(); len(ops) != 0 {
		t.Fatalf("invalid calls reached the keyring: %v", ops)
	}
}

func TestKeyringClassifiesFailures(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantReason Reason
	}{
		{"no bus", &net.OpError{Op: "dial", Net: "unix", Addr: &net.UnixAddr{Name: "/nonexistent", Net: "unix"},
			Err: os.NewSyscallError("connect", syscall.ENOENT)}, ReasonNoBus},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), ReasonLocked},
		{"no address", errors.New("dbus: couldn't determine address of session bus"), ReasonNoBus},
		{"other", errors.New("something odd"), ReasonFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newFakeBackend()
			b.err = tt.err
			k := newKeyring(b, ServiceName, time.Second)
			err := k.Set("office", KindPassword, "pw")
			var ue *UnavailableError
			if !errors.As(err, &ue) {
				t.Fatalf("Set error %v (%T) is not an *UnavailableError", err, err)
			}
			if ue.Reason != tt.wantReason || ue.Op != OpSet || ue.Key != "office/password" {
				t.Errorf("got %+v, want reason %v op set key office/password", ue, tt.wantReason)
			}
			if !errors.Is(err, ErrNoSecretService) || errors.Is(err, ErrTimeout) || errors.Is(err, ErrNotFound) {
				t.Errorf("errors.Is wrong for %v", err)
			}
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.err.Error()) {
				t.Errorf("%q lost the keyring's own error %q", err, tt.err)
			}
		})
	}
}

func TestKeyringTimeoutHoldsTheTurn(t *testing.T) {
	b := newFakeBackend()
	block := make(chan struct{})
	b.block = block
	released := false
	release := func() {
		if !released {
			released = true
			close(block)
		}
	}
	defer release()
	const limit = 100 * time.Millisecond
	k := newKeyring(b, ServiceName, limit)

	start := time.Now()
	var err error
	within(t, 5*time.Second, func() { _, err = k.Get("office", KindPassword) })
	elapsed := time.Since(start)
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, ErrNoSecretService) {
		t.Fatalf("Get on a hung keyring = %v, want ErrTimeout", err)
	}
	var ue *UnavailableError
	if !errors.As(err, &ue) || ue.Reason != ReasonTimeout || ue.Timeout != limit || ue.Op != OpGet {
		t.Fatalf("got %#v, want ReasonTimeout after %v", ue, limit)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v does not say the deadline passed", err)
	}
	if elapsed < limit || elapsed > limit+2*time.Second {
		t.Errorf("Get returned after %v, want about %v", elapsed, limit)
	}

	// The hung call still holds the turn: the next one times out without
	// reaching the keyring.
	within(t, 5*time.Second, func() { err = k.Set("office", KindPassword, "pw") })
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Set behind a hung call = %v, want ErrTimeout", err)
	}
	if ops := b.drain(); len(ops) != 1 || ops[0] != "get" {
		t.Fatalf("keyring saw %v, want only the first get", ops)
	}

	// Once the keyring answers, calls go through again.
	b.mu.Lock()
	b.block = nil
	b.mu.Unlock()
	release()
	k2 := newKeyring(b, ServiceName, 5*time.Second)
	k2.turn = k.turn // same turn as the hung call
	within(t, 10*time.Second, func() { err = k2.Set("office", KindPassword, "pw") })
	if err != nil {
		t.Fatalf("Set after the keyring recovered: %v", err)
	}
}

func TestKeyringCallerDeadlineAndCancel(t *testing.T) {
	b := newFakeBackend()
	b.block = make(chan struct{})
	defer close(b.block)
	k := newKeyring(b, ServiceName, time.Minute)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	var err error
	within(t, 5*time.Second, func() { _, err = k.GetContext(ctx, "office", KindPassword) })
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("GetContext past the caller's deadline = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("GetContext took %v with a 50ms deadline", d)
	}
	var ue *UnavailableError
	if errors.As(err, &ue) && ue.Timeout >= time.Second {
		t.Errorf("Timeout = %v, want the caller's 50ms (rounded)", ue.Timeout)
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	within(t, 5*time.Second, func() { err = k.DeleteContext(ctx, "office", KindPassword) })
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrNoSecretService) {
		t.Fatalf("DeleteContext after cancel = %v, want context.Canceled and not a keyring failure", err)
	}
}

func TestKeyringSurvivesAPanickingKeyring(t *testing.T) {
	b := newFakeBackend()
	b.panics = true
	k := newKeyring(b, ServiceName, time.Second)
	_, err := k.Get("office", KindPassword)
	if !errors.Is(err, ErrNoSecretService) || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("Get = %v, want a keyring failure mentioning the panic", err)
	}
	b.mu.Lock()
	b.panics = false
	b.mu.Unlock()
	// The panic released the turn.
	must(t, k.Set("office", KindPassword, "pw"))
}

func TestAvailable(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(*fakeBackend)
		wantReason Reason // 0: available
		wantErr    error
	}{
		{"works", func(*fakeBackend) {}, 0, nil},
		{"locked", func(b *fakeBackend) { b.err = errors.New("failed to unlock correct collection '/x'") }, ReasonLocked, nil},
		{"forgets", func(b *fakeBackend) { b.forgets = true }, ReasonFailed, errProbeLost},
		{"garbles", func(b *fakeBackend) { b.garbles = true }, ReasonFailed, errProbeMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newFakeBackend()
			tt.setup(b)
			k := newKeyring(b, ServiceName, time.Second)
			err := k.Available(context.Background())
			if tt.wantReason == 0 {
				if err != nil {
					t.Fatalf("Available = %v", err)
				}
				if ops := b.drain(); strings.Join(ops, ",") != "set,get,delete" {
					t.Errorf("probe did %v, want set,get,delete", ops)
				}
				if left := b.stored(); len(left) != 0 {
					t.Errorf("probe left %q in the keyring", left)
				}
				return
			}
			var ue *UnavailableError
			if !errors.As(err, &ue) || ue.Reason != tt.wantReason || ue.Op != OpProbe {
				t.Fatalf("Available = %v, want an *UnavailableError with %v", err, tt.wantReason)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Available = %v, want it to wrap %v", err, tt.wantErr)
			}
		})
	}
}

func TestAvailableTimesOut(t *testing.T) {
	b := newFakeBackend()
	b.block = make(chan struct{})
	defer close(b.block)
	k := newKeyring(b, ServiceName, time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var err error
	within(t, 5*time.Second, func() { err = k.Available(ctx) })
	var ue *UnavailableError
	if !errors.As(err, &ue) || ue.Reason != ReasonTimeout || ue.Op != OpProbe || ue.Timeout != 200*time.Millisecond {
		t.Fatalf("Available on a hung keyring = %#v", err)
	}
	if s := ue.Sentence("en"); !strings.Contains(s, "0.2 seconds") {
		t.Errorf("sentence %q does not say how long it waited", s)
	}
}

// within runs call and fails the test if it has not returned after d, so a
// keyring call that hangs fails its test instead of the whole run.
func within(t *testing.T, d time.Duration, call func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		call()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("call still blocked after %v", d)
	}
}
