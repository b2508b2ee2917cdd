package gui

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"agentbar/core"
)

// BenchmarkEngineEventToLabel: from a platform update reported to the
// engine until the agent-state label shows it, through the engine's loop,
// the subscription, the window's event loop and a render (fyne's test
// driver runs fyne.Do inline; the test's render handshake is included).
func BenchmarkEngineEventToLabel(b *testing.B) {
	h := newHarness(b)
	h.login()
	states := []core.AgentState{core.ReadyState(), core.BusyState()}
	labels := []string{"空闲", "忙碌"}
	i := 0
	for b.Loop() {
		s := i % 2
		i++
		h.release()
		h.fake.report(core.AgentStateUpdate{State: states[s]})
		h.waitFor("label", func() bool { return h.w.agentLabel.Text == labels[s] })
	}
}

// BenchmarkRender: one full render of a signed-in window with a ringing
// call, as every event and every timer tick does.
func BenchmarkRender(b *testing.B) {
	h := newHarness(b)
	h.login()
	h.release()
	h.fake.ring("p1", "13800138000", "北京")
	h.waitCard("ringing", func(c *callCard) bool { return c.answer.Visible() })
	for b.Loop() {
		h.w.render()
	}
}

// benchWindow is a MainWindow on the test app without the test handshake
// (no settled hook): it runs as fast as the real one, and the benchmark
// learns what it needs through the popup and notification hooks.
type benchWindow struct {
	fake     *fakePlatform
	engine   *core.Engine
	w        *MainWindow
	popups   chan core.CallID
	notified chan *fyne.Notification
}

func newBenchWindow(b *testing.B) *benchWindow {
	b.Helper()
	test.NewTempApp(b)
	bw := &benchWindow{fake: newFakePlatform(), popups: make(chan core.CallID, 1), notified: make(chan *fyne.Notification, 1)}
	reg := bw.fake.registry()
	bw.engine = core.New(core.Options{Registry: reg})
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		_ = bw.engine.Close(ctx)
	})
	bw.w = NewMainWindow(fyne.CurrentApp(), Options{Engine: bw.engine, Lang: "zh", Registry: reg,
		ticks: make(chan time.Time), meterTicks: make(chan time.Time),
		notify:     func(n *fyne.Notification) { bw.notified <- n },
		popupShown: func(id core.CallID) { bw.popups <- id },
	})
	b.Cleanup(bw.w.Close)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := bw.engine.Login(ctx, core.LoginRequest{Account: "alice", Platform: "fake"}); err != nil {
		b.Fatal(err)
	}
	return bw
}

// BenchmarkRingToPopupAndNotification: from the platform's "a call rings"
// until the popup window is up (UI thread) and the desktop notification
// has been handed to the notifier (worker), through the engine, the
// subscription, the event loop and a render. Reports the median and the
// worst case; the goal is 100 ms.
func BenchmarkRingToPopupAndNotification(b *testing.B) {
	bw := newBenchWindow(b)
	var popup, notify []time.Duration
	i := 0
	for b.Loop() {
		i++
		pid := "r" + strconv.Itoa(i)
		start := time.Now()
		bw.fake.ring(pid, "13800138000", "广东深圳")
		for got := 0; got < 2; got++ {
			select {
			case <-bw.popups:
				popup = append(popup, time.Since(start))
			case <-bw.notified:
				notify = append(notify, time.Since(start))
			case <-time.After(waitTimeout):
				b.Fatal("no popup or notification")
			}
		}
		bw.fake.report(core.CallUpdate{PlatformCallID: pid, State: core.CallEnded})
	}
	report := func(name string, d []time.Duration) {
		slices.Sort(d)
		b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(d[len(d)-1].Microseconds())/1000, name+"-max-ms")
	}
	report("popup", popup)
	report("notify", notify)
}

// wallBench is the wall window with 2,000 agents, at a supervisor's size.
func wallBench(b *testing.B) (*MainWindow, *wallWindow, []core.AgentInfo) {
	b.Helper()
	h := newHarness(b)
	h.app.Settings().SetTheme(calmThemeFor("light"))
	agents := agentWall(2000)
	now := h.now().Unix()
	for i := range agents {
		agents[i].StateSince = now - int64(i)
	}
	h.w.wallModel.replace(agents)
	h.w.openWall()
	h.w.wall.win.Resize(wallSize())
	return h.w, h.w.wall, agents
}

// wallFrame is one frame's work at 200 changes a second and 60 frames a
// second: four agents change (state, call), the model re-sorts, the list
// rebinds the rows on screen.
func wallFrame(w *MainWindow, v *wallWindow, agents []core.AgentInfo, frame int) {
	changed := make([]core.AgentInfo, 4)
	for k := range changed {
		a := agents[(frame*37+k*511)%len(agents)]
		if frame%2 == 0 {
			a.State, a.CallState, a.CallNumber = core.ReadyState(), "talking", "13900001111"
		} else {
			a.State, a.CallState, a.CallNumber = core.BusyState(), "", ""
		}
		changed[k] = a
	}
	w.wallModel.apply(agentsDelta{changed: true, agents: changed})
	v.render(w.shown, w.now())
}

// BenchmarkWallFrame: the UI thread's work per frame on the 2,000-agent
// wall at 200 changes a second (update: model and widgets), and the same
// plus painting the whole window with fyne's software painter (the GL
// painter of the real window is faster). Goal: under 16 ms.
func BenchmarkWallFrame(b *testing.B) {
	b.Run("update", func(b *testing.B) {
		w, v, agents := wallBench(b)
		frame := 0
		for b.Loop() {
			frame++
			wallFrame(w, v, agents, frame)
		}
	})
	b.Run("update+paint", func(b *testing.B) {
		w, v, agents := wallBench(b)
		frame := 0
		for b.Loop() {
			frame++
			wallFrame(w, v, agents, frame)
			v.win.Canvas().Capture()
		}
	})
}

// BenchmarkWallModelRebuild: filtering and sorting 2,000 agents.
func BenchmarkWallModelRebuild(b *testing.B) {
	m := newWallModel()
	m.replace(agentWall(2000))
	for b.Loop() {
		m.rebuild()
	}
}
