package gui

import (
	"errors"
	"fmt"
)

// Sentinel errors of the desktop window. Check them with errors.Is.
var (
	// ErrNoEngine: Run or NewMainWindow was given no engine.
	ErrNoEngine = errors.New("gui: no engine")
	// ErrNoSessionBus: no D-Bus session bus answers, so there is no tray
	// (on Linux the tray is a D-Bus StatusNotifierItem). The window still
	// works; closing it quits.
	ErrNoSessionBus = errors.New("gui: no D-Bus session bus")
	// ErrTranslations: an embedded translation file is missing or malformed
	// (a build defect; a test guards it).
	ErrTranslations = errors.New("gui: translations")
	// ErrEmptyNumber: the agent pressed dial with an empty number field.
	ErrEmptyNumber = errors.New("gui: no number to dial")
	// ErrNoAccountChosen: the agent pressed sign in without choosing an account.
	ErrNoAccountChosen = errors.New("gui: no account chosen")
	// ErrNoAccounts: there is no saved account to sign in with.
	ErrNoAccounts = errors.New("gui: no saved accounts")
	// ErrNoLogin: the window was built without a Login function.
	ErrNoLogin = errors.New("gui: signing in is not available")
)

// InputError is a mistake the agent can fix in the window itself (an empty
// number field, no account chosen). Error() is for the log; Sentence is
// what the agent reads.
type InputError struct {
	Err error // one of the sentinels above
}

func (e *InputError) Error() string { return fmt.Sprintf("gui: input: %v", e.Err) }

// Unwrap returns the sentinel.
func (e *InputError) Unwrap() error { return e.Err }

// inputSentenceKeys maps each input sentinel to its translation key.
var inputSentenceKeys = map[error]string{
	ErrEmptyNumber:     "dial.empty",
	ErrNoAccountChosen: "signin.choose",
	ErrNoAccounts:      "signin.none",
	ErrNoLogin:         "signin.unavailable",
}

// Sentence implements core.Sentencer: lang is "zh" or "en".
func (e *InputError) Sentence(lang string) string {
	for sentinel, key := range inputSentenceKeys {
		if errors.Is(e.Err, sentinel) {
			return mustTranslator(lang).T(key)
		}
	}
	return ""
}
