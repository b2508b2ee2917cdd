package gui

import (
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/config"
)

// expectRinger waits for the ringer to be turned on or off.
func (h *harness) expectRinger(on bool) {
	h.t.Helper()
	deadline := time.After(waitTimeout)
	for {
		select {
		case got := <-h.audio.ringer:
			if got == on {
				return
			}
		case <-deadline:
			h.t.Fatalf("the ringer was never turned %v", map[bool]string{true: "on", false: "off"}[on])
		}
	}
}

func TestIncomingCallPopupNotificationRingtoneTray(t *testing.T) {
	tray := &fakeTray{}
	h := newHarness(t, withTray(tray))
	h.loginTo("full")
	h.release()
	h.fake.ring("p1", "13800138000", "广东深圳")
	h.idle("popup", func() bool { _, ok := h.w.popup.visible(); return ok })
	p := h.w.popup
	if p.number.Text != "138 0013 8000" || p.details.Text != "广东深圳 · 呼入 · 售后" {
		t.Errorf("popup shows %q / %q", p.number.Text, p.details.Text)
	}
	if p.win.Title() != "来电" || p.answer.Disabled() || p.reject.Disabled() {
		t.Errorf("popup %q, answer disabled %v, reject disabled %v", p.win.Title(), p.answer.Disabled(), p.reject.Disabled())
	}
	n := h.notification()
	if n.Title != "来电 138 0013 8000" || n.Content != "广东深圳 · 呼入 · 售后" {
		t.Errorf("notification %q / %q", n.Title, n.Content)
	}
	h.expectRinger(true)
	if tray.lastIcon() != "agentbar-ringing.png" || tray.item("接听").Disabled {
		t.Errorf("tray while ringing: icon %q, answer disabled %v", tray.lastIcon(), tray.item("接听").Disabled)
	}

	test.Tap(p.answer)
	h.expectOp("answer:p1")
	h.idle("answered", func() bool { _, ok := h.w.popup.visible(); return !ok && h.card().state.Text == "通话中" })
	h.expectRinger(false)
	if tray.lastIcon() != "agentbar-talking.png" || !tray.item("接听").Disabled || tray.item("挂断").Disabled {
		t.Errorf("tray in a call: icon %q", tray.lastIcon())
	}

	// Hang up from the tray.
	tray.item("挂断").Action()
	h.expectOp("hangup:p1")
	h.idle("no calls", func() bool { return len(h.w.cards) == 0 })
	if h.w.alerts.missed != 0 {
		t.Error("an answered call counted as missed")
	}
}

func TestMissedCallBadge(t *testing.T) {
	tray := &fakeTray{}
	h := newHarness(t, withTray(tray))
	h.loginTo("full")
	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.idle("ringing", func() bool { return len(h.w.cards) == 1 })
	h.release()
	h.fake.report(core.CallUpdate{PlatformCallID: "p1", State: core.CallEnded}) // the caller gave up
	h.idle("missed", func() bool { return len(h.w.cards) == 0 && h.w.alerts.missed == 1 })
	if h.w.historyTab.Text != "历史 · 1 个未接" || tray.lastIcon() != "agentbar-notready-missed.png" {
		t.Errorf("missed: tab %q, tray %q", h.w.historyTab.Text, tray.lastIcon())
	}
	if _, ok := h.w.popup.visible(); ok {
		t.Error("the popup stayed up for a call that ended")
	}
	h.expectRinger(false)

	h.w.tabs.Select(h.w.historyTab)
	if h.w.alerts.missed != 0 || h.w.historyTab.Text != "历史" || tray.lastIcon() != "agentbar-notready.png" {
		t.Errorf("after looking: missed %d, tab %q, tray %q", h.w.alerts.missed, h.w.historyTab.Text, tray.lastIcon())
	}
}

func TestPopupRejectFallsBackToHangupAndDismissStays(t *testing.T) {
	h := newHarness(t)
	h.login() // the plain fake has no separate reject
	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.idle("popup", func() bool { _, ok := h.w.popup.visible(); return ok })
	test.Tap(h.w.popup.reject)
	h.expectOp("hangup:p1")
	h.idle("gone", func() bool { _, ok := h.w.popup.visible(); return !ok && len(h.w.cards) == 0 })

	h.release()
	h.fake.ring("p2", "13800138001", "")
	h.idle("popup again", func() bool { _, ok := h.w.popup.visible(); return ok })
	h.w.popup.win.Close()
	// Close is programmatic; what the close button does is the intercept.
	h.w.popup.dismissed[h.w.popup.id] = true
	h.w.popup.hide()
	h.advance(time.Second)
	h.idle("dismissed", func() bool { _, ok := h.w.popup.visible(); return !ok && len(h.w.cards) == 1 })
}

func TestAutoAnswer(t *testing.T) {
	h := newHarness(t, withSettings(func(s *config.Settings) {
		s.Calls.AutoAnswer, s.Calls.AutoAnswerDelay = true, 0
	}))
	h.login()
	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.expectOp("answer:p1")
	h.waitCard("answered by itself", func(c *callCard) bool { return c.state.Text == "通话中" })
}

func TestScreenPopOnAnswer(t *testing.T) {
	h := newHarness(t, withSettings(func(s *config.Settings) {
		s.Calls.ScreenPopURL = "https://crm.example.com/pop?tel={number}&id={call_id}&q={queue}"
	}))
	h.login()
	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.waitCard("ringing", func(c *callCard) bool { return c.answer.Visible() })
	select {
	case u := <-h.opened:
		t.Fatalf("screen pop before the answer: %s", u)
	default:
	}
	test.Tap(h.card().answer)
	u := h.openedURL()
	if want := "https://crm.example.com/pop?tel=13800138000&id=p1&q=%E5%94%AE%E5%90%8E"; u.String() != want {
		t.Errorf("screen pop %s, want %s", u, want)
	}
}

func TestNotificationAndRingtoneCanBeTurnedOff(t *testing.T) {
	h := newHarness(t, withSettings(func(s *config.Settings) {
		s.Notifications.Enabled, s.Notifications.Sound = false, false
	}))
	h.login()
	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.waitCard("ringing", func(c *callCard) bool { return c.answer.Visible() })
	if _, ok := h.w.popup.visible(); !ok {
		t.Error("no popup (the popup does not depend on notifications)")
	}
	h.drainWorker() // anything queued has run
	select {
	case n := <-h.notified:
		t.Errorf("notified %q with notifications off", n.Title)
	case on := <-h.audio.ringer:
		t.Errorf("ringer %v with the ringtone off", on)
	default:
	}
}

func TestDeviceNoticeAndMeters(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.release()
	h.audio.events <- audio.DeviceEvent{Kind: audio.DeviceLost, Role: "capture", Name: "USB headset", Err: errors.New("unplugged")}
	h.idle("notice", func() bool { return h.w.noticeLabel.Text == "音频设备已断开。" })

	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.idle("meters shown", func() bool { return h.w.levels.view.Visible() })
	h.release()
	h.audio.setLevels(-30, -6)
	select {
	case h.meters <- time.Now():
	case <-time.After(waitTimeout):
		t.Fatal("the loop does not read the meters during a call")
	}
	h.advance(time.Second) // a render after the meter update, to read it safely
	h.idle("levels", func() bool { return h.w.levels.mic.value > 0.49 && h.w.levels.mic.value < 0.51 })
	if v := h.w.levels.speaker.value; v < 0.89 || v > 0.91 {
		t.Errorf("speaker meter %.2f for -6 dBFS", v)
	}
}

func TestLevelFraction(t *testing.T) {
	tests := []struct {
		db   float64
		want float64
	}{{-120, 0}, {-60, 0}, {-30, 0.5}, {0, 1}, {6, 1}}
	for _, tt := range tests {
		if got := levelFraction(audio.Level{PeakDBFS: tt.db}); got != tt.want {
			t.Errorf("%v dBFS: %v, want %v", tt.db, got, tt.want)
		}
	}
}
