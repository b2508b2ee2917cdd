package gui

import (
	"net/url"
	"time"

	"fyne.io/fyne/v2"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/config"
)

// alertState is what the window has done about calls so far: which ringing
// calls it announced, which answered calls it screen-popped, the auto-answer
// timers, whether the ringer plays, and the missed calls not yet seen.
// UI thread.
type alertState struct {
	announced  map[core.CallID]bool
	popped     map[core.CallID]bool
	autoAnswer map[core.CallID]*time.Timer
	preview    *time.Timer // stops the ringtone tried in the settings
	ringing    bool
	missed     int
}

func newAlertState() alertState {
	return alertState{
		announced: map[core.CallID]bool{}, popped: map[core.CallID]bool{},
		autoAnswer: map[core.CallID]*time.Timer{},
	}
}

func (a *alertState) stopTimers() {
	if a.preview != nil {
		a.preview.Stop()
	}
	for id, t := range a.autoAnswer {
		t.Stop()
		delete(a.autoAnswer, id)
	}
}

// react does what a change of the board calls for beyond drawing it: load
// the new session's lists; announce a new ringing call (notification,
// auto-answer); screen-pop an answered call; count missed calls; and keep
// the ringer playing exactly while a call rings. The popup and the tray
// follow the board in render. UI thread.
func (w *MainWindow) react(prev, b board) {
	if b.loggedIn && (!prev.loggedIn || prev.account != b.account) {
		w.loadSessionLists(b)
	}
	w.wallModel.apply(b.agents)
	for _, c := range b.calls {
		if c.State == core.CallRinging && !w.alerts.announced[c.ID] {
			w.alerts.announced[c.ID] = true
			w.announce(c)
			w.scheduleAutoAnswer(c)
		}
		if c.Direction == core.Inbound && !c.Answered.IsZero() && !w.alerts.popped[c.ID] {
			w.alerts.popped[c.ID] = true
			w.screenPop(c, b)
		}
	}
	for id, t := range w.alerts.autoAnswer {
		if c, ok := b.call(id); !ok || c.State != core.CallRinging {
			t.Stop()
			delete(w.alerts.autoAnswer, id)
		}
	}
	for _, c := range b.ended {
		// A missed call counts as unseen unless the history is in view.
		if missedCall(c) && (w.hidden || w.tabs.Selected() != w.historyTab) {
			w.alerts.missed++
		}
		delete(w.alerts.announced, c.ID)
		delete(w.alerts.popped, c.ID)
	}
	if len(b.ended) > 0 {
		w.history.callsEnded()
	}
	w.setRinging(b.ringing() && w.settings.Notifications.Sound)
}

// missedCall: an inbound call that ended without being answered, and not
// because the agent turned it down.
func missedCall(c core.Call) bool {
	if c.Direction != core.Inbound || !c.Answered.IsZero() {
		return false
	}
	return c.EndReason == core.EndMissed || c.EndReason == core.EndRemoteHangup
}

// setRinging starts or stops the ringtone on the ringer device.
func (w *MainWindow) setRinging(on bool) {
	if on == w.alerts.ringing {
		return
	}
	w.alerts.ringing = on
	a := w.o.Audio
	if a == nil {
		return
	}
	log := w.log
	w.worker.do(func() {
		var err error
		if on {
			err = a.Ring(audio.Ringtone())
		} else {
			err = a.StopRinging()
		}
		if err != nil {
			log.Warn("gui: ringer", "on", on, "err", err)
		}
	})
}

// announce sends the desktop notification for a ringing call.
func (w *MainWindow) announce(c core.Call) {
	notify := w.o.notify
	if notify == nil || !w.settings.Notifications.Enabled {
		return
	}
	n := fyne.NewNotification(w.tr.T("notify.title", "Number", groupNumber(callNumber(c))), callDetails(c, w.tr))
	w.worker.do(func() { notify(n) })
}

// callNumber is the number to show for a call.
func callNumber(c core.Call) string {
	if c.RemoteNumber != "" {
		return c.RemoteNumber
	}
	return c.DisplayNumber
}

// scheduleAutoAnswer answers a ringing call after the configured delay,
// if the agent has not acted by then.
func (w *MainWindow) scheduleAutoAnswer(c core.Call) {
	if !w.settings.Calls.AutoAnswer || !c.Allowed.Has(core.ActAnswer) {
		return
	}
	id := c.ID
	w.alerts.autoAnswer[id] = time.AfterFunc(w.settings.Calls.AutoAnswerDelay, func() {
		w.post(func() {
			delete(w.alerts.autoAnswer, id)
			if call, ok := w.shown.call(id); ok && call.State == core.CallRinging {
				w.callAction(id, core.ActAnswer)
			}
		})
	})
}

// screenPop opens the configured CRM page for an answered call.
func (w *MainWindow) screenPop(c core.Call, b board) {
	tmpl := w.settings.Calls.ScreenPopURL
	if tmpl == "" {
		return
	}
	s, err := config.ExpandScreenPop(tmpl, map[string]string{
		config.PopNumber: c.RemoteNumber, config.PopDisplayNumber: c.DisplayNumber,
		config.PopCallID: c.PlatformCallID, config.PopDirection: c.Direction.String(),
		config.PopQueue: c.Queue, config.PopLocation: c.Location,
		config.PopAgent: b.session.AgentID, config.PopAccount: b.account, config.PopPlatform: b.platform,
	})
	if err != nil {
		w.log.Warn("gui: screen pop", "err", err)
		return
	}
	u, err := url.Parse(s)
	if err != nil {
		w.log.Warn("gui: screen pop", "err", err)
		return
	}
	open := w.o.openURL
	if open == nil {
		open = w.app.OpenURL
	}
	log := w.log
	w.worker.do(func() {
		if err := open(u); err != nil {
			log.Warn("gui: screen pop", "url", u.Redacted(), "err", err)
		}
	})
}
