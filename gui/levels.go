package gui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/audio"
)

// meterFloorDB is the level a meter shows as empty: quieter than a
// headset's noise floor, louder than digital silence.
const meterFloorDB = -60

// levelMeters are the microphone and speaker meters under the calls: the
// agent sees at a glance that their voice goes out and the customer's
// comes in.
type levelMeters struct {
	mic, speaker *levelBar
	view         *fyne.Container
}

func newLevelMeters(tr translator) *levelMeters {
	m := &levelMeters{mic: newLevelBar(), speaker: newLevelBar()}
	m.view = container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewLabel(tr.T("levels.mic")), nil, m.mic),
		container.NewBorder(nil, nil, widget.NewLabel(tr.T("levels.speaker")), nil, m.speaker))
	m.view.Hide()
	return m
}

// render shows the meters while there is a call and sound to measure.
func (m *levelMeters) render(show bool) {
	setVisible(m.view, show)
	if !show {
		setMeter(m.mic, 0)
		setMeter(m.speaker, 0)
	}
}

// showLevels puts fresh readings on the meters that show. UI thread; the
// event loop reads the levels and calls it.
func (w *MainWindow) showLevels(in, out audio.Level) {
	if w.levels.view.Visible() {
		setMeter(w.levels.mic, levelFraction(in))
		setMeter(w.levels.speaker, levelFraction(out))
	}
	if w.setWin != nil {
		w.setWin.showLevel(levelFraction(in))
	}
}

// levelFraction maps a peak level in dBFS to 0..1 on a meter that starts
// at meterFloorDB.
func levelFraction(l audio.Level) float64 {
	db := l.PeakDBFS
	if math.IsNaN(db) || math.IsInf(db, -1) || db <= meterFloorDB {
		return 0
	}
	return math.Min(1, (db-meterFloorDB)/-meterFloorDB)
}

// setMeter moves a bar only when the change is visible (1 %).
func setMeter(b *levelBar, v float64) {
	if math.Abs(b.value-v) >= 0.01 {
		b.setValue(v)
	}
}

// levelBar is a slim meter: a rounded track with a green fill, quieter than
// a progress bar (no text, a third of its height).
type levelBar struct {
	widget.BaseWidget
	value float64 // 0..1
}

func newLevelBar() *levelBar {
	b := &levelBar{}
	b.ExtendBaseWidget(b)
	return b
}

func (b *levelBar) setValue(v float64) {
	b.value = v
	b.Refresh()
}

// levelBarHeight is the track's thickness.
const levelBarHeight = 6

func (b *levelBar) CreateRenderer() fyne.WidgetRenderer {
	track := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	track.CornerRadius = levelBarHeight / 2
	fill := canvas.NewRectangle(theme.Color(theme.ColorNameSuccess))
	fill.CornerRadius = levelBarHeight / 2
	return &levelBarRenderer{bar: b, track: track, fill: fill}
}

type levelBarRenderer struct {
	bar         *levelBar
	track, fill *canvas.Rectangle
	size        fyne.Size
}

func (r *levelBarRenderer) Layout(size fyne.Size) {
	r.size = size
	y := (size.Height - levelBarHeight) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(size.Width, levelBarHeight))
	r.fill.Move(fyne.NewPos(0, y))
	r.fill.Resize(fyne.NewSize(size.Width*float32(r.bar.value), levelBarHeight))
}

func (r *levelBarRenderer) MinSize() fyne.Size { return fyne.NewSize(60, levelBarHeight*3) }

func (r *levelBarRenderer) Refresh() {
	r.track.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.fill.FillColor = theme.Color(theme.ColorNameSuccess)
	r.Layout(r.size)
	r.track.Refresh()
	r.fill.Refresh()
}

func (r *levelBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.fill} }

func (r *levelBarRenderer) Destroy() {}
