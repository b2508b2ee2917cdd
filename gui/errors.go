package gui

import (
	"errors"
	"fmt"
	"strings"

	"agentbar/audio"
)

// Sentinel errors of the desktop window. Check them with errors.Is.
var (
	// ErrNoEngine: Run or NewMainWindow was given no engine.
	ErrNoEngine = errors.New("gui: no engine")
	// ErrNoSessionBus: no D-Bus session bus answers, so there is no tray
	// (on Linux the tray is a D-Bus StatusNotifierItem) and no desktop
	// notifications. The window still works; closing it quits.
	ErrNoSessionBus = errors.New("gui: no D-Bus session bus")
	// ErrTranslations: an embedded translation file is missing or malformed
	// (a build defect; a test guards it).
	ErrTranslations = errors.New("gui: translations")
	// ErrEmptyNumber: the agent pressed dial with an empty number field.
	ErrEmptyNumber = errors.New("gui: no number to dial")
	// ErrNothingToRedial: redial before any call was dialled.
	ErrNothingToRedial = errors.New("gui: no number dialled yet")
	// ErrNoAccountChosen: the agent pressed sign in without choosing an account.
	ErrNoAccountChosen = errors.New("gui: no account chosen")
	// ErrNoAccounts: there is no saved account to sign in with.
	ErrNoAccounts = errors.New("gui: no saved accounts")
	// ErrNoLogin: the window was built without a Login function.
	ErrNoLogin = errors.New("gui: signing in is not available")
	// ErrNoPlatformChosen: the account form was saved without a platform.
	ErrNoPlatformChosen = errors.New("gui: no platform chosen")
	// ErrAccountExists: the account form would overwrite another account.
	ErrAccountExists = errors.New("gui: an account of that name exists")
	// ErrFieldRequired: a required account field is empty.
	ErrFieldRequired = errors.New("gui: field required")
	// ErrFieldNumber: a number field holds something else.
	ErrFieldNumber = errors.New("gui: field must be a whole number")
	// ErrFieldURL: a URL field holds no full URL (or the wrong scheme).
	ErrFieldURL = errors.New("gui: field must be a full URL")
	// ErrAutostart: the start-at-login entry could not be written or removed.
	ErrAutostart = errors.New("gui: start at login")
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
	ErrEmptyNumber:      "dial.empty",
	ErrNothingToRedial:  "dial.noredial",
	ErrNoAccountChosen:  "signin.choose",
	ErrNoAccounts:       "signin.none",
	ErrNoLogin:          "signin.unavailable",
	ErrNoPlatformChosen: "account.platform.missing",
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

// FormError is a mistake in one field of the account form, named by the
// field's label as the agent sees it.
type FormError struct {
	Field   string   // the field's label
	Err     error    // a sentinel above, or config's name problem (with a Sentence)
	Schemes []string // ErrFieldURL: the schemes the field accepts
}

func (e *FormError) Error() string { return fmt.Sprintf("gui: field %q: %v", e.Field, e.Err) }

// Unwrap returns the cause.
func (e *FormError) Unwrap() error { return e.Err }

// Sentence implements core.Sentencer.
func (e *FormError) Sentence(lang string) string {
	tr := mustTranslator(lang)
	switch {
	case errors.Is(e.Err, ErrFieldRequired):
		return tr.T("form.required", "Field", e.Field)
	case errors.Is(e.Err, ErrFieldNumber):
		return tr.T("form.number", "Field", e.Field)
	case errors.Is(e.Err, ErrFieldURL):
		schemes := "http, https"
		if len(e.Schemes) > 0 {
			schemes = strings.Join(e.Schemes, ", ")
		}
		return tr.T("form.url", "Field", e.Field, "Schemes", schemes)
	case errors.Is(e.Err, ErrAccountExists):
		return tr.T("form.exists")
	}
	var s interface{ Sentence(string) string }
	if errors.As(e.Err, &s) {
		return tr.T("form.problem", "Field", e.Field, "Problem", s.Sentence(lang))
	}
	return tr.T("form.problem", "Field", e.Field, "Problem", e.Err.Error())
}

// AutostartError says why the start-at-login entry could not be written
// or removed.
type AutostartError struct {
	Path string
	Err  error
}

func (e *AutostartError) Error() string { return fmt.Sprintf("gui: autostart %s: %v", e.Path, e.Err) }

// Unwrap returns ErrAutostart and the cause.
func (e *AutostartError) Unwrap() []error { return []error{ErrAutostart, e.Err} }

// Sentence implements core.Sentencer.
func (e *AutostartError) Sentence(lang string) string {
	return mustTranslator(lang).T("settings.autostart.failed", "Path", e.Path)
}

// deviceNotice carries a sound device's notice (a headset unplugged) to
// the window's notice line.
type deviceNotice struct{ ev audio.DeviceEvent }

func (d *deviceNotice) Error() string { return d.ev.String() }

// Sentence implements core.Sentencer.
func (d *deviceNotice) Sentence(lang string) string { return d.ev.Sentence(lang) }
