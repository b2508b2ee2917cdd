package secrets

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// storeContract runs the behaviour every Store shares. newStore must return
// an empty store.
func storeContract(t *testing.T, newStore func(t *testing.T) Store) {
	t.Helper()
	values := []struct{ name, value string }{
		{"ascii", "s3cret!"},
		{"unicode", "密码🔐 пароль ü"},
		{"4KiB", strings.Repeat("0123456789abcdef", 256)},
		{"spaces and quotes", ` "x' \ `},
	}
	for _, v := range values {
		t.Run("round trip "+v.name, func(t *testing.T) {
			s := newStore(t)
			if err := s.Set("office", KindPassword, v.value); err != nil {
				t.Fatalf("Set: %v", err)
			}
			got, err := s.Get("office", KindPassword)
			if err != nil || got != v.value {
				t.Fatalf("Get = %q, %v; want %q", got, err, v.value)
			}
			if err := s.Delete("office", KindPassword); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := s.Get("office", KindPassword); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
			}
		})
	}
	t.Run("kinds and accounts are separate", func(t *testing.T) {
		s := newStore(t)
		must(t, s.Set("office", KindPassword, "p1"))
		must(t, s.Set("office", KindToken, "t1"))
		must(t, s.Set("home", KindPassword, "p2"))
		for _, c := range []struct{ account, kind, want string }{
			{"office", KindPassword, "p1"}, {"office", KindToken, "t1"}, {"home", KindPassword, "p2"},
		} {
			if got, err := s.Get(c.account, c.kind); err != nil || got != c.want {
				t.Errorf("Get(%s, %s) = %q, %v; want %q", c.account, c.kind, got, err, c.want)
			}
		}
		if _, err := s.Get("home", KindToken); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(home, token) = %v, want ErrNotFound", err)
		}
		for _, c := range []struct{ account, kind string }{{"office", KindPassword}, {"office", KindToken}, {"home", KindPassword}} {
			must(t, s.Delete(c.account, c.kind))
		}
	})
	t.Run("set replaces", func(t *testing.T) {
		s := newStore(t)
		must(t, s.Set("office", KindPassword, "old"))
		must(t, s.Set("office", KindPassword, "new"))
		if got, err := s.Get("office", KindPassword); err != nil || got != "new" {
			t.Fatalf("Get = %q, %v; want new", got, err)
		}
		must(t, s.Delete("office", KindPassword))
	})
	t.Run("delete missing", func(t *testing.T) {
		if err := newStore(t).Delete("nobody", KindPassword); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Delete = %v, want ErrNotFound", err)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		s := newStore(t)
		for _, c := range []struct {
			account, kind, value string
			want                 error
		}{
			{"", KindPassword, "x", ErrInvalidKey},
			{"a/b", KindPassword, "x", ErrInvalidKey},
			{"office", "", "x", ErrInvalidKey},
			{"office", KindPassword, "", ErrEmptySecret},
			{"office", KindPassword, strings.Repeat("x", MaxSecretLen+1), ErrTooBig},
		} {
			if err := s.Set(c.account, c.kind, c.value); !errors.Is(err, c.want) {
				t.Errorf("Set(%q, %q, len %d) = %v, want %v", c.account, c.kind, len(c.value), err, c.want)
			}
		}
		if _, err := s.Get("a/b", KindPassword); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Get(a/b) = %v, want ErrInvalidKey", err)
		}
		if err := s.Delete("office", "x/y"); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Delete(office, x/y) = %v, want ErrInvalidKey", err)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestMemoryContract(t *testing.T) {
	storeContract(t, func(*testing.T) Store { return NewMemory() })
}

func TestMemoryConcurrent(t *testing.T) {
	m := NewMemory()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			account := fmt.Sprintf("agent%d", i)
			for j := range 100 {
				value := fmt.Sprintf("v%d", j)
				if err := m.Set(account, KindPassword, value); err != nil {
					t.Error(err)
					return
				}
				if got, err := m.Get(account, KindPassword); err != nil || got != value {
					t.Errorf("Get = %q, %v; want %q", got, err, value)
					return
				}
			}
			if err := m.Delete(account, KindPassword); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := m.Len(); n != 0 {
		t.Fatalf("Len = %d after every goroutine deleted its secret", n)
	}
}
