package gui

import (
	"context"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

// wallSize shows a few dozen agents at once on a supervisor's screen.
func wallSize() fyne.Size { return fyne.NewSize(900, 640) }

// Column widths of the wall's rows; the call's number takes the rest.
var wallColumnWidths = []float32{170, 90, 120, 80, 110}

// wallWindow is the supervisor wall: the group's agents (name, id and
// number, state, time in state, current call and number), searched,
// filtered and sorted, live; the chosen agent's call can be listened to,
// whispered to, barged into, taken over or ended; what this supervisor is
// monitoring shows on top at all times. The rows are a widget.List: with
// 2,000 agents only the rows on screen exist as widgets.
type wallWindow struct {
	w   *MainWindow
	win fyne.Window

	shownVersion uint64
	shownSecond  int64
	selected     string // agent id

	monitorLine  *widget.Label
	endMonitor   *widget.Button
	search       *widget.Entry
	stateFilter  *widget.Select
	sortSelect   *widget.Select
	countLabel   *widget.Label
	list         *widget.List
	selLabel     *widget.Label
	listen       *widget.Button
	whisper      *widget.Button
	barge        *widget.Button
	takeOver     *widget.Button
	hangup       *widget.Button
	end          *widget.Button
	errLabel     *widget.Label
	monitorModes []monitorButton
}

// monitorButton pairs a monitor mode with its button.
type monitorButton struct {
	mode   core.MonitorMode
	button *widget.Button
	key    string
}

// openWall shows the wall, building it the first time, and fetches the
// group (the wall then follows AgentsChanged).
func (w *MainWindow) openWall() {
	if w.wall == nil {
		w.wall = newWallWindow(w)
	}
	w.wall.win.Show()
	w.wall.win.RequestFocus()
	w.fetchGroup()
	w.render()
}

// fetchGroup asks the platform for the whole group.
func (w *MainWindow) fetchGroup() {
	var got []core.AgentInfo
	w.startThen("wall:fetch", areaWall, func(ctx context.Context) (err error) {
		got, err = w.engine.GroupAgents(ctx)
		return err
	}, func(err error) {
		if err == nil {
			w.wallModel.replace(got)
		}
	})
}

func newWallWindow(w *MainWindow) *wallWindow {
	v := &wallWindow{w: w}
	v.win = w.app.NewWindow(w.tr.T("wall.title"))
	v.win.SetCloseIntercept(func() { v.win.Hide() })
	v.build()
	v.win.Resize(wallSize())
	return v
}

// build makes the content in the current language.
func (v *wallWindow) build() {
	w, tr := v.w, v.w.tr
	v.win.SetTitle(tr.T("wall.title"))
	v.monitorLine = widget.NewLabel("")
	v.monitorLine.TextStyle = fyne.TextStyle{Bold: true}
	v.monitorLine.Truncation = fyne.TextTruncateEllipsis
	v.endMonitor = widget.NewButtonWithIcon(tr.T("wall.monitor.end"), theme.MediaStopIcon(), func() {
		for _, a := range w.wallModel.monitored() {
			v.monitor(a.ID, core.MonitorEnd)
		}
	})
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(tr.T("wall.search"))
	v.search.OnChanged = func(string) { v.viewChanged() }
	v.stateFilter = widget.NewSelect([]string{
		tr.T("wall.filter.all"), tr.T("wall.filter.oncall"), tr.T("wall.filter.ready"),
		tr.T("wall.filter.notready"), tr.T("wall.filter.offline"),
	}, func(string) { v.viewChanged() })
	v.stateFilter.SetSelectedIndex(0)
	v.sortSelect = widget.NewSelect([]string{
		tr.T("wall.sort.state"), tr.T("wall.sort.name"), tr.T("wall.sort.id"), tr.T("wall.sort.time"),
	}, func(string) { v.viewChanged() })
	v.sortSelect.SetSelectedIndex(0)
	v.countLabel = widget.NewLabel("")
	quiet(v.countLabel)

	header := newWallRow()
	for i, key := range []string{"wall.col.name", "wall.col.id", "wall.col.state", "wall.col.time", "wall.col.call", "wall.col.number"} {
		l := header.Objects[i].(*widget.Label)
		l.SetText(tr.T(key))
		l.TextStyle = fyne.TextStyle{Bold: true}
		quiet(l)
	}
	v.list = widget.NewList(func() int { return len(w.wallModel.rows) }, func() fyne.CanvasObject { return newWallRow() }, v.updateRow)
	v.list.OnSelected = func(i widget.ListItemID) {
		if a, ok := w.wallModel.row(i); ok {
			v.selected = a.ID
		}
		v.render(w.shown, w.now())
	}

	v.selLabel = widget.NewLabel("")
	v.selLabel.Truncation = fyne.TextTruncateEllipsis
	mb := func(mode core.MonitorMode, key string, icon fyne.Resource) *widget.Button {
		b := widget.NewButtonWithIcon(tr.T(key), icon, func() { v.monitor(v.selected, mode) })
		v.monitorModes = append(v.monitorModes, monitorButton{mode, b, key})
		return b
	}
	v.monitorModes = nil
	v.listen = mb(core.MonitorListen, "wall.listen", theme.VolumeUpIcon())
	v.whisper = mb(core.MonitorWhisper, "wall.whisper", theme.MailComposeIcon())
	v.barge = mb(core.MonitorBarge, "wall.barge", theme.ContentAddIcon())
	v.takeOver = mb(core.MonitorTakeOver, "wall.takeover", theme.LoginIcon())
	v.hangup = mb(core.MonitorHangup, "wall.hangup", theme.CancelIcon())
	v.hangup.Importance = widget.DangerImportance
	v.end = mb(core.MonitorEnd, "wall.end", theme.MediaStopIcon())
	v.errLabel = errorLabel()

	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.VisibilityIcon()), v.endMonitor, v.monitorLine),
		widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewHBox(v.stateFilter, v.sortSelect, v.countLabel), v.search),
		header,
	)
	bottom := container.NewVBox(widget.NewSeparator(), v.selLabel,
		container.NewGridWithColumns(6, v.listen, v.whisper, v.barge, v.takeOver, v.hangup, v.end), v.errLabel)
	v.win.SetContent(container.NewPadded(container.NewBorder(top, bottom, nil, nil, v.list)))
	v.shownVersion = 0
}

// rebuild redraws everything in a new language.
func (v *wallWindow) rebuild() {
	v.build()
	v.render(v.w.shown, v.w.now())
}

// viewChanged applies the search, filter and order.
func (v *wallWindow) viewChanged() {
	if v.stateFilter == nil || v.sortSelect == nil || v.countLabel == nil {
		return // still building
	}
	v.w.wallModel.setView(v.search.Text, wallStateFilter(max(0, v.stateFilter.SelectedIndex())),
		wallSort(max(0, v.sortSelect.SelectedIndex())))
	v.render(v.w.shown, v.w.now())
}

// newWallRow is one row: six labels in fixed columns.
func newWallRow() *fyne.Container {
	objs := make([]fyne.CanvasObject, len(wallColumnWidths)+1)
	for i := range objs {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		objs[i] = l
	}
	objs[3].(*widget.Label).TextStyle = clockStyle()
	objs[5].(*widget.Label).TextStyle = clockStyle()
	return container.New(wallColumns{}, objs...)
}

// updateRow fills a row from the model: cheap enough for a list that
// rebinds the visible rows on every refresh.
func (v *wallWindow) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	a, ok := v.w.wallModel.row(i)
	if !ok {
		return
	}
	tr, now := v.w.tr, v.w.now()
	objs := o.(*fyne.Container).Objects
	name := a.Name
	if a.Monitor != "" && a.Monitor != string(core.MonitorEnd) {
		name = "◉ " + name
	}
	id := a.ID
	if a.Number != "" && a.Number != a.ID {
		id += " / " + a.Number
	}
	setText(objs[0].(*widget.Label), name)
	setText(objs[1].(*widget.Label), id)
	state := objs[2].(*widget.Label)
	setText(state, a.State.Label(tr.lang))
	setImportance(state, agentImportance(a.State))
	since := ""
	if a.StateSince > 0 {
		since = clock(now.Sub(time.Unix(a.StateSince, 0)))
	}
	setText(objs[3].(*widget.Label), since)
	call := objs[4].(*widget.Label)
	setText(call, wallCallLabel(a.CallState, tr))
	setImportance(call, wallCallImportance(a.CallState))
	setText(objs[5].(*widget.Label), groupNumber(a.CallNumber))
}

// wallCallLabel names an agent's call state (core's call-state names).
func wallCallLabel(s string, tr translator) string {
	if s == "" {
		return ""
	}
	var cs core.CallState
	if err := cs.UnmarshalText([]byte(s)); err == nil {
		return capitalize(cs.Label(tr.lang))
	}
	return s
}

func wallCallImportance(s string) widget.Importance {
	var cs core.CallState
	if s == "" || cs.UnmarshalText([]byte(s)) != nil {
		return widget.MediumImportance
	}
	return callImportance(cs)
}

// monitor runs a monitor action on an agent's call.
func (v *wallWindow) monitor(agentID string, mode core.MonitorMode) {
	if agentID == "" {
		return
	}
	w := v.w
	w.start("monitor:"+agentID, areaWall, func(ctx context.Context) error {
		return w.engine.Monitor(ctx, agentID, mode)
	})
}

// render draws what changed: rows when the model changed (or a second
// passed, for the timers), the monitor line, the chosen agent's actions.
func (v *wallWindow) render(b board, now time.Time) {
	w, tr, m := v.w, v.w.tr, v.w.wallModel
	if m.version != v.shownVersion || now.Unix() != v.shownSecond {
		v.shownVersion, v.shownSecond = m.version, now.Unix()
		v.list.Refresh()
		total, onCall, ready := m.counts()
		setText(v.countLabel, tr.T("wall.count", "Total", strconv.Itoa(total), "Shown", strconv.Itoa(len(m.rows)),
			"OnCall", strconv.Itoa(onCall), "Ready", strconv.Itoa(ready)))
	}

	monitored := m.monitored()
	line := tr.T("wall.monitor.none")
	if len(monitored) > 0 {
		a := monitored[0]
		line = tr.T("wall.monitor.on", "Mode", monitorLabel(core.MonitorMode(a.Monitor), tr), "Name", a.Name, "ID", a.ID)
		if len(monitored) > 1 {
			line += tr.T("wall.monitor.more", "Count", strconv.Itoa(len(monitored)-1))
		}
	}
	setText(v.monitorLine, line)
	if len(monitored) > 0 {
		setImportance(v.monitorLine, widget.DangerImportance)
	} else {
		setImportance(v.monitorLine, widget.MediumImportance)
	}
	setVisible(v.endMonitor, len(monitored) > 0)

	a, ok := m.agent(v.selected)
	busy := w.pending["monitor:"+v.selected]
	if ok {
		sel := a.Name + " (" + a.ID + ") · " + a.State.Label(tr.lang)
		if a.CallState != "" {
			sel += " · " + wallCallLabel(a.CallState, tr) + " " + groupNumber(a.CallNumber)
		}
		setText(v.selLabel, sel)
	} else {
		setText(v.selLabel, tr.T("wall.choose"))
	}
	onCall := ok && a.CallState != ""
	monitoring := ok && a.Monitor != "" && a.Monitor != string(core.MonitorEnd)
	for _, mb := range v.monitorModes {
		enabled := onCall && !busy
		if mb.mode == core.MonitorEnd {
			enabled = monitoring && !busy
		}
		setVisible(mb.button, b.canMonitor(mb.mode))
		setEnabled(mb.button, enabled && b.supervisor())
	}
	showError(v.errLabel, w.errs[areaWall])
}

// monitorLabel names what the supervisor is doing.
func monitorLabel(m core.MonitorMode, tr translator) string {
	switch m {
	case core.MonitorListen:
		return tr.T("wall.listen")
	case core.MonitorWhisper:
		return tr.T("wall.whisper")
	case core.MonitorBarge:
		return tr.T("wall.barge")
	case core.MonitorTakeOver:
		return tr.T("wall.takeover")
	}
	return string(m)
}

// wallColumns lays a row out in wallColumnWidths, the last column taking
// what is left.
type wallColumns struct{}

func (wallColumns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objects {
		width := size.Width - x
		if i < len(wallColumnWidths) {
			width = min(wallColumnWidths[i], width)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(max(width, 0), size.Height))
		x += width
	}
}

func (wallColumns) MinSize(objects []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	w := float32(0)
	for _, cw := range wallColumnWidths {
		w += cw
	}
	return fyne.NewSize(w+80, h)
}
