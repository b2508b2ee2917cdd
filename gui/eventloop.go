package gui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"agentbar/core"
)

// maxBatch bounds how many queued events one render absorbs, so that a
// flood still shows progress.
const maxBatch = 256

// loop is the one place engine events enter the GUI. It owns the live
// board: it resyncs from Engine.Status at start, after a login and after
// dropped events; folds every event into the board; and hands a copy, plus
// the UI work that commands sent back, to the UI thread in one fyne.Do per
// batch. It is also the only goroutine that calls fyne.Do.
func (w *MainWindow) loop(sub *core.Subscription, ticks <-chan time.Time, ticker *time.Ticker) {
	defer close(w.done)
	if ticker != nil {
		defer ticker.Stop()
	}
	events := sub.C
	var (
		live   board
		resync = true
		tasks  []func()
		// full: the subscription's queue was seen full, so the engine may
		// have dropped events for us. It says so (EventsDropped) only with
		// its next event, which may not come for a while after a burst:
		// resync as soon as the queue is drained instead of waiting.
		full bool
	)
	for {
		if full && len(events) == 0 {
			resync, full = true, false
		}
		if resync {
			live = w.resync(live)
			resync = false
		}
		w.show(live.snapshot(), tasks)
		tasks = nil

		select {
		case <-w.stop:
			return
		case ev, ok := <-events:
			if !ok {
				// The engine closed: nothing more will come. Keep serving
				// commands' results until Close.
				events = nil
				continue
			}
			full = full || len(events) == cap(events)-1
			resync = live.apply(ev) || resync
		drainEvents:
			for n := 1; n < maxBatch; n++ {
				select {
				case ev, ok := <-events:
					if !ok {
						events = nil
						break drainEvents
					}
					resync = live.apply(ev) || resync
				default:
					break drainEvents
				}
			}
		case t := <-w.tasks:
			tasks = append(tasks, t)
		drainTasks:
			for len(tasks) < maxBatch {
				select {
				case t := <-w.tasks:
					tasks = append(tasks, t)
				default:
					break drainTasks
				}
			}
		case <-ticks:
		}
	}
}

// resync replaces the board with a fresh engine snapshot. The engine
// answers from its own loop, without the network.
//
// The context is deliberately not the window's (which Close cancels): when
// Engine.Status gives up on a cancelled context, the engine's loop still
// fills in the snapshot afterwards, racing the caller's read (a core issue
// reported to the lead). A bounded background context avoids that race.
func (w *MainWindow) resync(prev board) board {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := w.engine.Status(ctx)
	if err != nil {
		w.log.Warn("gui: engine status", "err", err)
		return prev
	}
	return boardFromStatus(st).keep(prev)
}

// show runs the commands' UI work and renders the board, on the UI thread.
func (w *MainWindow) show(b board, tasks []func()) {
	fyne.Do(func() {
		wasIn := w.shown.loggedIn
		w.shown = b
		for _, t := range tasks {
			t()
		}
		if wasIn && !b.loggedIn {
			w.refreshAccounts()
		}
		w.render()
		if w.o.settled != nil {
			w.o.settled(b)
		}
	})
}

// post hands UI work from any goroutine to the loop, which runs it on the
// UI thread. After Close the work is dropped.
func (w *MainWindow) post(task func()) {
	select {
	case w.tasks <- task:
	case <-w.done:
	}
}
