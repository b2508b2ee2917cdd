package gui

import (
	"context"
	"errors"

	"agentbar/core"
)

// Areas where a failed command's sentence appears.
const (
	areaState    = "state"
	areaDial     = "dial"
	areaSignIn   = "signin"
	areaAccount  = "account" // the account form
	areaHeader   = "header"  // sign-out
	areaHistory  = "history"
	areaSettings = "settings"
	areaWall     = "wall"
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

// callAction runs an action that needs nothing but the call (a card's
// button, the popup, the tray, a shortcut).
func (w *MainWindow) callAction(id core.CallID, a core.Action) {
	e := w.engine
	var fn func(ctx context.Context) error
	switch a {
	case core.ActAnswer:
		fn = func(ctx context.Context) error { return e.Answer(ctx, id) }
	case core.ActReject:
		fn = func(ctx context.Context) error { return e.Reject(ctx, id) }
	case core.ActHangup:
		fn = func(ctx context.Context) error { return e.Hangup(ctx, id) }
	case core.ActHold:
		fn = func(ctx context.Context) error { return e.Hold(ctx, id) }
	case core.ActResume:
		fn = func(ctx context.Context) error { return e.Resume(ctx, id) }
	case core.ActMute:
		fn = func(ctx context.Context) error { return e.Mute(ctx, id, true) }
	case core.ActUnmute:
		fn = func(ctx context.Context) error { return e.Mute(ctx, id, false) }
	case core.ActConsultTransfer:
		fn = func(ctx context.Context) error { return e.ConsultTransfer(ctx, id) }
	case core.ActConsultCancel:
		fn = func(ctx context.Context) error { return e.ConsultCancel(ctx, id) }
	case core.ActConsultConference:
		fn = func(ctx context.Context) error { return e.ConsultConference(ctx, id) }
	case core.ActConferenceRetrieve:
		fn = func(ctx context.Context) error { return e.ConferenceRetrieve(ctx, id) }
	case core.ActConferenceTransfer:
		fn = func(ctx context.Context) error { return e.ConferenceTransfer(ctx, id) }
	default:
		return
	}
	w.start(callKey(id, a), callArea(id), fn)
}

// targetAction transfers, consults or conferences a call to a target from
// the picker. The picker closes when the platform accepted.
func (w *MainWindow) targetAction(id core.CallID, mode pickerMode, to core.Target) {
	e := w.engine
	var fn func(ctx context.Context) error
	switch mode {
	case pickTransfer:
		fn = func(ctx context.Context) error { return e.Transfer(ctx, id, to) }
	case pickConsult:
		fn = func(ctx context.Context) error { return e.Consult(ctx, id, to) }
	case pickConference:
		fn = func(ctx context.Context) error { return e.Conference(ctx, id, to) }
	default:
		return
	}
	w.startThen(pickKey(id), callArea(id), fn, func(err error) {
		if err == nil {
			if c := w.cards[id]; c != nil {
				c.closeTools()
			}
		}
	})
}

func pickKey(id core.CallID) string { return "call:" + string(id) + ":pick" }

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
