// Command hello is the Fyne hello-world the desktop app's idle CPU and
// memory are measured against (demo_it_test.go builds it beside the real
// program): one window, one label, nothing else.
package main

import (
	"os"

	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("cn.agentbar.desktop.hello")
	title := "hello"
	if len(os.Args) > 1 {
		title = os.Args[1]
	}
	w := a.NewWindow(title)
	w.SetContent(widget.NewLabel("Hello Fyne!"))
	w.ShowAndRun()
}
