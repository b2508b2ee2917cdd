package gui

import (
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

func TestEngineEventsUpdateLabels(t *testing.T) {
	h := newHarness(t)
	w := h.w
	if w.connLabel.Text != "离线" || w.accountLabel.Text != "未登录" || w.agentLabel.Text != "离线" {
		t.Fatalf("offline window shows %q / %q / %q", w.connLabel.Text, w.accountLabel.Text, w.agentLabel.Text)
	}
	if w.signOutButton.Visible() || !w.signInBox.Visible() || !w.dialButton.Disabled() || !w.stateSelect.Disabled() {
		t.Error("offline: want sign-in shown, sign-out hidden, dial and state disabled")
	}

	h.login()
	if w.connLabel.Text != "已连接" || w.connLabel.Importance != widget.SuccessImportance {
		t.Errorf("connection %q (importance %d)", w.connLabel.Text, w.connLabel.Importance)
	}
	if w.accountLabel.Text != "alice · 测试平台" {
		t.Errorf("account line %q", w.accountLabel.Text)
	}
	if w.agentLabel.Text != "忙碌" || w.agentLabel.Importance != widget.WarningImportance {
		t.Errorf("agent %q (importance %d)", w.agentLabel.Text, w.agentLabel.Importance)
	}
	if !w.signOutButton.Visible() || w.signInBox.Visible() || w.dialButton.Disabled() || w.stateSelect.Disabled() {
		t.Error("signed in: want sign-out shown, sign-in hidden, dial and state enabled")
	}

	h.release()
	h.fake.report(core.SessionUpdate{AgentID: "1001", DisplayName: "张三", Extension: "8001"})
	h.waitFor("session line", func() bool {
		return w.sessionLabel.Text == "张三 · 工号 1001 · 分机 8001" && w.sessionLabel.Visible()
	})

	h.release()
	h.fake.report(core.AgentStateUpdate{State: core.ReadyState()})
	h.waitFor("ready", func() bool {
		return w.agentLabel.Text == "空闲" && w.agentLabel.Importance == widget.SuccessImportance
	})
	if w.stateSelect.Selected != "空闲" {
		t.Errorf("selector shows %q while ready", w.stateSelect.Selected)
	}

	lost := platformError{"网络中断，正在重新连接平台。", "The network dropped; reconnecting."}
	h.release()
	h.fake.report(core.ConnectionUpdate{State: core.ConnReconnecting, Err: lost})
	h.waitFor("reconnecting", func() bool {
		return w.connLabel.Text == "正在重新连接…" && w.connDetail.Visible() && w.connDetail.Text == lost.zh
	})
	if w.connLabel.Importance != widget.WarningImportance || !sameColour(w.connDot.FillColor, theme.Color(theme.ColorNameWarning)) {
		t.Error("reconnecting should be amber")
	}
	h.release()
	h.fake.report(core.ConnectionUpdate{State: core.ConnConnected})
	h.waitFor("connected again", func() bool { return w.connLabel.Text == "已连接" && !w.connDetail.Visible() })

	kicked := platformError{"您的账号已在别处登录。", "You signed in somewhere else."}
	h.release()
	h.fake.report(core.KickedUpdate{Err: kicked, CanRelogin: true})
	h.waitFor("kicked", func() bool {
		return !w.shown.loggedIn && w.noticeLabel.Visible() && w.noticeLabel.Text == kicked.zh && w.signInBox.Visible()
	})
	if w.connLabel.Text != "离线" || w.signOutButton.Visible() {
		t.Errorf("after a kick: connection %q, sign-out visible %v", w.connLabel.Text, w.signOutButton.Visible())
	}
}

func TestCallCardShowsOnlyAllowedActions(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.release()
	h.fake.ring("p1", "13800138000", "北京")
	c := h.waitCard("ringing card", func(c *callCard) bool { return c.number.Text == "138 0013 8000" })
	if c.details.Text != "北京 · 呼入 · 售后" || c.state.Text != "来电振铃" || c.state.Importance != widget.HighImportance {
		t.Errorf("ringing card: details %q, state %q", c.details.Text, c.state.Text)
	}
	if got := visibleActions(c); !slices.Equal(got, []string{"answer", "reject", "hangup"}) {
		t.Errorf("ringing call offers %v, want answer, reject and hangup", got)
	}
	if h.w.noCalls.Visible() && slices.Contains(h.w.callsBox.Objects, fyne.CanvasObject(h.w.noCalls)) {
		t.Error("the 'no calls' line is still shown")
	}

	test.Tap(c.answer)
	h.expectOp("answer:p1")
	c = h.waitCard("talking", func(c *callCard) bool { return c.state.Text == "通话中" })
	if got := visibleActions(c); !slices.Equal(got, []string{"hangup", "hold"}) {
		t.Errorf("talking call offers %v, want hangup and hold", got)
	}
	if c.state.Importance != widget.DangerImportance {
		t.Errorf("talking importance %d", c.state.Importance)
	}

	test.Tap(c.hold)
	h.expectOp("hold:p1")
	c = h.waitCard("held", func(c *callCard) bool { return c.state.Text == "保持中" })
	if got := visibleActions(c); !slices.Equal(got, []string{"hangup", "resume"}) {
		t.Errorf("held call offers %v, want hangup and resume", got)
	}
	test.Tap(c.resume)
	h.expectOp("resume:p1")
	c = h.waitCard("talking again", func(c *callCard) bool { return c.state.Text == "通话中" })

	test.Tap(c.hangup)
	h.expectOp("hangup:p1")
	h.waitFor("no calls", func() bool {
		return len(h.w.cards) == 0 && slices.Equal(h.w.callsBox.Objects, []fyne.CanvasObject{h.w.noCalls})
	})

	// The platform's own authority flags narrow what the state allows.
	noAnswer := core.Actions(core.ActHangup)
	h.release()
	h.fake.report(core.CallUpdate{PlatformCallID: "p2", Direction: core.Inbound, RemoteNumber: "02150001234",
		State: core.CallRinging, Authority: &noAnswer})
	c = h.waitCard("ringing without answer", func(c *callCard) bool { return c.number.Text == "02150001234" })
	if got := visibleActions(c); !slices.Equal(got, []string{"hangup"}) {
		t.Errorf("a call whose platform forbids answering offers %v", got)
	}
}

func TestFailingCommandShowsSentenceAndReenables(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.release()
	h.fake.ring("p1", "13800138000", "")
	c := h.waitCard("ringing", func(c *callCard) bool { return c.answer.Visible() })

	refused := platformError{"平台拒绝接听：该来电已被其他坐席接起。", "The platform refused: another agent took the call."}
	h.fake.failNext("answer", refused)
	release := h.fake.hold("answer")
	defer release()
	test.Tap(c.answer)
	// In flight: the button stays, disabled, marked busy; a second tap is ignored.
	if !c.answer.Disabled() || c.answer.Text != "接听…" {
		t.Errorf("answer in flight: disabled %v, text %q", c.answer.Disabled(), c.answer.Text)
	}
	test.Tap(c.answer)
	h.expectOp("answer:p1")
	release()
	c = h.waitCard("refusal shown", func(c *callCard) bool { return c.errLine.Visible() })
	if c.errLine.Text != refused.zh {
		t.Errorf("error line %q, want the platform's sentence", c.errLine.Text)
	}
	if c.answer.Disabled() || c.answer.Text != "接听" || !c.answer.Visible() {
		t.Errorf("after the failure: disabled %v, text %q, visible %v", c.answer.Disabled(), c.answer.Text, c.answer.Visible())
	}
	h.fake.mu.Lock()
	answers := 0
	for _, op := range h.fake.ops {
		if op == "answer:p1" {
			answers++
		}
	}
	h.fake.mu.Unlock()
	if answers != 1 {
		t.Errorf("the platform got %d answers, want 1 (the second tap came while the first was in flight)", answers)
	}

	// A later success clears the sentence.
	h.fake.failNext("answer", nil)
	test.Tap(c.answer)
	h.expectOp("answer:p1")
	h.waitCard("talking", func(c *callCard) bool { return c.state.Text == "通话中" && !c.errLine.Visible() })
}

func TestBreakReasonsFillTheStateSelector(t *testing.T) {
	h := newHarness(t)
	w := h.w
	h.login()
	if want := []string{"空闲", "忙碌", "午饭", "培训"}; !slices.Equal(w.stateSelect.Options, want) {
		t.Fatalf("selector offers %q, want %q", w.stateSelect.Options, want)
	}
	if w.stateSelect.Selected != "忙碌" {
		t.Errorf("selector shows %q, want the current state", w.stateSelect.Selected)
	}

	w.stateSelect.SetSelected("午饭")
	h.expectOp("state:break(101 午饭)")
	h.waitFor("on break", func() bool { return w.agentLabel.Text == "午饭" && !w.stateSelect.Disabled() })
	if w.stateSelect.Selected != "午饭" {
		t.Errorf("selector shows %q", w.stateSelect.Selected)
	}

	// A refusal shows the sentence and puts the selector back.
	refused := platformError{"当前有未处理的工单，不能置闲。", "You have open tickets; cannot go ready."}
	h.fake.failNext("state", refused)
	w.stateSelect.SetSelected("空闲")
	h.expectOp("state:ready")
	h.waitFor("refusal", func() bool { return w.stateError.Visible() && !w.stateSelect.Disabled() })
	if w.stateError.Text != refused.zh || w.stateSelect.Selected != "午饭" || w.agentLabel.Text != "午饭" {
		t.Errorf("after the refusal: error %q, selector %q, agent %q", w.stateError.Text, w.stateSelect.Selected, w.agentLabel.Text)
	}

	// The platform changes its list.
	h.release()
	h.fake.report(core.BreakReasonsUpdate{Reasons: []core.BreakReason{{Code: "201", Label: "会议"}}})
	h.waitFor("new reasons", func() bool { return slices.Equal(w.stateSelect.Options, []string{"空闲", "忙碌", "会议"}) })
	if w.stateSelect.Selected != "" {
		t.Errorf("a break no longer listed still shows as %q", w.stateSelect.Selected)
	}
}

func TestDialWithEnterAndButton(t *testing.T) {
	h := newHarness(t)
	w := h.w

	// Offline: the engine refuses and the window says why.
	test.Type(w.numberEntry, "10086")
	w.numberEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.waitFor("not signed in", func() bool { return w.dialError.Visible() })
	if w.dialError.Text != core.Sentence(core.ErrNotLoggedIn, "zh") {
		t.Errorf("offline dial says %q", w.dialError.Text)
	}

	h.login()
	w.numberEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.expectOp("dial:10086")
	c := h.waitCard("outbound card", func(c *callCard) bool {
		return c.number.Text == "10086" && c.state.Text == "对方振铃" && !w.dialButton.Disabled()
	})
	if c.details.Text != "呼出" || w.numberEntry.Text != "" || w.dialError.Visible() {
		t.Errorf("after dialling: details %q, field %q, error shown %v", c.details.Text, w.numberEntry.Text, w.dialError.Visible())
	}
	if !c.hangup.Visible() || c.answer.Visible() {
		t.Error("an outbound call offers hang-up, never answer")
	}

	// Empty field: a sentence, no request.
	test.Tap(w.dialButton)
	if !w.dialError.Visible() || w.dialError.Text != "请先输入要拨打的号码。" {
		t.Errorf("empty dial says %q", w.dialError.Text)
	}

	// The button dials too, and a platform refusal shows under it.
	refused := platformError{"外呼被拒绝：号码在黑名单中。", "Call refused: the number is blocked."}
	h.fake.failNext("dial", refused)
	test.Type(w.numberEntry, "13900000000")
	test.Tap(w.dialButton)
	h.expectOp("dial:13900000000")
	h.waitFor("dial refusal", func() bool { return w.dialError.Visible() && !w.dialButton.Disabled() })
	if w.dialError.Text != refused.zh || w.numberEntry.Text != "13900000000" {
		t.Errorf("after the refusal: error %q, field %q (kept for a retry)", w.dialError.Text, w.numberEntry.Text)
	}
}

func TestTimersFollowTheClock(t *testing.T) {
	h := newHarness(t)
	w := h.w
	h.login()
	if w.agentTimer.Text != "00:00" {
		t.Errorf("agent timer %q at the start of the state", w.agentTimer.Text)
	}
	h.advance(65 * time.Second)
	h.waitFor("agent timer", func() bool { return w.agentTimer.Text == "01:05" })

	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.waitCard("ringing", func(c *callCard) bool { return c.timer.Text == "00:00" })
	h.advance(7 * time.Second)
	h.waitCard("ring time", func(c *callCard) bool { return c.timer.Text == "00:07" })
	test.Tap(h.card().answer)
	h.waitCard("talking", func(c *callCard) bool { return c.state.Text == "通话中" && c.timer.Text == "00:00" })
	h.advance(time.Hour + 2*time.Second)
	h.waitCard("talk time", func(c *callCard) bool { return c.timer.Text == "1:00:02" })
	if w.agentTimer.Text != "1:01:14" {
		t.Errorf("agent timer %q after 1:01:14 busy", w.agentTimer.Text)
	}
}

func TestResyncAfterDroppedEvents(t *testing.T) {
	h := newHarness(t)
	w := h.w
	h.login()
	// The loop is parked on a held render: flood past the subscription's
	// buffer. The last state (ready) arrives only among dropped events.
	const n = subscriberBuffer + 77
	for i := 0; i < n; i++ {
		s := core.BusyState()
		if i%2 == 0 {
			s = core.ReadyState()
		}
		h.fake.report(core.AgentStateUpdate{State: s})
	}
	// Dropped too: only a resync can bring it.
	h.fake.report(core.SessionUpdate{AgentID: "1001"})
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	st, err := h.engine.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Agent.Name() != "ready" {
		t.Fatalf("engine says %s after the flood", st.Agent)
	}
	h.waitFor("resynced", func() bool { return w.shown.seq >= st.Seq })
	if w.agentLabel.Text != "空闲" || w.sessionLabel.Text != "工号 1001" {
		t.Errorf("after resync: agent %q, session %q", w.agentLabel.Text, w.sessionLabel.Text)
	}
}

func TestLanguagesRender(t *testing.T) {
	tests := []struct {
		lang                              string
		title, conn, dial, signIn, ring   string
		answer, direction, noCalls, agent string
	}{
		{"zh", "坐席电话条（演示）", "离线", "拨打", "登录", "来电振铃", "接听", "呼入", "当前没有通话", "忙碌"},
		{"en", "agentbar (demo)", "Offline", "Call", "Sign in", "Ringing", "Answer", "Inbound", "No calls", "Busy"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t, func(h *harness, o *Options) {
				o.Lang, o.Demo = tt.lang, true
				if tt.lang == "en" {
					o.Title = "agentbar"
				}
			})
			w := h.w
			if w.win.Title() != tt.title || !w.demoBanner.Visible() {
				t.Errorf("title %q (banner shown %v), want %q", w.win.Title(), w.demoBanner.Visible(), tt.title)
			}
			if w.connLabel.Text != tt.conn || w.dialButton.Text != tt.dial || w.signIn.signInButton.Text != tt.signIn || w.noCalls.Text != tt.noCalls {
				t.Errorf("offline texts %q %q %q %q", w.connLabel.Text, w.dialButton.Text, w.signIn.signInButton.Text, w.noCalls.Text)
			}
			h.login()
			h.release()
			h.fake.ring("p1", "13800138000", "北京")
			c := h.waitCard("ringing", func(c *callCard) bool { return c.state.Text == tt.ring })
			if c.answer.Text != tt.answer || c.details.Text != "北京 · "+tt.direction+" · 售后" || w.agentLabel.Text != tt.agent {
				t.Errorf("call texts %q %q, agent %q", c.answer.Text, c.details.Text, w.agentLabel.Text)
			}
			// Both languages draw (the bundled font has the Chinese glyphs);
			// keep the picture for people to look at.
			h.app.Settings().SetTheme(newCalmTheme())
			w.win.Resize(defaultWindowSize())
			img := w.win.Canvas().Capture()
			if b := img.Bounds(); b.Dx() < 300 || b.Dy() < 400 {
				t.Fatalf("capture is %v", b)
			}
			if dir := os.Getenv("AGENTBAR_ARTIFACTS"); dir != "" {
				saveCapture(t, filepath.Join(dir, "gui-test-"+tt.lang+".png"), w.win.Canvas())
			}
		})
	}
}

func saveCapture(t *testing.T, path string, c fyne.Canvas) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, c.Capture()); err != nil {
		t.Fatal(err)
	}
}

// fakeTray records what the window asks of the tray.
type fakeTray struct {
	mu    sync.Mutex
	icons []string
	menus int
	menu  *fyne.Menu
}

func (f *fakeTray) SetSystemTrayMenu(m *fyne.Menu) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.menus++
	f.menu = m
}

func (f *fakeTray) SetSystemTrayIcon(r fyne.Resource) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.icons = append(f.icons, r.Name())
}

func (f *fakeTray) lastIcon() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.icons[len(f.icons)-1]
}

func (f *fakeTray) item(label string) *fyne.MenuItem {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, it := range f.menu.Items {
		if it.Label == label {
			return it
		}
	}
	return nil
}

func TestTrayFollowsStateAndDrivesIt(t *testing.T) {
	tray := &fakeTray{}
	h := newHarness(t, func(h *harness, o *Options) { o.tray = tray })
	if tray.lastIcon() != "agentbar-offline.png" || tray.menu == nil {
		t.Fatalf("initial tray: icon %q, menu %v", tray.lastIcon(), tray.menu)
	}
	var labels []string
	for _, it := range tray.menu.Items {
		labels = append(labels, it.Label)
	}
	if want := []string{"显示 / 隐藏窗口", "", "空闲", "忙碌", "", "接听", "挂断", "", "退出"}; !slices.Equal(labels, want) {
		t.Errorf("tray menu %q, want %q", labels, want)
	}
	if quit := tray.item("退出"); !quit.IsQuit {
		t.Error("the quit item is not marked IsQuit (fyne would add a second one)")
	}
	if !tray.item("空闲").Disabled {
		t.Error("ready is offered while offline")
	}

	h.login()
	if tray.lastIcon() != "agentbar-notready.png" || tray.item("空闲").Disabled || !tray.item("忙碌").Checked {
		t.Errorf("signed in busy: icon %q, ready disabled %v, busy checked %v",
			tray.lastIcon(), tray.item("空闲").Disabled, tray.item("忙碌").Checked)
	}

	tray.item("空闲").Action() // the tray's click arrives on the UI thread
	h.expectOp("state:ready")
	h.waitFor("ready icon", func() bool { return tray.lastIcon() == "agentbar-ready.png" })
	if !tray.item("空闲").Checked || tray.item("忙碌").Checked {
		t.Error("the tray menu does not tick ready")
	}

	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.waitFor("ringing icon", func() bool { return tray.lastIcon() == "agentbar-ringing.png" })
	test.Tap(h.card().answer)
	h.waitFor("talking icon", func() bool { return tray.lastIcon() == "agentbar-talking.png" })
	test.Tap(h.card().hangup)
	h.waitFor("ready again", func() bool { return tray.lastIcon() == "agentbar-ready.png" })

	tray.mu.Lock()
	menus, icons := tray.menus, len(tray.icons)
	tray.mu.Unlock()
	h.advance(time.Second)
	h.waitFor("a tick", func() bool { return true })
	tray.mu.Lock()
	defer tray.mu.Unlock()
	if tray.menus != menus || len(tray.icons) != icons {
		t.Errorf("a timer tick re-sent the tray (menus %d→%d, icons %d→%d)", menus, tray.menus, icons, len(tray.icons))
	}
}

// quitApp records Quit on top of the test app.
type quitApp struct {
	fyne.App
	quits atomic.Int32
}

func (a *quitApp) Quit() { a.quits.Add(1) }

func TestClosingTheWindow(t *testing.T) {
	tests := []struct {
		name        string
		tray        bool
		closeToTray bool
		wantQuit    bool
	}{
		{"hides to the tray", true, true, false},
		{"quits when asked not to hide", true, false, true},
		{"quits without a tray", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := &quitApp{App: test.NewTempApp(t)}
			e := core.New(core.Options{Registry: core.NewRegistry()})
			t.Cleanup(func() { _ = e.Close(context.Background()) })
			o := Options{Engine: e, CloseToTray: tt.closeToTray, ticks: make(chan time.Time)}
			if tt.tray {
				o.tray = &fakeTray{}
			}
			w := NewMainWindow(app, o)
			defer w.Close()
			w.closeRequested() // what the window's close button runs
			if got := app.quits.Load() == 1; got != tt.wantQuit {
				t.Errorf("quit %v, want %v", got, tt.wantQuit)
			}
			if w.hidden == tt.wantQuit {
				t.Errorf("hidden %v", w.hidden)
			}
			before := w.hidden
			w.toggleVisible() // the tray's show/hide item
			if w.hidden == before {
				t.Errorf("show/hide left hidden=%v", w.hidden)
			}
		})
	}
}

func TestHandoffFillsAndDials(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.release()
	if err := h.w.Handoff("02150001234", false); err != nil {
		t.Fatal(err)
	}
	h.waitFor("number filled", func() bool { return h.w.numberEntry.Text == "02150001234" })
	if len(h.w.cards) != 0 {
		t.Error("a handoff without dial placed a call")
	}
	h.release()
	if err := h.w.Handoff("13800138000", true); err != nil {
		t.Fatal(err)
	}
	h.expectOp("dial:13800138000")
	h.waitCard("dialled", func(c *callCard) bool { return c.number.Text == "138 0013 8000" })
}

func TestRunReturnsOnQuit(t *testing.T) {
	if err := Run(test.NewTempApp(t), Options{}); !errors.Is(err, ErrNoEngine) {
		t.Errorf("Run without an engine: %v", err)
	}
	e := core.New(core.Options{Registry: core.NewRegistry()})
	t.Cleanup(func() { _ = e.Close(context.Background()) })
	var quits int
	var handoffs []bool
	// The test app's Run returns at once, like a real app after Quit.
	err := Run(test.NewTempApp(t), Options{
		Engine: e, Lang: "en", OnQuit: func() { quits++ },
		SetHandoff: func(fn func(string, bool) error) { handoffs = append(handoffs, fn != nil) },
	})
	if err != nil || quits != 1 || !slices.Equal(handoffs, []bool{true, false}) {
		t.Errorf("Run: err %v, OnQuit %d times, handoff set/unset %v", err, quits, handoffs)
	}
}

func TestWrapUpCountdownAndRegistration(t *testing.T) {
	h := newHarness(t)
	w := h.w
	h.login()
	if w.mediaLabel.Visible() {
		t.Error("a registration indicator for a platform that never reported one")
	}
	h.release()
	h.fake.report(core.MediaUpdate{Registered: true, Detail: "8001@pbx"})
	h.idle("registered", func() bool { return w.mediaLabel.Visible() && w.mediaLabel.Text == "· 话机已注册" })
	if w.mediaLabel.Importance != widget.SuccessImportance {
		t.Errorf("registered importance %d", w.mediaLabel.Importance)
	}
	lost := platformError{"话机注册失败：密码错误。", "Phone registration failed: wrong password."}
	h.release()
	h.fake.report(core.MediaUpdate{Registered: false, Err: lost})
	h.idle("unregistered", func() bool { return w.mediaLabel.Text == "· 话机未注册" && w.connDetail.Text == lost.zh })

	h.release()
	h.fake.report(core.AgentStateUpdate{State: core.WrapUpState(h.now().Add(30 * time.Second))})
	h.idle("wrap-up", func() bool { return w.wrapLabel.Visible() && w.wrapLabel.Text == "话后处理剩余 00:30" })
	if w.agentLabel.Text != "话后处理" || w.agentLabel.Importance != widget.WarningImportance {
		t.Errorf("agent %q", w.agentLabel.Text)
	}
	h.advance(12 * time.Second)
	h.idle("counting down", func() bool { return w.wrapLabel.Text == "话后处理剩余 00:18" && w.agentTimer.Text == "00:12" })
	h.release()
	h.fake.report(core.AgentStateUpdate{State: core.ReadyState()})
	h.idle("ready", func() bool { return !w.wrapLabel.Visible() && w.agentLabel.Text == "空闲" })
}
