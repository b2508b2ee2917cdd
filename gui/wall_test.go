package gui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

// smallGroup is a supervisor's group of four.
func smallGroup() []core.AgentInfo {
	return []core.AgentInfo{
		{ID: "8002", Name: "李娜", Number: "8002", State: core.ReadyState(), StateSince: 1795770000},
		{ID: "8003", Name: "张伟", Number: "8003", State: core.ReadyState(), StateSince: 1795770100,
			CallState: "talking", CallNumber: "13800138000"},
		{ID: "8004", Name: "刘洋", Number: "8004", State: core.BreakState("101", "午饭"), StateSince: 1795769000},
		{ID: "8010", Name: "陈静", Number: "8010", State: core.OfflineState()},
	}
}

// openWallAsSupervisor signs in as a supervisor and opens the wall.
func openWallAsSupervisor(h *harness, agents []core.AgentInfo) *wallWindow {
	h.t.Helper()
	h.full.supervisor = true
	h.full.agents = agents
	h.loginTo("full")
	if !h.w.wallButton.Visible() {
		h.t.Fatal("no wall button for a supervisor")
	}
	test.Tap(h.w.wallButton)
	h.expectOp("group")
	h.idle("group listed", func() bool { return len(h.w.wallModel.agents) == len(agents) })
	return h.w.wall
}

// wallRowTexts renders row i into a fresh row and returns its cells.
func wallRowTexts(v *wallWindow, i int) []string {
	row := newWallRow()
	v.updateRow(i, row)
	var out []string
	for _, o := range row.Objects {
		out = append(out, o.(*widget.Label).Text)
	}
	return out
}

func wallIDs(m *wallModel) []string {
	var out []string
	for _, a := range m.rows {
		out = append(out, a.ID)
	}
	return out
}

func TestWallShowsFiltersSortsAndFollows(t *testing.T) {
	h := newHarness(t)
	v := openWallAsSupervisor(h, smallGroup())
	m := h.w.wallModel
	if got := wallIDs(m); !slices.Equal(got, []string{"8003", "8002", "8004", "8010"}) {
		t.Errorf("by state: %q", got)
	}
	cells := wallRowTexts(v, 0)
	if want := []string{"张伟", "8003", "空闲", cells[3], "通话中", "138 0013 8000"}; !slices.Equal(cells, want) {
		t.Errorf("row 0 %q", cells)
	}
	if v.countLabel.Text != "4/4 人 · 通话 1 · 空闲 1" {
		t.Errorf("count %q", v.countLabel.Text)
	}

	v.stateFilter.SetSelected("未就绪")
	if got := wallIDs(m); !slices.Equal(got, []string{"8004"}) {
		t.Errorf("not ready: %q", got)
	}
	v.stateFilter.SetSelected("全部坐席")
	v.sortSelect.SetSelected("按状态时长")
	if got := wallIDs(m); !slices.Equal(got, []string{"8010", "8004", "8002", "8003"}) {
		t.Errorf("by time in state: %q", got)
	}
	test.Type(v.search, "1380")
	if got := wallIDs(m); !slices.Equal(got, []string{"8003"}) {
		t.Errorf("search by the call's number: %q", got)
	}
	v.search.SetText("")

	// Live: a colleague takes a call.
	h.release()
	h.fake.report(core.AgentsUpdate{Agents: []core.AgentInfo{{ID: "8002", Name: "李娜", Number: "8002",
		State: core.ReadyState(), CallState: "ringing", CallNumber: "02150001234"}}})
	h.idle("8002 rings", func() bool {
		a, _ := m.agent("8002")
		return a.CallState == "ringing"
	})
	if v.countLabel.Text != "4/4 人 · 通话 2 · 空闲 0" {
		t.Errorf("count %q", v.countLabel.Text)
	}
}

func TestWallMonitorActions(t *testing.T) {
	h := newHarness(t)
	v := openWallAsSupervisor(h, smallGroup())
	if v.monitorLine.Text != "当前未在监控任何通话" || v.endMonitor.Visible() {
		t.Errorf("monitor line %q", v.monitorLine.Text)
	}
	for _, mb := range v.monitorModes {
		if !mb.button.Disabled() {
			t.Errorf("%s enabled with no agent chosen", mb.mode)
		}
	}
	// An agent without a call cannot be listened to.
	v.list.Select(slices.IndexFunc(h.w.wallModel.rows, func(a *core.AgentInfo) bool { return a.ID == "8002" }))
	if !v.listen.Disabled() {
		t.Error("listen offered on an agent without a call")
	}
	v.list.Select(slices.IndexFunc(h.w.wallModel.rows, func(a *core.AgentInfo) bool { return a.ID == "8003" }))
	if v.listen.Disabled() || v.whisper.Disabled() || v.barge.Disabled() || v.takeOver.Disabled() || v.hangup.Disabled() || !v.end.Disabled() {
		t.Error("on a call: want listen, whisper, barge, take over and end call; not stop")
	}
	test.Tap(v.listen)
	h.expectOp("monitor:8003:listen")
	h.idle("listening", func() bool { return v.monitorLine.Text == "正在监听：张伟（8003）" })
	if !v.endMonitor.Visible() || v.end.Disabled() || h.w.monitorLabel.Text != "正在监听：张伟（8003）" {
		t.Errorf("while listening: stop visible %v, main window says %q", v.endMonitor.Visible(), h.w.monitorLabel.Text)
	}
	if cells := wallRowTexts(v, 0); cells[0] != "◉ 张伟" {
		t.Errorf("the monitored agent's row %q", cells[0])
	}
	test.Tap(v.whisper)
	h.expectOp("monitor:8003:whisper")
	h.idle("whispering", func() bool { return v.monitorLine.Text == "正在耳语：张伟（8003）" })
	test.Tap(v.endMonitor)
	h.expectOp("monitor:8003:end")
	h.idle("stopped", func() bool {
		return v.monitorLine.Text == "当前未在监控任何通话" && !h.w.monitorLabel.Visible()
	})

	refused := platformError{"该坐席不在通话中。", "That agent is not on a call."}
	h.fake.failNext("monitor", refused)
	test.Tap(v.barge)
	h.expectOp("monitor:8003:barge")
	h.idle("refused", func() bool { return v.errLabel.Visible() })
	if v.errLabel.Text != refused.zh {
		t.Errorf("refusal %q", v.errLabel.Text)
	}
}

// TestWallOffersOnlyThePlatformsModes: a platform without whisper and
// take-over does not show those buttons.
func TestWallOffersOnlyThePlatformsModes(t *testing.T) {
	h := newHarness(t)
	h.full.supervisor = true
	h.full.agents = smallGroup()
	h.loginTo("narrow")
	test.Tap(h.w.wallButton)
	h.expectOp("group")
	v := h.w.wall
	h.idle("group listed", func() bool { return len(h.w.wallModel.agents) == 4 })
	v.list.Select(slices.IndexFunc(h.w.wallModel.rows, func(a *core.AgentInfo) bool { return a.ID == "8003" }))
	if v.whisper.Visible() || v.takeOver.Visible() {
		t.Error("whisper or take-over offered on a platform without them")
	}
	if !v.listen.Visible() || v.listen.Disabled() || !v.barge.Visible() || !v.hangup.Visible() {
		t.Error("listen, barge or end call missing")
	}
	test.Tap(v.barge)
	h.expectOp("monitor:8003:barge")
}

func TestWallHiddenForAgents(t *testing.T) {
	h := newHarness(t)
	h.loginTo("full") // not a supervisor
	if h.w.wallButton.Visible() {
		t.Error("an agent is offered the wall")
	}
}

func TestWallModelVirtualisesTwoThousand(t *testing.T) {
	m := newWallModel()
	m.replace(agentWall(2000))
	if len(m.rows) != 2000 {
		t.Fatalf("%d rows", len(m.rows))
	}
	total, onCall, ready := m.counts()
	if total != 2000 || onCall != 500 || ready != 500 {
		t.Errorf("counts %d %d %d", total, onCall, ready)
	}
	m.setView("坐席19", showAll, sortByID)
	if got := wallIDs(m); len(got) != 111 || got[0] != "10019" {
		t.Errorf("search: %d rows from %v", len(got), got[:min(3, len(got))])
	}
	m.setView("", showOffline, sortByName)
	for _, a := range m.rows {
		if a.State.Kind != core.Offline {
			t.Fatalf("offline filter kept %s", a.ID)
		}
	}

	// The wall window makes widgets only for the rows on screen.
	h := newHarness(t)
	h.w.wallModel.replace(agentWall(2000))
	h.w.openWall()
	v := h.w.wall
	v.win.Resize(wallSize())
	rendered := 0
	walkObjects(v.win.Content(), func(o fyne.CanvasObject) {
		if c, ok := o.(*fyne.Container); ok {
			if _, isRow := c.Layout.(wallColumns); isRow {
				rendered++
			}
		}
	})
	if rendered == 0 || rendered > 60 {
		t.Errorf("%d row widgets for 2,000 agents", rendered)
	}
}

func TestCompareIDs(t *testing.T) {
	ids := []string{"10001", "8002", "a7", "8001", "b"}
	slices.SortFunc(ids, compareIDs)
	if want := []string{"8001", "8002", "10001", "a7", "b"}; !slices.Equal(ids, want) {
		t.Errorf("%q", ids)
	}
}

// walkObjects visits o and everything below it, through containers and
// widgets' renderers.
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch o := o.(type) {
	case *fyne.Container:
		for _, child := range o.Objects {
			walkObjects(child, visit)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(o).Objects() {
			walkObjects(child, visit)
		}
	}
}
