package history

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestOpenAppliesSettings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "agentbar")
	s := openStore(t, filepath.Join(dir, FileName), WithBusyTimeout(1234*time.Millisecond))

	for name, want := range map[string]string{
		"journal_mode": "wal",
		"synchronous":  "1", // NORMAL
		"foreign_keys": "1",
		"busy_timeout": "1234",
		"user_version": strconv.Itoa(SchemaVersion()),
	} {
		if got := pragma(t, s, name); got != want {
			t.Errorf("PRAGMA %s = %s, want %s", name, got, want)
		}
	}
	// Every pooled connection, not only the first, gets the pragmas.
	ctx := testContext(t)
	c1, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	var fk, sync int
	if err := c2.QueryRowContext(ctx, "SELECT foreign_keys, synchronous FROM pragma_foreign_keys, pragma_synchronous").Scan(&fk, &sync); err != nil {
		t.Fatal(err)
	}
	if fk != 1 || sync != 1 {
		t.Errorf("second connection: foreign_keys=%d synchronous=%d, want 1 1", fk, sync)
	}

	if runtime.GOOS == "windows" {
		return // no Unix permission bits
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, s.Path(): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", path, got, want)
		}
	}
}

func TestOpenPathWithURISpecialCharacters(t *testing.T) {
	// '?', '#', '%' and spaces would be read as URI syntax if not escaped.
	dir := filepath.Join(t.TempDir(), "a?b#c%20 d 通话")
	path := filepath.Join(dir, FileName)
	s := openStore(t, path)
	mustBegin(t, s, inbound("c1", 0, "13800138000"))
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the given path: %v", err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
}

func TestOpenRejectsGarbage(t *testing.T) {
	path := tempPath(t)
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Fatalf("Open(garbage) = %v, want *OpenError", err)
	}
	if oe.Path != path || !strings.Contains(oe.Error(), path) {
		t.Errorf("OpenError does not name the path: %v", oe)
	}
	if zh := oe.Sentence("zh"); !strings.Contains(zh, "通话记录") {
		t.Errorf("zh sentence = %q", zh)
	}
	if en := oe.Sentence("en"); !strings.Contains(en, "call history") {
		t.Errorf("en sentence = %q", en)
	}
}

func TestOpenFailsWhenDirectoryCannotBeCreated(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plainfile")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(filepath.Join(file, FileName))
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Fatalf("Open under a file = %v, want *OpenError", err)
	}
}

func TestDefaultDir(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("XDG layout is for Linux and the BSDs")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, tc := range []struct {
		name, xdg, want string
	}{
		{"xdg set", "/srv/data", "/srv/data/agentbar"},
		{"xdg unset", "", filepath.Join(home, ".local", "share", "agentbar")},
		{"xdg relative is ignored", "relative/dir", filepath.Join(home, ".local", "share", "agentbar")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_DATA_HOME", tc.xdg)
			got, err := DefaultDir()
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("DefaultDir() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestStoreClosed(t *testing.T) {
	s, err := Open(tempPath(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Begin(testContext(t), inbound("c1", 0, "1")); err == nil {
		t.Error("Begin on a closed store succeeded")
	}
}
