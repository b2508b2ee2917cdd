package gui

import "sync"

// worker runs the window's side effects that may block — a D-Bus
// notification (a synchronous call that waits for the notification
// daemon), starting and stopping the ringer (opens a sound device), opening
// the browser, writing the autostart file — one at a time, in the order the
// UI thread queued them, on its own goroutine. The UI thread never waits for
// one, and a ring followed by a stop cannot arrive reversed.
type worker struct {
	mu     sync.Mutex
	queue  []func()
	closed bool
	wake   chan struct{}
	done   chan struct{}
}

func newWorker() *worker {
	w := &worker{wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.run()
	return w
}

// do queues fn; it never blocks. It reports false after close.
func (w *worker) do(fn func()) bool {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return false
	}
	w.queue = append(w.queue, fn)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return true
}

func (w *worker) run() {
	defer close(w.done)
	for range w.wake {
		for {
			w.mu.Lock()
			tasks, closed := w.queue, w.closed
			w.queue = nil
			w.mu.Unlock()
			for _, t := range tasks {
				t()
			}
			if len(tasks) == 0 {
				if closed {
					return
				}
				break
			}
		}
	}
}

// close runs what is queued, then stops the goroutine and waits for it.
func (w *worker) close() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		<-w.done
		return
	}
	w.closed = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.done
}
