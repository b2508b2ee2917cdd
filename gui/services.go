package gui

import (
	"context"

	"agentbar/audio"
	"agentbar/core/config"
	"agentbar/core/history"
)

// The window's view of the application's parts, each as small as the window
// needs: core/app's pieces satisfy them (*config.Store, *history.Store,
// *audio.Pipeline, secrets.Store), and tests pass fakes or real stores in
// temporary folders. Every method may do I/O (files, SQLite, D-Bus, sound
// devices), so the window calls them on command goroutines, never on the UI
// thread, except where a comment says the call answers from memory.

// AccountStore keeps the saved accounts (*config.Store). Accounts answers
// from memory; PutAccount and RemoveAccount write the file.
type AccountStore interface {
	Accounts() []config.Account
	PutAccount(a config.Account) error
	RemoveAccount(name string) error
}

// SettingsStore keeps the preferences (*config.Store). Settings answers from
// memory; PutSettings validates and writes the file.
type SettingsStore interface {
	Settings() config.Settings
	PutSettings(s config.Settings) error
}

// SecretStore is the keyring (secrets.Store): one secret per account and
// kind. Its errors carry sentences for the agent.
type SecretStore interface {
	Get(account, kind string) (string, error)
	Set(account, kind, value string) error
	Delete(account, kind string) error
}

// HistoryStore is the call history (*history.Store).
type HistoryStore interface {
	Query(ctx context.Context, f history.Filter) ([]history.Record, error)
	SetNote(ctx context.Context, id, note string) error
}

// Audio is the sound side (*audio.Pipeline). The level readings are atomic
// and may be read from any goroutine, and Hold (and its release) only
// counts and never blocks; the rest may open devices and is called off the
// UI thread.
type Audio interface {
	InputLevel() audio.Level
	OutputLevel() audio.Level
	// Hold keeps the sound devices running while nothing else needs them
	// (the pipeline runs them for calls, tones and ringing by itself): the
	// settings window's microphone meter.
	Hold() (release func())
	Ring(pattern audio.TonePattern) error
	StopRinging() error
	PlayTone(pattern audio.TonePattern) *audio.Tone
	StopTone()
	SetDevices(captureID, playbackID string) error
	Events() <-chan audio.DeviceEvent
}

var (
	_ AccountStore  = (*config.Store)(nil)
	_ SettingsStore = (*config.Store)(nil)
	_ HistoryStore  = (*history.Store)(nil)
	_ Audio         = (*audio.Pipeline)(nil)
)
