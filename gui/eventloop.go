package gui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"agentbar/audio"
	"agentbar/core"
)

// maxBatch bounds how many queued events one render absorbs, so that a
// flood still shows progress.
const maxBatch = 256

// meterInterval is how often the level meters are read while they show.
const meterInterval = 100 * time.Millisecond

// loop is the one place engine events enter the GUI. It owns the live
// board: it resyncs from Engine.Status at start, after a login and after
// dropped events; folds every event into the board; and hands a copy, plus
// the UI work that commands sent back, to the UI thread in one fyne.Do per
// batch. It is also the only goroutine that calls fyne.Do: the level
// meters and the sound devices' notices come through here too.
func (w *MainWindow) loop(sub *core.Subscription, ticks <-chan time.Time, ticker *time.Ticker) {
	defer close(w.done)
	if ticker != nil {
		defer ticker.Stop()
	}
	events := sub.C
	var devices <-chan audio.DeviceEvent
	if w.o.Audio != nil {
		devices = w.o.Audio.Events()
	}
	meters := newMeterClock(w.o.meterTicks)
	defer meters.stop()
	var mic deviceHold // the settings' microphone meter needs the devices running
	defer mic.set(nil, false)
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
		live.takeTransient()
		tasks = nil
		meters.want(w.o.Audio != nil && (len(live.calls) > 0 || w.metersWanted.Load()))
		mic.set(w.o.Audio, w.metersWanted.Load())

	wait:
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
		case ev, ok := <-devices:
			if !ok {
				devices = nil
				break wait
			}
			live.notice, live.noticeText = &deviceNotice{ev}, ""
		case <-ticks:
		case <-w.pokes:
			meters.want(w.o.Audio != nil && (len(live.calls) > 0 || w.metersWanted.Load()))
			mic.set(w.o.Audio, w.metersWanted.Load())
			goto wait
		case <-meters.c:
			// Only the meters change: no render, no settled hook.
			in, out := w.o.Audio.InputLevel(), w.o.Audio.OutputLevel()
			fyne.Do(func() {
				if w.uiGone() {
					return
				}
				w.showLevels(in, out)
			})
			goto wait
		}
	}
}

// meterClock ticks while the level meters show and stays silent otherwise,
// so that an idle window wakes once a second, not ten times.
type meterClock struct {
	fixed  <-chan time.Time // tests' ticks; used instead of a ticker
	ticker *time.Ticker
	c      <-chan time.Time
}

func newMeterClock(fixed <-chan time.Time) *meterClock { return &meterClock{fixed: fixed} }

func (m *meterClock) want(on bool) {
	switch {
	case on && m.c == nil && m.fixed != nil:
		m.c = m.fixed
	case on && m.c == nil:
		m.ticker = time.NewTicker(meterInterval)
		m.c = m.ticker.C
	case !on && m.c != nil:
		m.stop()
	}
}

func (m *meterClock) stop() {
	if m.ticker != nil {
		m.ticker.Stop()
		m.ticker = nil
	}
	m.c = nil
}

// deviceHold keeps the sound devices running while on (Audio.Hold): the
// pipeline pauses them when no call, tone or ringtone needs them, but the
// settings' microphone meter has to read the microphone. Loop goroutine.
type deviceHold struct{ release func() }

func (h *deviceHold) set(a Audio, on bool) {
	switch {
	case on && h.release == nil && a != nil:
		h.release = a.Hold()
	case !on && h.release != nil:
		h.release()
		h.release = nil
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
		if w.uiGone() {
			return
		}
		prev := w.shown
		w.shown = b
		for _, t := range tasks {
			t()
		}
		if prev.loggedIn && !b.loggedIn {
			w.refreshAccounts()
		}
		w.react(prev, b)
		w.render()
		if w.o.settled != nil {
			w.o.settled(b)
		}
	})
}

// uiGone reports, inside work handed to fyne.Do, that fyne ran it off the
// UI thread because the app is quitting (see Options.mainThread).
func (w *MainWindow) uiGone() bool { return w.o.mainThread && !onMainThread() }

// post hands UI work from any goroutine to the loop, which runs it on the
// UI thread. After Close the work is dropped.
func (w *MainWindow) post(task func()) {
	select {
	case w.tasks <- task:
	case <-w.done:
	}
}
