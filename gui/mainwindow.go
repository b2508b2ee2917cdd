package gui

import (
	"context"
	"image/color"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
	"agentbar/core/config"
)

// MainWindow is the agent bar: who is signed in and how the connection is,
// the agent state with its selector, the active calls with the actions each
// allows now, the dial pad, the history, and sign-in; beside it the tray,
// the incoming-call popup, the settings window and the supervisor wall.
//
// Threading: widgets and the fields marked "UI thread" are touched only on
// fyne's UI thread. Engine events enter in exactly one place, the event
// loop (eventloop.go), which folds them into a board and hands a copy to the
// UI thread with fyne.Do. Commands run on their own goroutines and send
// their outcome back through the loop; side effects that may block (D-Bus
// notifications, the ringer, opening a browser) run in order on the
// worker. So the UI never waits on the network and no other goroutine
// touches a widget.
type MainWindow struct {
	app    fyne.App
	win    fyne.Window
	o      Options
	tr     translator
	log    *slog.Logger
	engine *core.Engine
	now    func() time.Time

	// Header (UI thread).
	demoBanner     *widget.Label
	connDot        *canvas.Circle
	connLabel      *widget.Label
	mediaLabel     *widget.Label
	connDetail     *widget.Label
	accountLabel   *widget.Label
	sessionLabel   *widget.Label
	settingsButton *widget.Button
	wallButton     *widget.Button
	signOutButton  *widget.Button

	// Agent state.
	agentBox    *fyne.Container
	agentLabel  *widget.Label
	agentTimer  *widget.Label
	wrapLabel   *widget.Label // wrap-up countdown
	stateSelect *widget.Select
	stateError  *widget.Label

	// Calls and dialling (the first tab).
	tabs          *container.AppTabs
	callsTab      *container.TabItem
	historyTab    *container.TabItem
	callsBox      *fyne.Container
	noCalls       *widget.Label
	cards         map[core.CallID]*callCard
	levels        *levelMeters
	numberEntry   *numberEntry
	dialButton    *widget.Button
	dialError     *widget.Label
	redialButton  *widget.Button
	keypadButton  *widget.Button
	keypad        *fyne.Container
	recentSelect  *widget.Select
	callerIDLabel *widget.Label
	callerSelect  *widget.Select
	callerRow     *fyne.Container
	listsRow      *fyne.Container // recent numbers and caller id
	listsCols     int

	// Sign-in.
	signInBox *fyne.Container
	signIn    *signInPanel

	history      *historyPanel
	popup        *incomingPopup
	wallModel    *wallModel      // the supervisor wall's agents, kept while the wall is closed too
	monitorLabel *widget.Label   // what this supervisor is monitoring, in the main window
	wall         *wallWindow     // nil until opened
	setWin       *settingsWindow // nil until opened

	noticeLabel *widget.Label
	tray        *tray // nil when there is no tray

	// UI-thread state.
	shown      board                      // the board last rendered
	pending    map[string]bool            // commands in flight, by key
	errs       map[string]string          // the last failure's sentence, by area
	choices    map[string]core.AgentState // state selector label → state
	hidden     bool                       // hidden to the tray
	settings   config.Settings            // the preferences in force
	alerts     alertState
	recent     []string               // numbers dialled, newest first
	callerIDs  []core.CallerID        // the platform's numbers the customer may see
	callerPick string                 // the chosen caller id's ID, "" for the default
	dtmfQueue  map[core.CallID]string // digits pressed, not yet sent
	dtmfShown  map[core.CallID]string // digits pressed on each call
	lastCaps   core.Capabilities      // to notice a new session's lists
	boundMain  []fyne.Shortcut        // shortcuts bound on the main window

	// The event loop, the worker and the commands.
	sub          *core.Subscription
	tasks        chan func()   // UI work from command goroutines, run via the loop
	pokes        chan struct{} // wakes the loop to look at metersWanted
	stop         chan struct{} // closed by Close
	done         chan struct{} // closed when the loop has exited
	worker       *worker
	metersWanted atomic.Bool // the settings window shows the microphone meter
	ctx          context.Context
	cancel       context.CancelFunc
	commands     sync.WaitGroup
	closeOnce    sync.Once
}

// subscriberBuffer: a burst this long is absorbed without dropping; beyond
// it the engine drops events for the window and the window resyncs.
const subscriberBuffer = 1024

// NewMainWindow builds the window and starts following the engine, without
// showing the window or running the app (Run does both). Close it when done.
// o.Engine must not be nil.
func NewMainWindow(app fyne.App, o Options) *MainWindow {
	if o.Engine == nil {
		panic(ErrNoEngine)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	now := o.now
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &MainWindow{
		app: app, o: o, tr: mustTranslator(o.Lang), log: o.Logger, engine: o.Engine, now: now,
		cards: map[core.CallID]*callCard{}, pending: map[string]bool{}, errs: map[string]string{},
		choices: map[string]core.AgentState{}, dtmfQueue: map[core.CallID]string{}, dtmfShown: map[core.CallID]string{},
		alerts: newAlertState(), wallModel: newWallModel(),
		tasks: make(chan func(), 64), pokes: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		worker: newWorker(),
		ctx:    ctx, cancel: cancel,
	}
	w.settings = w.loadSettings()
	w.win = app.NewWindow(w.title())
	w.win.SetContent(w.buildUI())
	w.win.Resize(defaultWindowSize())
	w.win.SetCloseIntercept(w.closeRequested)
	w.win.SetMaster()
	w.installShortcuts()
	if o.tray != nil {
		w.tray = newTray(o.tray, w.tr, w.trayActions())
	}
	w.refreshAccounts()
	w.render()

	ticks := o.ticks
	var ticker *time.Ticker
	if ticks == nil {
		ticker = time.NewTicker(time.Second)
		ticks = ticker.C
	}
	w.sub = o.Engine.Subscribe("gui", subscriberBuffer)
	go w.loop(w.sub, ticks, ticker)
	return w
}

// loadSettings reads the preferences (from memory), or the defaults with
// the options' close-to-tray when there is no settings store.
func (w *MainWindow) loadSettings() config.Settings {
	if w.o.Settings != nil {
		return w.o.Settings.Settings()
	}
	s := config.DefaultSettings()
	s.UI.CloseToTray = w.o.CloseToTray
	s.Notifications.Enabled = true
	return s
}

// poke wakes the event loop without queueing work; it never blocks.
func (w *MainWindow) poke() {
	select {
	case w.pokes <- struct{}{}:
	default:
	}
}

// Window is the fyne window.
func (w *MainWindow) Window() fyne.Window { return w.win }

// Close stops following the engine and waits for the commands in flight
// (they are cancelled) and the side effects queued (the ringer is
// stopped). Call it on the UI thread (or the test's goroutine); it is safe
// to call twice.
func (w *MainWindow) Close() {
	w.closeOnce.Do(func() {
		w.cancel()
		close(w.stop)
		<-w.done
		w.sub.Close()
		w.commands.Wait()
		w.alerts.stopTimers()
		if a := w.o.Audio; a != nil && w.alerts.ringing {
			w.worker.do(func() { _ = a.StopRinging() })
		}
		w.worker.close()
	})
}

// Handoff puts a number from another process (`agentbar dial`, a tel:
// link) into the dial field, brings the window up, and dials when asked.
// Safe from any goroutine; it returns before the call is placed.
func (w *MainWindow) Handoff(target string, dial bool) error {
	w.post(func() {
		w.numberEntry.SetText(target)
		w.tabs.Select(w.callsTab)
		w.showWindow()
		if dial {
			w.dial()
		}
	})
	return nil
}

func (w *MainWindow) title() string {
	title := w.o.Title
	if title == "" {
		title = w.tr.T("window.title")
	}
	if w.o.Demo {
		title += w.tr.T("window.demo")
	}
	return title
}

// buildUI lays the window out, top to bottom: the header (connection,
// account, buttons), the agent state, then either the sign-in panel or the
// tabs (calls with the dial pad; history), and notices at the bottom.
func (w *MainWindow) buildUI() fyne.CanvasObject {
	tr := w.tr

	w.demoBanner = widget.NewLabel(tr.T("demo.banner"))
	w.demoBanner.Importance = widget.WarningImportance
	w.demoBanner.Wrapping = fyne.TextWrapWord
	w.demoBanner.TextStyle = fyne.TextStyle{Bold: true}
	setVisible(w.demoBanner, w.o.Demo)

	w.connDot = canvas.NewCircle(color.Transparent)
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSize(12, 12), w.connDot))
	w.connLabel = widget.NewLabel("")
	w.connLabel.TextStyle = fyne.TextStyle{Bold: true}
	w.mediaLabel = widget.NewLabel("")
	w.mediaLabel.Hide()
	w.settingsButton = widget.NewButtonWithIcon("", theme.SettingsIcon(), w.openSettings)
	w.settingsButton.Importance = widget.LowImportance
	w.wallButton = widget.NewButtonWithIcon(tr.T("wall.button"), theme.GridIcon(), w.openWall)
	w.wallButton.Importance = widget.LowImportance
	w.wallButton.Hide()
	w.signOutButton = widget.NewButtonWithIcon(tr.T("signout.button"), theme.LogoutIcon(), w.signOut)
	w.signOutButton.Importance = widget.LowImportance
	connRow := container.NewBorder(nil, nil, container.NewHBox(dot, w.connLabel, w.mediaLabel),
		container.NewHBox(w.wallButton, w.signOutButton, w.settingsButton))
	w.accountLabel = widget.NewLabel("")
	w.accountLabel.TextStyle = fyne.TextStyle{Bold: true}
	w.accountLabel.Truncation = fyne.TextTruncateEllipsis
	w.sessionLabel = widget.NewLabel("")
	w.sessionLabel.Truncation = fyne.TextTruncateEllipsis
	w.connDetail = errorLabel()
	w.monitorLabel = widget.NewLabel("")
	w.monitorLabel.Importance = widget.DangerImportance
	w.monitorLabel.TextStyle = fyne.TextStyle{Bold: true}
	w.monitorLabel.Truncation = fyne.TextTruncateEllipsis
	w.monitorLabel.Hide()

	w.agentLabel = widget.NewLabel("")
	w.agentLabel.SizeName = theme.SizeNameHeadingText
	w.agentLabel.TextStyle = fyne.TextStyle{Bold: true}
	w.agentTimer = widget.NewLabel("")
	w.agentTimer.SizeName = theme.SizeNameHeadingText
	w.agentTimer.TextStyle = clockStyle()
	w.wrapLabel = widget.NewLabel("")
	w.wrapLabel.Importance = widget.WarningImportance
	w.wrapLabel.Hide()
	w.stateSelect = widget.NewSelect(nil, w.stateChosen)
	w.stateSelect.PlaceHolder = tr.T("agent.choose")
	w.stateError = errorLabel()
	w.agentBox = container.NewVBox(
		widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, w.agentTimer, w.agentLabel),
		w.wrapLabel, w.stateSelect, w.stateError,
	)

	w.noCalls = widget.NewLabel(tr.T("calls.none"))
	quiet(w.noCalls)
	w.noCalls.Alignment = fyne.TextAlignCenter
	w.callsBox = container.NewVBox(w.noCalls)
	w.levels = newLevelMeters(tr)
	callsTab := container.NewBorder(nil, container.NewVBox(w.levels.view, w.buildDialPad()), nil, nil,
		container.NewVScroll(w.callsBox))

	w.history = newHistoryPanel(w)
	w.callsTab = container.NewTabItemWithIcon(tr.T("tab.calls"), theme.MediaRecordIcon(), callsTab)
	w.historyTab = container.NewTabItemWithIcon(tr.T("tab.history"), theme.HistoryIcon(), w.history.view)
	w.tabs = container.NewAppTabs(w.callsTab, w.historyTab)
	w.tabs.OnSelected = w.tabSelected

	w.signIn = newSignInPanel(w)
	w.signInBox = container.NewVBox(widget.NewSeparator(), w.signIn.view)

	w.noticeLabel = widget.NewLabel("")
	w.noticeLabel.Importance = widget.WarningImportance
	w.noticeLabel.Wrapping = fyne.TextWrapWord
	w.noticeLabel.Hide()

	w.popup = newIncomingPopup(w)
	// Built now, shown at the first ring: creating a window is the slowest
	// part of putting the popup up.
	w.popup.build()
	w.cards = map[core.CallID]*callCard{}

	top := container.NewVBox(w.demoBanner, connRow, w.accountLabel, w.sessionLabel, w.monitorLabel, w.connDetail, w.agentBox)
	center := container.NewStack(w.tabs, container.NewVScroll(w.signInBox))
	return container.NewPadded(container.NewBorder(top, w.noticeLabel, nil, nil, center))
}

// heading is a section title: bold, at reading size.
func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// quiet makes a label secondary: smaller, but not greyed out (fyne's low
// importance draws text in the disabled colour, too faint to read across
// a desk).
func quiet(l *widget.Label) {
	l.SizeName = theme.SizeNameCaptionText
}

// errorLabel is where a failed command's sentence appears; hidden when empty.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// closeRequested: closing the window hides it to the tray when asked to and
// a tray exists; otherwise it quits.
func (w *MainWindow) closeRequested() {
	if w.tray != nil && w.settings.UI.CloseToTray {
		w.win.Hide()
		w.hidden = true
		return
	}
	w.app.Quit()
}

func (w *MainWindow) toggleVisible() {
	if w.hidden {
		w.showWindow()
		return
	}
	w.win.Hide()
	w.hidden = true
}

func (w *MainWindow) showWindow() {
	w.win.Show()
	w.win.RequestFocus()
	w.hidden = false
}

// tabSelected: opening the history clears the missed-call badge and
// fetches the latest calls.
func (w *MainWindow) tabSelected(item *container.TabItem) {
	if item == w.historyTab {
		w.alerts.missed = 0
		w.history.reload()
		w.render()
	}
}

// refreshAccounts lists the saved accounts again (after a change, a
// sign-out).
func (w *MainWindow) refreshAccounts() {
	w.signIn.refresh()
}
