package gui

import (
	"context"
	"image/color"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

// MainWindow is the agent bar's first window: who is signed in and how the
// connection is, the agent state with its selector, the active calls with
// the actions each allows now, a dial field, and sign-in / sign-out.
//
// Threading: widgets and the fields marked "UI thread" are touched only on
// fyne's UI thread. Engine events enter in exactly one place, the event
// loop (eventloop.go), which folds them into a board and hands a copy to the
// UI thread with fyne.Do. Commands run on their own goroutines and send
// their outcome back through the loop, so the UI never waits on the network
// and no other goroutine touches a widget.
type MainWindow struct {
	app    fyne.App
	win    fyne.Window
	o      Options
	tr     translator
	log    *slog.Logger
	engine *core.Engine
	now    func() time.Time

	// Widgets (UI thread).
	demoBanner    *widget.Label
	connDot       *canvas.Circle
	connLabel     *widget.Label
	connDetail    *widget.Label
	accountLabel  *widget.Label
	sessionLabel  *widget.Label
	signOutButton *widget.Button
	agentLabel    *widget.Label
	agentTimer    *widget.Label
	stateSelect   *widget.Select
	stateError    *widget.Label
	callsBox      *fyne.Container
	noCalls       *widget.Label
	cards         map[core.CallID]*callCard
	numberEntry   *widget.Entry
	dialButton    *widget.Button
	dialError     *widget.Label
	signInBox     *fyne.Container
	accountSelect *widget.Select
	signInButton  *widget.Button
	signInError   *widget.Label
	noticeLabel   *widget.Label
	tray          *tray // nil when there is no tray

	// UI-thread state.
	shown    board                      // the board last rendered
	pending  map[string]bool            // commands in flight, by key
	errs     map[string]string          // the last failure's sentence, by area
	choices  map[string]core.AgentState // state selector label → state
	accounts []string                   // saved accounts, as last listed
	hidden   bool                       // hidden to the tray

	// The event loop and the commands.
	sub       *core.Subscription
	tasks     chan func()   // UI work from command goroutines, run via the loop
	stop      chan struct{} // closed by Close
	done      chan struct{} // closed when the loop has exited
	ctx       context.Context
	cancel    context.CancelFunc
	commands  sync.WaitGroup
	closeOnce sync.Once
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
		choices: map[string]core.AgentState{},
		tasks:   make(chan func(), 64), stop: make(chan struct{}), done: make(chan struct{}),
		ctx: ctx, cancel: cancel,
	}
	w.win = app.NewWindow(w.title())
	w.win.SetContent(w.buildUI())
	w.win.Resize(defaultWindowSize())
	w.win.SetCloseIntercept(w.closeRequested)
	if o.tray != nil {
		w.tray = newTray(o.tray, w.tr, trayActions{
			toggle: w.toggleVisible,
			ready:  func() { w.chooseState(core.ReadyState()) },
			busy:   func() { w.chooseState(core.BusyState()) },
			quit:   w.app.Quit,
		})
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

// Window is the fyne window.
func (w *MainWindow) Window() fyne.Window { return w.win }

// Close stops following the engine and waits for the commands in flight
// (they are cancelled). Call it on the UI thread (or the test's goroutine);
// it is safe to call twice.
func (w *MainWindow) Close() {
	w.closeOnce.Do(func() {
		w.cancel()
		close(w.stop)
		<-w.done
		w.sub.Close()
		w.commands.Wait()
	})
}

// Handoff puts a number from another process (`agentbar dial`, a tel:
// link) into the dial field, brings the window up, and dials when asked.
// Safe from any goroutine; it returns before the call is placed.
func (w *MainWindow) Handoff(target string, dial bool) error {
	w.post(func() {
		w.numberEntry.SetText(target)
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
		title = "agentbar"
	}
	if w.o.Demo {
		title += w.tr.T("window.demo")
	}
	return title
}

// buildUI lays the window out, top to bottom: connection and account, agent
// state, calls (scrolling), dial field, sign-in, notices.
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
	w.signOutButton = widget.NewButtonWithIcon(tr.T("signout.button"), theme.LogoutIcon(), w.signOut)
	w.signOutButton.Importance = widget.LowImportance
	connRow := container.NewBorder(nil, nil, container.NewHBox(dot, w.connLabel), w.signOutButton)
	w.accountLabel = widget.NewLabel("")
	w.accountLabel.TextStyle = fyne.TextStyle{Bold: true}
	w.accountLabel.Truncation = fyne.TextTruncateEllipsis
	w.sessionLabel = widget.NewLabel("")
	w.sessionLabel.Truncation = fyne.TextTruncateEllipsis
	w.connDetail = errorLabel()

	w.agentLabel = widget.NewLabel("")
	w.agentLabel.SizeName = theme.SizeNameHeadingText
	w.agentLabel.TextStyle = fyne.TextStyle{Bold: true}
	w.agentTimer = widget.NewLabel("")
	w.agentTimer.SizeName = theme.SizeNameHeadingText
	w.agentTimer.TextStyle = fyne.TextStyle{Monospace: true}
	w.stateSelect = widget.NewSelect(nil, w.stateChosen)
	w.stateSelect.PlaceHolder = tr.T("agent.choose")
	w.stateError = errorLabel()
	agent := container.NewVBox(
		heading(tr.T("agent.heading")),
		container.NewBorder(nil, nil, nil, w.agentTimer, w.agentLabel),
		w.stateSelect, w.stateError,
	)

	w.noCalls = widget.NewLabel(tr.T("calls.none"))
	w.noCalls.Importance = widget.LowImportance
	w.callsBox = container.NewVBox(w.noCalls)

	w.numberEntry = widget.NewEntry()
	w.numberEntry.SetPlaceHolder(tr.T("dial.placeholder"))
	w.numberEntry.OnSubmitted = func(string) { w.dial() }
	w.dialButton = widget.NewButtonWithIcon(tr.T("dial.button"), theme.MailForwardIcon(), w.dial)
	w.dialButton.Importance = widget.HighImportance
	w.dialError = errorLabel()
	dialRow := container.NewBorder(nil, nil, nil, w.dialButton, w.numberEntry)

	w.accountSelect = widget.NewSelect(nil, nil)
	w.accountSelect.PlaceHolder = tr.T("signin.account")
	w.signInButton = widget.NewButtonWithIcon(tr.T("signin.button"), theme.LoginIcon(), w.signIn)
	w.signInButton.Importance = widget.HighImportance
	w.signInError = errorLabel()
	w.signInBox = container.NewVBox(
		widget.NewSeparator(),
		heading(tr.T("signin.heading")),
		container.NewBorder(nil, nil, nil, w.signInButton, w.accountSelect),
		w.signInError,
	)

	w.noticeLabel = widget.NewLabel("")
	w.noticeLabel.Importance = widget.WarningImportance
	w.noticeLabel.Wrapping = fyne.TextWrapWord
	w.noticeLabel.Hide()

	top := container.NewVBox(
		w.demoBanner, connRow, w.accountLabel, w.sessionLabel, w.connDetail,
		widget.NewSeparator(), agent,
		widget.NewSeparator(), heading(tr.T("calls.heading")),
	)
	bottom := container.NewVBox(
		widget.NewSeparator(), dialRow, w.dialError, w.signInBox, w.noticeLabel,
	)
	return container.NewPadded(container.NewBorder(top, bottom, nil, nil, container.NewVScroll(w.callsBox)))
}

// heading is a quiet section title: grey, but at reading size.
func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Importance = widget.LowImportance
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
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
	if w.tray != nil && w.o.CloseToTray {
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

// refreshAccounts lists the saved accounts and keeps the choice if it is
// still there (or picks the only one).
func (w *MainWindow) refreshAccounts() {
	if w.o.Accounts == nil {
		return
	}
	w.accounts = w.o.Accounts()
	w.accountSelect.SetOptions(w.accounts)
	chosen := w.accountSelect.Selected
	found := false
	for _, a := range w.accounts {
		found = found || a == chosen
	}
	switch {
	case found:
	case len(w.accounts) == 1:
		w.accountSelect.Selected = w.accounts[0]
		w.accountSelect.Refresh()
	default:
		w.accountSelect.ClearSelected()
	}
}
