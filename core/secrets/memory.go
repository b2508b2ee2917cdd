package secrets

import (
	"fmt"
	"sync"
)

// Memory is a Store that lives only as long as the process: the secret of a
// session whose agent signed in without "remember password", and a stand-in
// for the keyring in unit tests. The zero value is not usable; call
// NewMemory.
type Memory struct {
	mu     sync.Mutex
	values map[string]string // by UserKey
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{values: map[string]string{}}
}

// Get returns the value saved for account and kind, or ErrNotFound.
func (m *Memory) Get(account, kind string) (string, error) {
	key, err := UserKey(account, kind)
	if err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.values[key]
	if !ok {
		return "", fmt.Errorf("%w for %s", ErrNotFound, key)
	}
	return v, nil
}

// Set saves value for account and kind, replacing what was there.
func (m *Memory) Set(account, kind, value string) error {
	key, err := UserKey(account, kind)
	if err != nil {
		return err
	}
	if err := checkValue(value); err != nil {
		return fmt.Errorf("secrets: set %s: %w", key, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.values[key] = value
	return nil
}

// Delete forgets the value for account and kind, or returns ErrNotFound.
func (m *Memory) Delete(account, kind string) error {
	key, err := UserKey(account, kind)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.values[key]; !ok {
		return fmt.Errorf("%w for %s", ErrNotFound, key)
	}
	delete(m.values, key)
	return nil
}

// Len reports how many secrets are held, so a sign-out can check that it
// forgot them all.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.values)
}
