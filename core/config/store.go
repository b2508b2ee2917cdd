package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// Options configure OpenWith.
type Options struct {
	// Dir is the config directory; "" is DefaultPaths().ConfigDir.
	Dir string
	// ValidateFields checks each account's platform fields on load and on
	// PutAccount; nil leaves them unchecked.
	ValidateFields FieldValidator
}

// Store is the accounts and settings of one config directory. It is safe
// for concurrent use. It reads the files once, at Open, and is their only
// writer afterwards: a change made by hand while agentbar runs is
// overwritten by the next Put.
type Store struct {
	dir      string
	validate FieldValidator

	mu       sync.Mutex // guards the fields below and serializes writes
	accounts []Account
	settings Settings
	warnings []Warning

	// beforeRename, when set, runs inside every atomic write between the
	// fsync and the rename; tests use it to stand in for a crash.
	beforeRename func(tmp string) error
}

// Open loads the accounts and settings in dir ("" for the default
// directory), creating the directory (mode 0700) if needed. Missing files
// mean no accounts and DefaultSettings. Problems in either file are all
// reported, joined, each a *ValidationError with its file and line; the
// files are never rewritten by a failed Open.
func Open(dir string) (*Store, error) {
	return OpenWith(Options{Dir: dir})
}

// OpenWith is Open with options.
func OpenWith(o Options) (*Store, error) {
	dir := o.Dir
	if dir == "" {
		p, err := DefaultPaths()
		if err != nil {
			return nil, err
		}
		dir = p.ConfigDir
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := removeStaleTemps(dir, AccountsFile, SettingsFile); err != nil {
		return nil, fmt.Errorf("config: removing files left by an interrupted save: %w", err)
	}
	s := &Store{dir: dir, validate: o.ValidateFields, settings: DefaultSettings()}

	var errs []error
	if src, err := readIfExists(filepath.Join(dir, AccountsFile)); err != nil {
		errs = append(errs, err)
	} else if src != nil {
		accounts, warnings, err := decodeAccounts(src, o.ValidateFields)
		s.accounts, s.warnings = accounts, append(s.warnings, warnings...)
		errs = append(errs, err)
	}
	if src, err := readIfExists(filepath.Join(dir, SettingsFile)); err != nil {
		errs = append(errs, err)
	} else if src != nil {
		settings, warnings, err := decodeSettings(src)
		if err == nil {
			s.settings = settings
		}
		s.warnings = append(s.warnings, warnings...)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

func readIfExists(path string) ([]byte, error) {
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if src == nil {
		src = []byte{} // an empty file exists; nil means it does not
	}
	return src, nil
}

// Dir is the directory the store reads and writes.
func (s *Store) Dir() string { return s.dir }

// Warnings lists what Open ignored (unknown keys, an unreadable ringtone).
func (s *Store) Warnings() []Warning {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.warnings)
}

// Accounts returns copies of all accounts, in file order.
func (s *Store) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Account, len(s.accounts))
	for i, a := range s.accounts {
		out[i] = a.Clone()
	}
	return out
}

// Account returns a copy of the named account.
func (s *Store) Account(name string) (Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.indexOf(name); i >= 0 {
		return s.accounts[i].Clone(), true
	}
	return Account{}, false
}

func (s *Store) indexOf(name string) int {
	return slices.IndexFunc(s.accounts, func(a Account) bool { return a.Name == name })
}

// PutAccount validates a and saves it, replacing the account of the same
// name or adding it at the end. It refuses (ErrSecretField) any field
// whose key looks like a secret: move secrets to the keyring first. On any
// error nothing changes, in memory or on disk.
func (s *Store) PutAccount(a Account) error {
	a = a.Clone()
	if len(a.Fields) == 0 {
		a.Fields = nil
	}
	var errs []error
	for _, p := range accountProblems(a, s.validate) {
		errs = append(errs, problemError(AccountsFile, 0, a.Name, p))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next := slices.Clone(s.accounts)
	if i := s.indexOf(a.Name); i >= 0 {
		next[i] = a
	} else {
		next = append(next, a)
	}
	return s.writeAccounts(next)
}

// RemoveAccount deletes the named account (ErrAccountNotFound if there is
// none). The caller deletes its keyring secrets.
func (s *Store) RemoveAccount(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.indexOf(name)
	if i < 0 {
		return fmt.Errorf("%w: %q", ErrAccountNotFound, name)
	}
	return s.writeAccounts(slices.Delete(slices.Clone(s.accounts), i, i+1))
}

// writeAccounts saves accounts and, once they are on disk, adopts them.
// s.mu is held.
func (s *Store) writeAccounts(accounts []Account) error {
	// Defence in depth: whatever path led here, no secret reaches the disk.
	for _, a := range accounts {
		for k := range a.Fields {
			if LooksLikeSecret(k) {
				return problemError(AccountsFile, 0, a.Name, fieldProblem{"fields." + k, &secretFieldError{k}})
			}
		}
	}
	data, err := encodeAccounts(accounts)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(s.dir, AccountsFile), data, s.beforeRename); err != nil {
		return err
	}
	s.accounts = accounts
	return nil
}

// Settings returns a copy of the settings.
func (s *Store) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings.Clone()
}

// PutSettings validates st and saves it. On any error nothing changes.
func (s *Store) PutSettings(st Settings) error {
	st = st.Clone()
	var errs []error
	for _, p := range settingsProblems(st) {
		errs = append(errs, problemError(SettingsFile, 0, "", p))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	data, err := encodeSettings(st)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := writeFileAtomic(filepath.Join(s.dir, SettingsFile), data, s.beforeRename); err != nil {
		return err
	}
	s.settings = st
	return nil
}
