package gui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

// ringAndAnswer makes a customer call in on the full platform and answers
// it from its card.
func ringAndAnswer(h *harness, pid string) *callCard {
	h.t.Helper()
	h.release()
	h.fake.ring(pid, "13800138000", "广东深圳")
	c := h.waitCard("ringing", func(c *callCard) bool { return c.answer.Visible() })
	test.Tap(c.answer)
	h.expectOp("answer:" + pid)
	return h.waitCard("talking", func(c *callCard) bool { return c.lastCall.State == core.CallTalking })
}

func TestFullPlatformOffersEveryAllowedControl(t *testing.T) {
	h := newHarness(t)
	h.loginTo("full")
	h.release()
	h.fake.ring("p1", "13800138000", "广东深圳")
	c := h.waitCard("ringing", func(c *callCard) bool { return c.answer.Visible() })
	if got := visibleActions(c); !slices.Equal(got, []string{"answer", "reject", "hangup"}) {
		t.Errorf("ringing offers %v", got)
	}
	if c.keypad.Visible() || c.transfer.Visible() || c.consult.Visible() {
		t.Error("a ringing call offers the keypad, transfer or consult")
	}

	test.Tap(c.answer)
	h.expectOp("answer:p1")
	c = h.waitCard("talking", func(c *callCard) bool { return c.state.Text == "通话中" })
	if got := visibleActions(c); !slices.Equal(got, []string{"hangup", "hold", "mute"}) {
		t.Errorf("talking offers %v", got)
	}
	for name, b := range map[string]*widget.Button{"keypad": c.keypad, "transfer": c.transfer,
		"consult": c.consult, "conference": c.conference, "notes": c.notes} {
		if !b.Visible() {
			t.Errorf("talking: %s is not offered", name)
		}
	}

	test.Tap(c.mute)
	h.expectOp("mute:p1")
	c = h.waitCard("muted", func(c *callCard) bool { return c.unmute.Visible() && !c.mute.Visible() })
	if !strings.Contains(c.quality.Text, "已静音") {
		t.Errorf("muted call says %q", c.quality.Text)
	}
	test.Tap(c.unmute)
	h.expectOp("unmute:p1")
	h.waitCard("unmuted", func(c *callCard) bool { return c.mute.Visible() && !c.unmute.Visible() })

	// Quality figures from the media side.
	h.release()
	h.fake.report(core.QualityUpdate{PlatformCallID: "p1", Quality: core.Quality{MOS: 4.3, LossPercent: 0.5, JitterMs: 12}})
	h.waitCard("quality", func(c *callCard) bool { return c.quality.Text == "MOS 4.3 · 丢包 0.5% · 抖动 12 ms" })

	test.Tap(c.hold)
	h.expectOp("hold:p1")
	c = h.waitCard("held", func(c *callCard) bool { return c.resume.Visible() })
	if c.keypad.Visible() || c.conference.Visible() || !c.transfer.Visible() || !c.consult.Visible() {
		t.Error("held: want transfer and consult, not the keypad or three-way")
	}
}

func TestRejectFromTheCard(t *testing.T) {
	h := newHarness(t)
	h.loginTo("full")
	h.release()
	h.fake.ring("p1", "13800138000", "")
	c := h.waitCard("ringing", func(c *callCard) bool { return c.reject.Visible() })
	test.Tap(c.reject)
	h.expectOp("reject:p1")
	h.idle("no calls", func() bool { return len(h.w.cards) == 0 })
	if h.w.alerts.missed != 0 {
		t.Errorf("a rejected call counted as missed (%d)", h.w.alerts.missed)
	}
}

func TestDTMFGoesOutInOrder(t *testing.T) {
	h := newHarness(t)
	h.loginTo("full")
	c := ringAndAnswer(h, "p1")
	test.Tap(c.keypad)
	if c.tool != toolKeypad || len(c.toolBox.Objects) != 1 {
		t.Fatal("the keypad did not open")
	}
	// The first digit's request is held by the platform: the next ones
	// queue and go out together, after it, in order.
	release := h.fake.hold("dtmf")
	keys := c.dtmfPad.Objects[0].(*fyne.Container).Objects
	press := func(r rune) {
		for _, k := range keys {
			if b := k.(*widget.Button); b.Text == string(r) {
				test.Tap(b)
				return
			}
		}
		t.Fatalf("no key %q", r)
	}
	press('1')
	h.expectOp("dtmf:p1:1")
	press('2')
	press('#')
	release()
	h.release() // let the first send's outcome in: it starts the next
	h.expectOp("dtmf:p1:2#")
	c = h.waitCard("digits shown", func(c *callCard) bool { return c.dtmfSent.Text == "已发送：12#" })
	test.Tap(c.keypad)
	if c.tool != toolNone {
		t.Error("the keypad button does not close the keypad")
	}
}

func TestTransferPickerListsSearchesAndTransfers(t *testing.T) {
	h := newHarness(t)
	h.loginTo("full")
	c := ringAndAnswer(h, "p1")
	test.Tap(c.transfer)
	h.expectOp("targets:agent")
	p := c.picker
	h.waitCard("agents listed", func(c *callCard) bool { return len(p.shown) == 3 })
	if want := []string{"坐席", "号码", "队列", "语音导航"}; !slices.Equal(p.kindRadio.Options, want) {
		t.Errorf("kinds %q, want %q", p.kindRadio.Options, want)
	}
	if got := targetLabel(p.shown[0], h.w.tr); got != "李娜 (8002) · 空闲" {
		t.Errorf("first agent %q", got)
	}
	if !p.confirm.Disabled() {
		t.Error("transfer is possible before a target is chosen")
	}

	test.Type(p.search, "张")
	if len(p.shown) != 1 || p.shown[0].ID != "8003" {
		t.Fatalf("search 张 shows %v", p.shown)
	}
	h.w.render()
	if p.confirm.Disabled() {
		t.Error("a single match cannot be transferred to")
	}
	test.Tap(p.confirm)
	h.expectOp("transfer:p1:agent:8003")
	h.idle("call transferred", func() bool { return len(h.w.cards) == 0 })

	// A number, typed and cleaned.
	c = ringAndAnswer(h, "p2")
	test.Tap(c.transfer)
	p = c.picker
	p.kindRadio.SetSelected("号码")
	test.Type(p.search, "+86 139-0000-1111")
	h.w.render()
	test.Tap(p.confirm)
	h.expectOp("transfer:p2:number:13900001111")
	h.idle("call transferred", func() bool { return len(h.w.cards) == 0 })
}

func TestTransferRefusalKeepsThePickerOpen(t *testing.T) {
	h := newHarness(t)
	h.loginTo("full")
	c := ringAndAnswer(h, "p1")
	test.Tap(c.transfer)
	p := c.picker
	h.waitCard("listed", func(*callCard) bool { return len(p.shown) == 3 })
	p.kindRadio.SetSelected("队列")
	h.expectOp("targets:queue")
	h.waitCard("queues", func(*callCard) bool { return len(p.shown) == 2 })
	p.list.Select(1)
	refused := platformError{"队列已满，无法转接。", "The queue is full."}
	h.fake.failNext("transfer", refused)
	test.Tap(p.confirm)
	h.expectOp("transfer:p1:queue:q2")
	c = h.waitCard("refusal", func(c *callCard) bool { return c.errLine.Visible() })
	if c.errLine.Text != refused.zh || c.tool != toolPicker {
		t.Errorf("after a refusal: %q, tool %d", c.errLine.Text, c.tool)
	}
}

func TestConsultThenCompleteCancelOrThreeWay(t *testing.T) {
	tests := []struct {
		name   string
		button func(c *callCard) *widget.Button
		op     string
		check  func(h *harness) bool
	}{
		{"complete", func(c *callCard) *widget.Button { return c.consultTransfer }, "consult-transfer:p1",
			func(h *harness) bool { return len(h.w.cards) == 0 }},
		{"cancel", func(c *callCard) *widget.Button { return c.consultCancel }, "consult-cancel:p1",
			func(h *harness) bool { return len(h.w.cards) == 1 && h.card().state.Text == "通话中" }},
		{"three-way", func(c *callCard) *widget.Button { return c.consultConference }, "consult-conference:p1",
			func(h *harness) bool {
				return len(h.w.cards) == 1 && h.card().state.Text == "三方通话" && h.card().conferenceRetrieve.Visible()
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.loginTo("full")
			c := ringAndAnswer(h, "p1")
			test.Tap(c.consult)
			p := c.picker
			h.expectOp("targets:agent")
			h.waitCard("agents", func(*callCard) bool { return len(p.shown) == 3 })
			p.list.Select(0)
			test.Tap(p.confirm)
			h.expectOp("consult:p1:agent:8002")
			c = h.waitCard("consulting", func(c *callCard) bool { return c.state.Text == "咨询中" })
			if got := visibleActions(c); !slices.Equal(got, []string{"hangup", "mute", "consult_transfer", "consult_cancel", "consult_conference"}) {
				t.Errorf("consulting offers %v", got)
			}
			if c.tool != toolNone {
				t.Error("the picker stayed open after the consult started")
			}
			test.Tap(tt.button(c))
			h.expectOp(tt.op)
			h.idle(tt.name, func() bool { return tt.check(h) })
		})
	}
}

func TestThreeWayDirectThenRetrieve(t *testing.T) {
	h := newHarness(t)
	h.loginTo("full")
	c := ringAndAnswer(h, "p1")
	test.Tap(c.conference)
	p := c.picker
	if p.title.Text != "邀请三方" {
		t.Errorf("picker title %q", p.title.Text)
	}
	h.expectOp("targets:agent")
	h.waitCard("agents", func(*callCard) bool { return len(p.shown) == 3 })
	p.list.Select(2)
	test.Tap(p.confirm)
	h.expectOp("conference:p1:agent:8004")
	c = h.waitCard("conference", func(c *callCard) bool { return c.conferenceRetrieve.Visible() })
	test.Tap(c.conferenceRetrieve)
	h.expectOp("conference-retrieve:p1")
	h.waitCard("back", func(c *callCard) bool { return c.state.Text == "通话中" })
}

func TestNotesGoToPlatformAndHistory(t *testing.T) {
	h := newHarness(t, withHistory)
	h.loginTo("full")
	c := ringAndAnswer(h, "p1")
	test.Tap(c.notes)
	d := c.data
	if !d.tagsRow.Visible() {
		t.Error("tags are not offered on a platform with call data")
	}
	test.Type(d.note, "客户要求回电")
	test.Type(d.tags, "投诉， 加急,投诉")
	test.Tap(d.save)
	h.expectOp("calldata:p1:note=客户要求回电&tags=投诉,加急")
	h.waitCard("saved", func(*callCard) bool { return d.saved.Visible() })

	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	rec, err := h.hist.Get(ctx, string(c.id))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Note != "客户要求回电" {
		t.Errorf("history note %q", rec.Note)
	}
}

func TestCallWaitingShowsEveryCall(t *testing.T) {
	h := newHarness(t)
	h.loginTo("full")
	ringAndAnswer(h, "p1")
	h.release()
	h.fake.ring("p2", "02150001234", "上海")
	h.idle("two calls", func() bool { return len(h.w.cards) == 2 && len(h.w.callsBox.Objects) == 2 })
	var ringing *callCard
	for _, c := range h.w.cards {
		if c.answer.Visible() {
			ringing = c
		}
	}
	if ringing == nil || ringing.number.Text != "02150001234" {
		t.Fatal("the second call does not ring in its own card")
	}
	if id, ok := h.w.popup.visible(); !ok || id != ringing.id {
		t.Error("the popup does not show the waiting call")
	}
}
