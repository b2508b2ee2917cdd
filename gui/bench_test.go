package gui

import (
	"testing"

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
