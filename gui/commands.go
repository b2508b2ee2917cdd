package gui

import (
	"context"
	"errors"
	"strings"

	"agentbar/core"
)

// Areas where a failed command's sentence appears.
const (
	areaState  = "state"
	areaDial   = "dial"
	areaSignIn = "signin"
	areaHeader = "header" // sign-out
)

// start runs a command on its own goroutine. UI thread only. key marks it
// in flight (its control shows progress and ignores further taps); a
// failure's sentence goes to area. The outcome comes back through the event
// loop, which runs it on the UI thread and renders.
func (w *MainWindow) start(key, area string, fn func(ctx context.Context) error) {
	w.startThen(key, area, fn, nil)
}

// startThen is start with then run on the UI thread after the command,
// with its error.
func (w *MainWindow) startThen(key, area string, fn func(ctx context.Context) error, then func(err error)) {
	if w.pending[key] || w.ctx.Err() != nil {
		return
	}
	w.pending[key] = true
	delete(w.errs, area)
	w.render()
	w.commands.Add(1)
	go func() {
		defer w.commands.Done()
		err := fn(w.ctx)
		if err != nil {
			w.log.Warn("gui: command failed", "command", key, "err", err)
		}
		w.post(func() {
			delete(w.pending, key)
			if err != nil {
				w.errs[area] = core.Sentence(err, w.tr.lang)
			}
			if then != nil {
				then(err)
			}
		})
	}()
}

// fail shows a sentence for a mistake caught before any command ran.
func (w *MainWindow) fail(area string, err error) {
	w.errs[area] = core.Sentence(err, w.tr.lang)
	w.render()
}

// callKey names a call action in flight; callArea is where its failure shows.
func callKey(id core.CallID, a core.Action) string { return "call:" + string(id) + ":" + a.String() }
func callArea(id core.CallID) string               { return "call:" + string(id) }

// callAction runs an action on one call (a card's button).
func (w *MainWindow) callAction(id core.CallID, a core.Action) {
	e := w.engine
	var fn func(ctx context.Context) error
	switch a {
	case core.ActAnswer:
		fn = func(ctx context.Context) error { return e.Answer(ctx, id) }
	case core.ActHangup:
		fn = func(ctx context.Context) error { return e.Hangup(ctx, id) }
	case core.ActHold:
		fn = func(ctx context.Context) error { return e.Hold(ctx, id) }
	case core.ActResume:
		fn = func(ctx context.Context) error { return e.Resume(ctx, id) }
	default:
		return
	}
	w.start(callKey(id, a), callArea(id), fn)
}

// stateChosen: the agent picked a state in the selector.
func (w *MainWindow) stateChosen(label string) {
	if s, ok := w.choices[label]; ok {
		w.chooseState(s)
	}
}

// chooseState asks the platform for an agent state (selector or tray).
func (w *MainWindow) chooseState(s core.AgentState) {
	if !w.shown.loggedIn || s.Equal(w.shown.agent) {
		w.render() // put the selector back on the current state
		return
	}
	w.start("state", areaState, func(ctx context.Context) error {
		return w.engine.SetAgentState(ctx, s)
	})
}

// dial calls the number in the dial field (button or Enter).
func (w *MainWindow) dial() {
	number := strings.TrimSpace(w.numberEntry.Text)
	if number == "" {
		w.fail(areaDial, &InputError{ErrEmptyNumber})
		return
	}
	w.startThen("dial", areaDial, func(ctx context.Context) error {
		_, err := w.engine.Dial(ctx, core.DialOptions{Target: number})
		return err
	}, func(err error) {
		// The call shows in its card now; clear the field unless the agent
		// has typed something else meanwhile.
		if err == nil && strings.TrimSpace(w.numberEntry.Text) == number {
			w.numberEntry.SetText("")
		}
	})
}

// signIn signs in to the chosen account.
func (w *MainWindow) signIn() {
	switch {
	case w.o.Login == nil:
		w.fail(areaSignIn, &InputError{ErrNoLogin})
		return
	case len(w.accounts) == 0:
		w.fail(areaSignIn, &InputError{ErrNoAccounts})
		return
	case w.accountSelect.Selected == "":
		w.fail(areaSignIn, &InputError{ErrNoAccountChosen})
		return
	}
	account, login := w.accountSelect.Selected, w.o.Login
	w.start("signin", areaSignIn, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, commandTimeout)
		defer cancel()
		err := login(ctx, account)
		if errors.Is(err, core.ErrAlreadyLoggedIn) {
			return nil // signed in meanwhile (auto-login, the control API)
		}
		return err
	})
}

// signOut ends the session.
func (w *MainWindow) signOut() {
	w.start("signout", areaHeader, func(ctx context.Context) error {
		err := w.engine.Logout(ctx)
		if errors.Is(err, core.ErrNotLoggedIn) {
			return nil
		}
		return err
	})
}
