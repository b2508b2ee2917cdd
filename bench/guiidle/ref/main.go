// Command ref is the reference for bench/gui-idle.sh: the smallest Fyne
// app there is (one window, one label), so the script can say how much of
// the desktop app's idle cost is Fyne itself and how much is agentbar.
// It runs until the window is closed or the process is interrupted.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("cn.agentbar.bench.ref")
	w := a.NewWindow("reference")
	w.SetContent(widget.NewLabel("坐席电话条 reference"))
	// The desktop app's default window size (gui.defaultWindowSize), so
	// both paint the same area.
	w.Resize(fyne.NewSize(460, 720))
	w.ShowAndRun()
}
