package audio

import "time"

// The supervisor is the one goroutine that starts and stops the headset's
// duplex device after start-up (setDevices aside): it starts it when the
// engine needs it, stops it (paused, still open: restarting takes
// milliseconds) after the linger when nothing does, and replaces a device
// that went away.

// reopenDelay is how long the supervisor waits between attempts when no
// device at all can be opened.
const reopenDelay = 2 * time.Second

// Watchdog timing: checked every watchdogEvery while a device is open; lost
// after stallLimit without a callback, or startupGrace if it never called
// back (PulseAudio's first callback comes about a second after start).
const (
	watchdogEvery = 250 * time.Millisecond
	stallLimit    = time.Second
	startupGrace  = 5 * time.Second
)

// wake tells the supervisor that the engine's use of the devices may have
// changed. It never blocks; one pending wake covers any number.
func (d *deviceDriver) wake() {
	select {
	case d.demand <- struct{}{}:
	default:
	}
}

// supervise runs until close.
//
//   - Demand: on a wake, a closed device is opened if the engine is in use
//     (a port, a tone, ringing, a hold). Whoever changes the use changes it
//     first and wakes after, so a wake that crosses a close reopens.
//   - Idle: while a device is open, a watchdog ticks; after linger without
//     use the device is closed and the ticker stops, so an idle pipeline
//     wakes nobody (a running device calls back every 10 ms).
//   - Loss: a device that stopped by itself is replaced with the system
//     default, announced, and retried while none can be opened (as long as
//     something needs one). Not every backend says when a device goes away
//     (PulseAudio killing our stream just stops the callbacks), so the
//     watchdog also treats a device whose callbacks stop for stallLimit as
//     lost; one that never called back at all is given startupGrace.
func (d *deviceDriver) supervise() {
	defer close(d.done)
	var (
		retry     <-chan time.Time
		watchdog  *time.Ticker
		watchGen  uint64
		lastCount uint64
		armed     bool
		quietFor  time.Duration
		idleFor   time.Duration
		wasOpen   bool
	)
	defer func() {
		if watchdog != nil {
			watchdog.Stop()
		}
	}()
	lost := func() {
		d.pipeline.notify(DeviceEvent{Kind: DeviceLost, Role: "duplex", Name: d.currentName()})
		retry = d.fallback()
	}
	for {
		open := d.isOpen()
		if open != wasOpen && d.observe != nil {
			d.observe(open)
		}
		wasOpen = open
		var tick <-chan time.Time
		switch {
		case open && watchdog == nil:
			watchdog = time.NewTicker(watchdogEvery)
			watchGen, idleFor = 0, 0
		case !open && watchdog != nil:
			watchdog.Stop()
			watchdog = nil
		}
		if watchdog != nil {
			tick = watchdog.C
		}
		select {
		case <-d.quit:
			return
		case <-d.demand:
			if !open && retry == nil && d.engine.inUse() {
				retry = d.openForUse()
			}
		case gen := <-d.stopped:
			if gen == d.generation.Load() {
				lost()
			}
		case <-retry:
			retry = nil
			if d.linger < 0 || d.engine.inUse() {
				retry = d.fallback()
			} // else nothing needs a device: the next use tries again
		case <-tick:
			// Idle time counts once the device has called back: pausing a
			// stream that has not finished starting (PulseAudio's first
			// callback comes seconds after start) would leave the next
			// use waiting for the rest of that start.
			if d.linger >= 0 && armed && !d.engine.inUse() {
				idleFor += watchdogEvery
				if idleFor >= d.linger && d.closeIdle() {
					continue
				}
			} else {
				idleFor = 0
			}
			if gen := d.generation.Load(); gen != watchGen {
				watchGen, lastCount, armed, quietFor = gen, d.engine.callbacks.Load(), false, 0
				continue
			}
			if c := d.engine.callbacks.Load(); c != lastCount {
				lastCount, armed, quietFor = c, true, 0
				continue
			}
			quietFor += watchdogEvery
			if (armed && quietFor >= stallLimit) || quietFor >= startupGrace {
				lost()
				watchGen = 0
			}
		}
	}
}

// isOpen reports whether the duplex device runs (open and started).
func (d *deviceDriver) isOpen() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dev != nil && d.running
}

// openForUse starts the devices because the engine needs them: the paused
// device again, or else the chosen devices afresh (a chosen one that has
// gone is announced and the default used); when they cannot be opened it
// falls back to the defaults, and returns a retry timer when even that
// fails.
func (d *deviceDriver) openForUse() <-chan time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed || d.running || d.resumeLocked() {
		return nil
	}
	err := d.openDuplex(true)
	if err == nil {
		d.pipeline.logger.Debug("audio: devices opened for use")
		return nil
	}
	d.pipeline.notify(DeviceEvent{Kind: DeviceFailed, Role: "duplex", Err: err})
	return d.fallbackLocked()
}

// closeIdle pauses the duplex device when nothing uses it; it reports
// whether it did. The meters then read silence, not the last frame.
func (d *deviceDriver) closeIdle() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed || d.dev == nil || !d.running || d.engine.inUse() {
		return false
	}
	d.pauseLocked()
	d.engine.inMeter.Reset()
	d.engine.outMeter.Reset()
	d.pipeline.logger.Debug("audio: devices paused while idle")
	return true
}

func (d *deviceDriver) currentName() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.nameLocked()
}

// nameLocked names the chosen devices, "" when both are the defaults.
func (d *deviceDriver) nameLocked() string {
	if d.captureID == "" && d.playbackID == "" {
		return ""
	}
	return d.captureID + "/" + d.playbackID
}

// fallback reopens on the default devices. It returns a retry timer when
// that fails.
func (d *deviceDriver) fallback() <-chan time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.fallbackLocked()
}

func (d *deviceDriver) fallbackLocked() <-chan time.Time {
	if d.closed {
		return nil
	}
	d.closeDuplexLocked()
	d.captureID, d.playbackID = "", ""
	if err := d.openDuplex(false); err != nil {
		d.pipeline.notify(DeviceEvent{Kind: DeviceFailed, Role: "duplex", Err: err})
		return time.After(reopenDelay)
	}
	d.pipeline.notify(DeviceEvent{Kind: DeviceFallback, Role: "duplex"})
	return nil
}
