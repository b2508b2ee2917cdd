package secrets

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// DefaultTimeout bounds each keyring call of a Keyring made by NewKeyring.
// It is long enough for the agent to answer a keyring unlock prompt and
// short enough that a hung D-Bus does not freeze sign-in.
const DefaultTimeout = 30 * time.Second

// probeUser is the keyring user Available writes and deletes. It has no
// '/', so it can never collide with an "<account>/<kind>" key.
const probeUser = "_probe"

// backend is the part of go-keyring agentbar uses; tests put fakes here.
type backend interface {
	Get(service, user string) (string, error)
	Set(service, user, value string) error
	Delete(service, user string) error
}

// osBackend is the operating system's keyring through go-keyring.
type osBackend struct{}

func (osBackend) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osBackend) Set(service, user, value string) error    { return keyring.Set(service, user, value) }
func (osBackend) Delete(service, user string) error        { return keyring.Delete(service, user) }

// Keyring is the Store backed by the OS keyring.
//
// go-keyring's calls cannot be cancelled and block for as long as D-Bus
// does, so each one runs on its own goroutine and the caller waits at most
// the timeout. Calls take turns: a call that never returns keeps the turn,
// and the calls after it time out waiting for the turn instead of piling
// up more goroutines stuck on D-Bus. An abandoned call may still complete
// later (a Set that timed out can end up saved). Make one with NewKeyring;
// the zero value is not usable.
type Keyring struct {
	backend backend
	service string
	timeout time.Duration
	turn    chan struct{} // holds one token while a call is in flight
}

var _ Store = (*Keyring)(nil)

// NewKeyring returns the OS keyring as a Store, each call bounded by
// DefaultTimeout.
func NewKeyring() *Keyring { return NewKeyringTimeout(DefaultTimeout) }

// NewKeyringTimeout is NewKeyring with another bound per call; d <= 0
// means DefaultTimeout.
func NewKeyringTimeout(d time.Duration) *Keyring {
	return newKeyring(osBackend{}, ServiceName, d)
}

func newKeyring(b backend, service string, timeout time.Duration) *Keyring {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Keyring{backend: b, service: service, timeout: timeout, turn: make(chan struct{}, 1)}
}

// Get returns the saved secret, ErrNotFound, or an *UnavailableError.
func (k *Keyring) Get(account, kind string) (string, error) {
	return k.GetContext(context.Background(), account, kind)
}

// Set saves the secret, replacing any saved before.
func (k *Keyring) Set(account, kind, value string) error {
	return k.SetContext(context.Background(), account, kind, value)
}

// Delete removes the saved secret; ErrNotFound if there was none.
func (k *Keyring) Delete(account, kind string) error {
	return k.DeleteContext(context.Background(), account, kind)
}

// GetContext is Get, giving up when ctx ends or the timeout passes.
func (k *Keyring) GetContext(ctx context.Context, account, kind string) (string, error) {
	key, err := UserKey(account, kind)
	if err != nil {
		return "", err
	}
	var value string
	err = k.do(ctx, OpGet, key, func() error {
		var err error
		value, err = k.backend.Get(k.service, key)
		return err
	})
	if err != nil {
		return "", err
	}
	return value, nil
}

// SetContext is Set, giving up when ctx ends or the timeout passes.
func (k *Keyring) SetContext(ctx context.Context, account, kind, value string) error {
	key, err := UserKey(account, kind)
	if err != nil {
		return err
	}
	if err := checkValue(value); err != nil {
		return fmt.Errorf("secrets: set %s: %w", key, err)
	}
	return k.do(ctx, OpSet, key, func() error {
		return k.backend.Set(k.service, key, value)
	})
}

// DeleteContext is Delete, giving up when ctx ends or the timeout passes.
func (k *Keyring) DeleteContext(ctx context.Context, account, kind string) error {
	key, err := UserKey(account, kind)
	if err != nil {
		return err
	}
	return k.do(ctx, OpDelete, key, func() error {
		return k.backend.Delete(k.service, key)
	})
}

// Available checks that the keyring works by saving, reading back and
// deleting a random value. It returns nil or an *UnavailableError (with
// ReasonTimeout when ctx or the Keyring's timeout ends first). Run it
// before offering "remember password".
func (k *Keyring) Available(ctx context.Context) error {
	var nonce [16]byte
	_, _ = rand.Read(nonce[:]) // crypto/rand.Read never fails
	want := hex.EncodeToString(nonce[:])
	return k.do(ctx, OpProbe, "", func() error {
		if err := k.backend.Set(k.service, probeUser, want); err != nil {
			return err
		}
		got, err := k.backend.Get(k.service, probeUser)
		if errors.Is(err, keyring.ErrNotFound) {
			return errProbeLost
		}
		if err != nil {
			return err
		}
		if got != want {
			return errProbeMismatch
		}
		err = k.backend.Delete(k.service, probeUser)
		if errors.Is(err, keyring.ErrNotFound) {
			return errProbeLost
		}
		return err
	})
}

// Available probes the OS keyring with a fresh Keyring; see
// Keyring.Available.
func Available(ctx context.Context) error {
	return NewKeyring().Available(ctx)
}

// Probe failures that are the keyring's fault, not "nothing saved".
var (
	errProbeLost     = errors.New("the probe secret was gone right after saving it")
	errProbeMismatch = errors.New("the probe secret read back differs from the one saved")
)

// do runs call on its own goroutine once it has the turn, and waits for it
// at most until ctx ends or the timeout passes.
func (k *Keyring) do(ctx context.Context, op, key string, call func() error) error {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, k.timeout)
	defer cancel()

	select {
	case k.turn <- struct{}{}:
	case <-ctx.Done():
		return abandoned(ctx, op, key, start)
	}
	done := make(chan error, 1)
	go func() {
		defer func() { <-k.turn }()
		done <- callSafely(call)
	}()
	select {
	case err := <-done:
		return classify(op, key, err)
	case <-ctx.Done():
		return abandoned(ctx, op, key, start)
	}
}

// callSafely runs call and turns a panic into an error: go-keyring asserts
// the types of D-Bus replies, and a misbehaving keyring daemon must not
// bring down the softphone mid-call.
func callSafely(call func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("keyring call panicked: %v", p)
		}
	}()
	return call()
}

// abandoned is the error for a call given up on because ctx ended.
func abandoned(ctx context.Context, op, key string, start time.Time) error {
	cause := context.Cause(ctx)
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// The caller cancelled: not the keyring's fault.
		if key == "" {
			return fmt.Errorf("secrets: %s: %w", op, cause)
		}
		return fmt.Errorf("secrets: %s %s: %w", op, key, cause)
	}
	limit := time.Since(start)
	if deadline, ok := ctx.Deadline(); ok {
		limit = deadline.Sub(start)
	}
	return &UnavailableError{
		Op:      op,
		Key:     key,
		Reason:  ReasonTimeout,
		Timeout: limit.Round(100 * time.Millisecond),
		Err:     cause,
	}
}
