package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure an Engine. Every field is optional.
type Options struct {
	// Registry to find platforms in; DefaultRegistry() when nil.
	Registry *Registry
	// Logger; discards when nil. The application passes a redacting logger.
	Logger *slog.Logger
	// Journal receives every call change (history). It must not block.
	Journal Journal
	// Normalize turns what the agent typed into a dialable number; the
	// application wires core/numbers. Identity (trimmed) when nil.
	Normalize func(raw string) (string, error)
	// Locate finds location and carrier for calls whose platform sent none.
	Locate func(number string) (location, carrier string)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// CommandTimeout bounds every platform request whose context has no
	// deadline of its own. 15 s when zero.
	CommandTimeout time.Duration
	// SubscriberBuffer is the default queue length per subscriber (256).
	SubscriberBuffer int
	// NewCallID makes call ids; random 16 hex digits when nil.
	NewCallID func() CallID
}

// Journal records calls durably. Record is called on the engine's loop for
// every change of every call, in order, and must return at once (queue the
// write); core/history's Writer is the real one.
type Journal interface {
	Record(r CallRecord)
}

// CallRecord is a call with the session it belongs to.
type CallRecord struct {
	Call     Call
	Account  string
	Platform string
}

// Engine is the agent engine: one session with one platform at a time, its
// agent state and calls, and the subscribers that watch them. Its methods
// are safe for concurrent use.
type Engine struct {
	opts Options
	log  *slog.Logger

	mu     sync.Mutex // guards queue and closed
	queue  []func()
	closed bool
	wake   chan struct{}
	done   chan struct{} // closed when the loop has exited

	st state // owned by the loop goroutine
}

// New starts an engine. Close it to stop its goroutine.
func New(opts Options) *Engine {
	if opts.Registry == nil {
		opts.Registry = DefaultRegistry()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.CommandTimeout <= 0 {
		opts.CommandTimeout = 15 * time.Second
	}
	if opts.SubscriberBuffer <= 0 {
		opts.SubscriberBuffer = 256
	}
	if opts.NewCallID == nil {
		opts.NewCallID = randomCallID
	}
	if opts.Normalize == nil {
		opts.Normalize = func(s string) (string, error) { return trimNumber(s) }
	}
	e := &Engine{
		opts: opts,
		log:  opts.Logger,
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	e.st.init(opts.Now())
	go e.loop()
	return e
}

// loop is the one goroutine that owns e.st. It runs queued tasks in order.
func (e *Engine) loop() {
	defer close(e.done)
	for range e.wake {
		for {
			e.mu.Lock()
			tasks := e.queue
			e.queue = nil
			closed := e.closed
			e.mu.Unlock()
			for _, t := range tasks {
				t()
			}
			if len(tasks) == 0 {
				if closed {
					e.closeSubscribers()
					return
				}
				break
			}
		}
	}
}

// post queues a task for the loop. It never blocks; the queue is unbounded
// because tasks come from commands (bounded by callers) and platform updates
// (a few per second), and blocking a platform's reader could deadlock it.
func (e *Engine) post(task func()) bool {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return false
	}
	e.queue = append(e.queue, task)
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
	return true
}

// do runs fn on the loop and waits for its result or ctx. A task the
// caller gave up on before it started never runs; one already running is
// waited for (tasks are short), so fn never writes the caller's variables
// after do has returned.
func (e *Engine) do(ctx context.Context, fn func(s *state) error) error {
	const (
		pending int32 = iota
		running
		abandoned
	)
	var claim atomic.Int32
	res := make(chan error, 1)
	task := func() {
		if claim.CompareAndSwap(pending, running) {
			res <- e.safely(fn)
		}
	}
	if !e.post(task) {
		return ErrClosed
	}
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		if claim.CompareAndSwap(pending, abandoned) {
			return context.Cause(ctx)
		}
		return <-res
	case <-e.done:
		if claim.CompareAndSwap(pending, abandoned) {
			return ErrClosed
		}
		return <-res
	}
}

// safely runs fn, turning a panic into an error so that a bug in one
// command cannot take the engine down.
func (e *Engine) safely(fn func(s *state) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e.log.Error("engine: panic in command", "panic", r)
			err = errors.New("core: internal error")
		}
	}()
	return fn(&e.st)
}

// Close signs out (if signed in), stops the loop and closes every
// subscription. It waits for the loop at most until ctx ends.
func (e *Engine) Close(ctx context.Context) error {
	err := e.Logout(ctx)
	if errors.Is(err, ErrNotLoggedIn) || errors.Is(err, ErrClosed) {
		err = nil
	}
	e.mu.Lock()
	already := e.closed
	e.closed = true
	e.mu.Unlock()
	if !already {
		select {
		case e.wake <- struct{}{}:
		default:
		}
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	return err
}

// withTimeout gives a platform request the default deadline when the
// caller's context has none.
func (e *Engine) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, e.opts.CommandTimeout)
}

// callVendor runs one platform request outside the loop, bounded in time,
// and wraps its failure for the agent.
func (e *Engine) callVendor(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	ctx, cancel := e.withTimeout(ctx)
	defer cancel()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				e.log.Error("engine: panic in platform adapter", "op", op, "panic", r)
				err = fmt.Errorf("platform adapter failed: %v", r)
			}
		}()
		return fn(ctx)
	}()
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = errors.Join(ErrTimeout, err)
	}
	e.log.Warn("engine: platform request failed", "op", op, "err", err)
	return &OpError{Op: op, Err: err}
}

func randomCallID() CallID {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return CallID(hex.EncodeToString(b[:]))
}
