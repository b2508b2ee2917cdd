package gui

import (
	"context"

	"agentbar/core"
)

// Keypad digits during a call go out in the order they were pressed: one
// command at a time per call, carrying every digit pressed while the
// previous one was on its way (an IVR menu typed quickly still arrives as
// typed).

// dtmfKey names a call's digits in flight.
func dtmfKey(id core.CallID) string { return "dtmf:" + string(id) }

// sendDigit queues one keypad press for a call. UI thread.
func (w *MainWindow) sendDigit(id core.CallID, r rune) {
	w.dtmfQueue[id] += string(r)
	w.dtmfShown[id] += string(r)
	w.pumpDTMF(id)
	w.render()
}

// pumpDTMF sends what is queued unless a send is already on its way.
func (w *MainWindow) pumpDTMF(id core.CallID) {
	digits := w.dtmfQueue[id]
	if digits == "" || w.pending[dtmfKey(id)] {
		return
	}
	delete(w.dtmfQueue, id)
	w.startThen(dtmfKey(id), callArea(id), func(ctx context.Context) error {
		return w.engine.SendDTMF(ctx, id, digits)
	}, func(err error) {
		if err != nil {
			// What was pressed after a failure is not sent either: the far
			// end would get a number with a hole in it.
			delete(w.dtmfQueue, id)
			return
		}
		w.pumpDTMF(id)
	})
}

// dtmfLine is what the card shows under its keypad: the digits sent.
func (w *MainWindow) dtmfLine(id core.CallID) string {
	s := w.dtmfShown[id]
	if s == "" {
		return ""
	}
	return w.tr.T("call.dtmf.sent", "Digits", s)
}

// forgetCall drops what the window kept about a call that has ended.
func (w *MainWindow) forgetCall(id core.CallID) {
	delete(w.cards, id)
	delete(w.errs, callArea(id))
	delete(w.dtmfQueue, id)
	delete(w.dtmfShown, id)
}
