package gui

import (
	"context"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
	"agentbar/core/history"
)

// seedHistory writes calls straight into the history store.
func seedHistory(t *testing.T, h *harness, recs ...history.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	for _, r := range recs {
		if err := h.hist.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
}

// historyNumbers lists the numbers the history list shows.
func historyNumbers(h *harness) []string {
	var out []string
	for _, r := range h.w.history.rows {
		out = append(out, r.RemoteNumber)
	}
	return out
}

func TestHistoryFiltersSearchNotesAndCallBack(t *testing.T) {
	h := newHarness(t, withHistory)
	base := h.now().Add(-time.Hour)
	at := func(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }
	seedHistory(t, h,
		history.Record{ID: "c1", Account: "alice", Platform: "fake", Direction: history.DirectionIn, RemoteNumber: "13800138000",
			Location: "广东深圳", State: history.StateEnded, Started: at(1), Answered: at(2), Ended: at(5)},
		history.Record{ID: "c2", Account: "alice", Platform: "fake", Direction: history.DirectionIn, RemoteNumber: "13900001111",
			State: history.StateEnded, EndReason: "missed", Started: at(10), Ended: at(11)},
		history.Record{ID: "c3", Account: "alice", Platform: "fake", Direction: history.DirectionOut, RemoteNumber: "02150001234",
			State: history.StateEnded, Started: at(20), Answered: at(21), Ended: at(22), Note: "约好周五回访"},
	)
	h.login()
	p := h.w.history
	h.w.tabs.Select(h.w.historyTab)
	h.idle("all calls", func() bool { return len(p.rows) == 3 })
	if got := historyNumbers(h); !slices.Equal(got, []string{"02150001234", "13900001111", "13800138000"}) {
		t.Errorf("newest first: %q", got)
	}

	// The rows say what each call was.
	row := p.newRow()
	p.updateRow(1, row)
	top := row.(*fyne.Container).Objects[0].(*fyne.Container)
	number := top.Objects[0].(*fyne.Container).Objects[1].(*widget.Label)
	more := row.(*fyne.Container).Objects[1].(*widget.Label)
	if number.Text != "139 0000 1111" || number.Importance != widget.DangerImportance || more.Text != "未接来电" {
		t.Errorf("missed row: %q (importance %d) / %q", number.Text, number.Importance, more.Text)
	}
	p.updateRow(0, row)
	if more.Text != "呼出 · 01:00 · ✎ 约好周五回访" {
		t.Errorf("outbound row: %q", more.Text)
	}

	tests := []struct {
		filter, search string
		want           []string
	}{
		{"未接", "", []string{"13900001111"}},
		{"呼入", "", []string{"13900001111", "13800138000"}},
		{"呼出", "", []string{"02150001234"}},
		{"全部", "1380", []string{"13800138000"}},
		{"全部", "138 0013-8000", []string{"13800138000"}},
		{"全部", "", []string{"02150001234", "13900001111", "13800138000"}},
	}
	for _, tt := range tests {
		p.filter.SetSelected(tt.filter)
		p.search.SetText(tt.search)
		h.idle(tt.filter+" "+tt.search, func() bool { return slices.Equal(historyNumbers(h), tt.want) })
	}

	// Choose a call: its note can be edited, and it can be called back.
	p.list.Select(2)
	if !p.detail.Visible() || p.number.Text != "138 0013 8000" {
		t.Fatalf("detail %v %q", p.detail.Visible(), p.number.Text)
	}
	p.note.SetText("已解决")
	test.Tap(p.saveNote)
	h.idle("note saved", func() bool { return p.noteSaved.Visible() })
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if rec, err := h.hist.Get(ctx, "c1"); err != nil || rec.Note != "已解决" {
		t.Errorf("saved note %q, %v", rec.Note, err)
	}

	test.Tap(p.callBack)
	h.expectOp("dial:13800138000")
	h.idle("calling back", func() bool { return h.w.tabs.Selected() == h.w.callsTab && len(h.w.cards) == 1 })
}

func TestHistoryFollowsEndedCalls(t *testing.T) {
	h := newHarness(t, withHistory)
	h.login()
	h.w.tabs.Select(h.w.historyTab)
	h.idle("empty", func() bool { return h.w.history.status.Text == "没有通话记录。" })
	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.idle("ringing", func() bool { return len(h.w.cards) == 1 })
	h.release()
	h.fake.report(callEnded("p1"))
	h.idle("the missed call listed", func() bool {
		return slices.Equal(historyNumbers(h), []string{"13800138000"}) && h.w.history.rows[0].Missed()
	})
	if h.w.alerts.missed != 0 {
		t.Error("a missed call seen in the open history still counts as unseen")
	}
}

func TestRecentNumbersComeFromHistoryAndDialling(t *testing.T) {
	h := newHarness(t, withHistory)
	seedHistory(t, h, history.Record{ID: "old", Account: "alice", Platform: "fake", Direction: history.DirectionOut,
		RemoteNumber: "02150001234", State: history.StateEnded, Started: h.now().Add(-time.Hour)})
	h.login()
	// login waits for the commands of the sign-in, the history's among them.
	if !slices.Equal(h.w.recentSelect.Options, []string{"02150001234"}) {
		t.Fatalf("recent numbers %q", h.w.recentSelect.Options)
	}

	test.Type(h.w.numberEntry, "10086")
	test.Tap(h.w.dialButton)
	h.expectOp("dial:10086")
	h.idle("remembered", func() bool {
		return slices.Equal(h.w.recent, []string{"10086", "02150001234"}) && len(h.w.cards) == 1
	})
	h.release()
	h.fake.report(callEnded("out-" + string(h.card().id)))
	h.idle("ended", func() bool { return len(h.w.cards) == 0 })

	test.Tap(h.w.redialButton)
	h.expectOp("dial:10086")
	h.idle("redialled", func() bool { return len(h.w.cards) == 1 })
	h.w.recentSelect.SetSelected("02150001234")
	if h.w.numberEntry.Text != "02150001234" {
		t.Errorf("choosing a recent number fills %q", h.w.numberEntry.Text)
	}
}

func callEnded(pid string) core.CallUpdate {
	return core.CallUpdate{PlatformCallID: pid, State: core.CallEnded}
}
