// Package gui is agentbar's desktop front end on Fyne: the main window
// (connection, agent state, calls, dial field, sign-in) and the tray.
//
// Shape, after fyne-io/calculator and fyne-io/terminal: Run is the one entry
// point; NewMainWindow builds the UI from a fyne.App with every widget in a
// struct field, so tests drive it with fyne's test app; engine events enter
// in exactly one place, MainWindow's event loop, which wraps every UI update
// in fyne.Do. Commands (answer, dial, sign in ...) run on their own
// goroutines and report back through that loop, so the UI never waits on the
// network and no other goroutine touches a widget.
//
// Strings come from translations/zh.json and en.json (fyne's lang format),
// in the language Options.Lang names, Chinese by default.
package gui
