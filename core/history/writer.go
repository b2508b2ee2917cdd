package history

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Default retry backoff of a Writer.
const (
	DefaultMinBackoff = 100 * time.Millisecond
	DefaultMaxBackoff = 5 * time.Second
)

// Writer is the journal the engine writes the history through. Submit never
// blocks: records go to an in-memory queue, and one goroutine saves them to
// the Store in submission order. A write that fails is logged and retried
// with backoff until it succeeds; the records behind it wait, so the order
// holds. Only a record that can never be written (ErrInvalidRecord) is
// discarded, with an error in the log.
//
// The queue is unbounded on purpose. Call events are rare (a few a minute),
// so even a database locked for an hour holds a few hundred small records in
// memory, while a bounded queue would have to either block the engine or drop
// history, which are both worse.
type Writer struct {
	store                  *Store
	logger                 *slog.Logger
	minBackoff, maxBackoff time.Duration

	mu        sync.Mutex
	queue     []Record
	submitted uint64 // records accepted by Submit
	done      uint64 // records saved or discarded
	flushers  []flusher
	closed    bool
	stats     WriterStats

	wake chan struct{} // capacity 1: "the queue is not empty"
	// ctx ends when Close gives up: it cancels the write in progress and
	// ends the goroutine. Callers' contexts never cancel a write.
	ctx    context.Context
	stop   context.CancelFunc
	exited chan struct{}
}

// WriterStats counts what a Writer did.
type WriterStats struct {
	Submitted uint64 // records accepted by Submit
	Saved     uint64 // records on disk
	Retries   uint64 // failed attempts that were retried
	Discarded uint64 // invalid records, and records submitted after Close
}

type flusher struct {
	target uint64 // done once this many records are done
	ch     chan struct{}
}

// WriterOption adjusts NewWriter.
type WriterOption func(*Writer)

// WithBackoff sets the delay before the first retry of a failed write; it
// doubles on each further failure of the same record, up to ceiling.
func WithBackoff(first, ceiling time.Duration) WriterOption {
	return func(w *Writer) { w.minBackoff, w.maxBackoff = first, ceiling }
}

// NewWriter starts a Writer on store. logger may be nil (no logging). Close
// it before closing the store.
func NewWriter(store *Store, logger *slog.Logger, opts ...WriterOption) *Writer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	w := &Writer{
		store:      store,
		logger:     logger,
		minBackoff: DefaultMinBackoff,
		maxBackoff: DefaultMaxBackoff,
		wake:       make(chan struct{}, 1),
		exited:     make(chan struct{}),
	}
	w.ctx, w.stop = context.WithCancel(context.Background())
	for _, opt := range opts {
		opt(w)
	}
	w.maxBackoff = max(w.maxBackoff, w.minBackoff)
	go w.run()
	return w
}

// Submit queues a record to be saved (inserted if new, updated otherwise).
// It never blocks and may be called from any goroutine. The record is copied,
// and Updated is stamped with the current time if unset, so the timeline keeps
// the time of the change even when the disk is slow.
func (w *Writer) Submit(r Record) {
	r = r.Clone()
	if r.Updated.IsZero() {
		r.Updated = time.Now()
	}
	w.mu.Lock()
	if w.closed {
		w.stats.Discarded++
		w.mu.Unlock()
		w.logger.Error("call history: record submitted after close, not saved",
			"call", r.ID, "state", r.State)
		return
	}
	w.queue = append(w.queue, r)
	w.submitted++
	w.stats.Submitted++
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default: // already signalled
	}
}

// Flush waits until every record submitted before the call is on disk (or
// discarded as invalid), or ctx ends.
func (w *Writer) Flush(ctx context.Context) error {
	w.mu.Lock()
	if w.done >= w.submitted {
		w.mu.Unlock()
		return nil
	}
	f := flusher{target: w.submitted, ch: make(chan struct{})}
	w.flushers = append(w.flushers, f)
	w.mu.Unlock()
	select {
	case <-f.ch:
		return nil
	case <-w.exited:
		return fmt.Errorf("history: flush: %w", ErrClosed)
	case <-ctx.Done():
		return fmt.Errorf("history: flush: %w", context.Cause(ctx))
	}
}

// Close stops accepting records, waits until the queue is on disk, and stops
// the goroutine. If ctx ends first, Close stops anyway and returns an
// *UnsavedError naming the calls whose records were not saved (they are
// logged too). Close does not close the Store.
func (w *Writer) Close(ctx context.Context) error {
	w.mu.Lock()
	already := w.closed
	w.closed = true
	w.mu.Unlock()
	if already {
		<-w.exited
		return nil
	}
	flushErr := w.Flush(ctx)
	w.stop()
	<-w.exited
	if flushErr == nil {
		return nil
	}
	w.mu.Lock()
	ids := make([]string, len(w.queue))
	for i, r := range w.queue {
		ids[i] = r.ID
	}
	w.mu.Unlock()
	if len(ids) == 0 { // the last write landed as Flush gave up
		return nil
	}
	err := &UnsavedError{CallIDs: ids, Err: flushErr}
	w.logger.Error("call history: records not saved at close", "calls", ids, "err", flushErr)
	return err
}

// Stats returns the counters so far.
func (w *Writer) Stats() WriterStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}

// run is the writer goroutine: it owns the writes, one record at a time.
func (w *Writer) run() {
	defer close(w.exited)
	for {
		w.mu.Lock()
		if len(w.queue) == 0 {
			w.mu.Unlock()
			select {
			case <-w.wake:
				continue
			case <-w.ctx.Done():
				return
			}
		}
		r := w.queue[0]
		w.mu.Unlock()
		saved, ok := w.save(w.ctx, r)
		if !ok {
			return // stopped while retrying; r stays queued for Close to report
		}
		w.mu.Lock()
		w.queue[0] = Record{} // let the GC have it
		w.queue = w.queue[1:]
		w.done++
		if saved {
			w.stats.Saved++
		} else {
			w.stats.Discarded++
		}
		w.releaseFlushers()
		w.mu.Unlock()
	}
}

// save writes one record, retrying with backoff. It reports whether the
// record was saved (false: discarded as invalid) and ok=false if the writer
// was stopped before the record was done.
func (w *Writer) save(ctx context.Context, r Record) (saved, ok bool) {
	backoff := w.minBackoff
	for attempt := 1; ; attempt++ {
		err := w.store.Save(ctx, r)
		switch {
		case err == nil:
			if attempt > 1 {
				w.logger.Info("call history: write succeeded after retries", "call", r.ID, "attempts", attempt)
			}
			return true, true
		case errors.Is(err, ErrInvalidRecord):
			w.logger.Error("call history: invalid record discarded", "call", r.ID, "state", r.State, "err", err)
			return false, true
		case ctx.Err() != nil:
			return false, false
		}
		w.mu.Lock()
		w.stats.Retries++
		w.mu.Unlock()
		w.logger.Warn("call history: write failed, will retry",
			"call", r.ID, "state", r.State, "attempt", attempt, "retry_in", backoff, "err", err)
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return false, false
		}
		backoff = min(2*backoff, w.maxBackoff)
	}
}

// releaseFlushers wakes the Flush calls whose records are all done. w.mu is
// held.
func (w *Writer) releaseFlushers() {
	kept := w.flushers[:0]
	for _, f := range w.flushers {
		if w.done >= f.target {
			close(f.ch)
		} else {
			kept = append(kept, f)
		}
	}
	w.flushers = kept
}
