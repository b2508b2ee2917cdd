package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"agentbar/core"
	"agentbar/core/config"
	"agentbar/core/history"
	"agentbar/core/logging"
	"agentbar/core/numbers"
	"agentbar/core/secrets"
)

// Options configure Open. Every field is optional.
type Options struct {
	// Lang is "zh" or "en" for sentences; "" follows the settings.
	Lang string
	// Debug copies the log to Stderr at debug level.
	Debug  bool
	Stderr io.Writer
	// Secrets replaces the OS keyring (tests, or "sign in without saving").
	Secrets secrets.Store
	// Registry replaces core's default platform registry (tests).
	Registry *core.Registry
}

// App is one running agentbar: everything but the front end.
type App struct {
	Paths   config.Paths
	Config  *config.Store
	Secrets secrets.Store
	Log     *slog.Logger

	engine    *core.Engine
	historyDB *history.Store

	redactor *logging.Redactor
	registry *core.Registry
	writer   *history.Writer
	logClose io.Closer
	lang     string
	services any

	mu      sync.Mutex
	handoff func(target string, dial bool) error
}

// Open assembles an App: paths from XDG, the log, the config files, the
// history database (closing calls a crashed run left open), the keyring and
// the engine. Close releases all of it.
func Open(o Options) (*App, error) {
	paths, err := config.DefaultPaths()
	if err != nil {
		return nil, err
	}
	red := logging.NewRedactor()
	logger, logClose, err := logging.Open(logging.Options{Debug: o.Debug, Stderr: o.Stderr, Redactor: red})
	if err != nil {
		return nil, err
	}
	a := &App{Paths: paths, Log: logger, redactor: red, logClose: logClose}
	ok := false
	defer func() {
		if !ok {
			a.closeStores()
		}
	}()
	a.Config, err = config.Open(paths.ConfigDir)
	if err != nil {
		return nil, err
	}
	for _, w := range a.Config.Warnings() {
		logger.Warn("config", "warning", w)
	}
	a.lang = o.Lang
	if a.lang == "" {
		a.lang = ResolveLang(a.Config.Settings().UI.Language)
	}
	// Loading the location tables takes ~120 ms; do it now, not on the
	// first incoming call's popup.
	go numbers.Preload(a.lang)
	a.historyDB, err = history.Open(filepath.Join(paths.DataDir, "history.db"))
	if err != nil {
		return nil, err
	}
	if n := a.historyDB.RecoveredInterrupted(); n > 0 {
		logger.Warn("history: calls left open by the previous run marked interrupted", "count", n)
	}
	a.writer = history.NewWriter(a.historyDB, logger)
	a.Secrets = o.Secrets
	if a.Secrets == nil {
		a.Secrets = secrets.NewKeyring()
	}
	a.registry = o.Registry
	if a.registry == nil {
		a.registry = core.DefaultRegistry()
	}
	a.engine = core.New(core.Options{
		Registry:  a.registry,
		Logger:    logger,
		Journal:   journal{a.writer},
		Normalize: numbers.Normalize,
		Locate:    a.locate,
	})
	ok = true
	return a, nil
}

// Engine is the agent engine.
func (a *App) Engine() *core.Engine { return a.engine }

// HistoryStore is the call history database.
func (a *App) HistoryStore() *history.Store { return a.historyDB }

// Lang is the language of sentences: "zh" or "en".
func (a *App) Lang() string { return a.lang }

// SetServices sets what adapters receive as Config.Services (the audio
// pipeline); call it before signing in.
func (a *App) SetServices(s any) {
	a.mu.Lock()
	a.services = s
	a.mu.Unlock()
}

// Services is what adapters receive as Config.Services.
func (a *App) Services() any {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.services
}

// Registry is the platform registry the engine uses.
func (a *App) Registry() *core.Registry { return a.registry }

// locate finds a number's region and carrier offline.
func (a *App) locate(number string) (string, string) {
	info, err := numbers.LookupLang(number, a.lang)
	if err != nil {
		return "", ""
	}
	return info.Region, info.Carrier
}

// ResolveLang turns a settings value ("system", "zh", "en") into "zh" or "en".
func ResolveLang(setting string) string {
	switch setting {
	case "zh", "en":
		return setting
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if strings.HasPrefix(l, "en") {
				return "en"
			}
			return "zh"
		}
	}
	return "zh"
}

// SecretKind is the keyring kind under which an account's secret field is
// filed ("password", "token" ...).
func SecretKind(info core.Info) string {
	if f, ok := info.SecretField(); ok {
		return f.Key
	}
	return "password"
}

// LoginAccount signs in to a saved account; "" picks the only one. An empty
// password is read from the keyring.
func (a *App) LoginAccount(ctx context.Context, name, password string) error {
	acct, err := a.pickAccount(name)
	if err != nil {
		return err
	}
	info, ok := a.registry.Lookup(acct.Platform)
	if !ok {
		return &AccountError{acct.Name, fmt.Errorf("%w: %q", core.ErrUnknownPlatform, acct.Platform)}
	}
	field, hasSecret := info.SecretField()
	if hasSecret && password == "" && acct.RememberPassword {
		password, err = a.Secrets.Get(acct.Name, SecretKind(info))
		if err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return err
		}
	}
	if hasSecret && password == "" && field.Required {
		return &AccountError{acct.Name, ErrNeedPassword}
	}
	if password != "" {
		a.redactor.AddSecret(password)
	}
	extra, err := a.extraSecrets(acct.Name, info)
	if err != nil {
		return err
	}
	a.mu.Lock()
	services := a.services
	a.mu.Unlock()
	return a.engine.Login(ctx, core.LoginRequest{
		Account: acct.Name, Platform: acct.Platform, Fields: acct.Fields,
		Secret: password, ExtraSecrets: extra, Services: services,
	})
}

// extraSecrets reads the platform's further secret fields from the keyring
// (filed under their field keys). They are never typed at sign-in: one that
// is not there is simply absent, and the adapter says what it cannot do
// without it.
func (a *App) extraSecrets(account string, info core.Info) (map[string]string, error) {
	fields := info.ExtraSecretFields()
	if len(fields) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, f := range fields {
		v, err := a.Secrets.Get(account, f.Key)
		switch {
		case errors.Is(err, secrets.ErrNotFound):
			continue
		case err != nil:
			return nil, err
		}
		a.redactor.AddSecret(v)
		out[f.Key] = v
	}
	return out, nil
}

// SecretKinds are every keyring kind an account of this platform may have
// (the password's first), for forgetting an account.
func SecretKinds(info core.Info) []string {
	kinds := []string{SecretKind(info)}
	for _, f := range info.ExtraSecretFields() {
		kinds = append(kinds, f.Key)
	}
	return kinds
}

func (a *App) pickAccount(name string) (config.Account, error) {
	if name != "" {
		acct, ok := a.Config.Account(name)
		if !ok {
			return config.Account{}, &AccountError{name, ErrNoAccount}
		}
		return acct, nil
	}
	all := a.Config.Accounts()
	switch len(all) {
	case 0:
		return config.Account{}, &AccountError{"", ErrNoAccount}
	case 1:
		return all[0], nil
	}
	for _, acct := range all {
		if acct.AutoLogin {
			return acct, nil
		}
	}
	return config.Account{}, &AccountError{"", ErrAmbiguousAccount}
}

// AddSecret registers a secret with the log redactor (a password typed at
// a prompt, a token fetched from a platform).
func (a *App) AddSecret(s string) { a.redactor.AddSecret(s) }

// SetHandoff installs what happens to numbers handed over by `agentbar
// dial` or a tel: link: the desktop fills its dial field; headless dials.
func (a *App) SetHandoff(fn func(target string, dial bool) error) {
	a.mu.Lock()
	a.handoff = fn
	a.mu.Unlock()
}

// Handoff receives a number or URI from another process.
func (a *App) Handoff(ctx context.Context, target string, dial bool) error {
	a.mu.Lock()
	fn := a.handoff
	a.mu.Unlock()
	if fn != nil {
		return fn(target, dial)
	}
	_, err := a.engine.Dial(ctx, core.DialOptions{Target: target})
	return err
}

// Close signs out, flushes the history and closes everything.
func (a *App) Close(ctx context.Context) error {
	err := a.engine.Close(ctx)
	if werr := a.writer.Close(ctx); werr != nil {
		err = errors.Join(err, werr)
	}
	a.closeStores()
	return err
}

func (a *App) closeStores() {
	if a.historyDB != nil {
		_ = a.historyDB.Close()
	}
	if a.logClose != nil {
		_ = a.logClose.Close()
	}
}

// journal maps engine calls into history records.
type journal struct{ w *history.Writer }

func (j journal) Record(r core.CallRecord) {
	c := r.Call
	j.w.Submit(history.Record{
		ID: string(c.ID), Account: r.Account, Platform: r.Platform, PlatformCallID: c.PlatformCallID,
		Direction: c.Direction.String(), RemoteNumber: c.RemoteNumber, DisplayNumber: c.DisplayNumber,
		Location: c.Location, Carrier: c.Carrier, Queue: c.Queue, State: c.State.String(),
		EndReason: string(c.EndReason), Started: c.Started, Answered: c.Answered, Ended: c.Ended,
		UserData: c.UserData, Updated: c.StateSince,
	})
}

// FlushHistory waits until every call change so far is on disk.
func (a *App) FlushHistory(ctx context.Context) error { return a.writer.Flush(ctx) }
