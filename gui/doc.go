// Package gui is agentbar's desktop front end on Fyne: the agent bar
// (connection and registration, agent state with breaks and wrap-up, the
// calls with every control the call allows now, the dial pad, the
// history), sign-in with saved accounts and an account form generated from
// the platform registry, the incoming-call popup with ringtone and desktop
// notification, the tray, the settings window and the supervisor wall.
//
// Shape, after fyne-io/calculator and fyne-io/terminal: Run is the one entry
// point; NewMainWindow builds the UI from a fyne.App with every widget in a
// struct field, so tests drive it with fyne's test app. Engine events enter
// in exactly one place, MainWindow's event loop (eventloop.go), the only
// goroutine that calls fyne.Do. Commands (answer, dial, sign in, save ...)
// run on their own goroutines and report back through that loop, so the UI
// never waits on the network or the disk; side effects that may block
// (D-Bus notifications, the ringer, the browser, the autostart file) run in
// order on one worker goroutine (worker.go).
//
// The window sees the application's parts through small interfaces
// (services.go) that core/app's pieces satisfy: accounts and settings
// (*config.Store), the keyring, the history (*history.Store) and the sound
// pipeline (*audio.Pipeline).
//
// Strings come from translations/zh.json and en.json (fyne's lang format,
// also registered with fyne's lang package), in the language Options.Lang
// names, Chinese by default; the settings switch it live.
package gui
