package logging

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultDir is os.UserCacheDir()/agentbar/logs: $XDG_CACHE_HOME or
// ~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on Windows.
func DefaultDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNoDir, err)
	}
	return filepath.Join(base, "agentbar", "logs"), nil
}

// privateDir creates dir (and missing parents) as 0700: logs hold
// customers' numbers. An existing dir is tightened to 0700 only when ours
// is true (the default directory, which belongs to agentbar); a directory
// the user chose may be shared ("/tmp") and is left alone, the 0600 file
// protecting the log.
func privateDir(dir string, ours bool) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if !ours {
		return nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if info.Mode().Perm() != 0o700 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

// privateFile creates path as 0600, or tightens it to 0600. lumberjack keeps
// the mode of the file it finds for the files it rotates to.
func privateFile(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err == nil && info.Mode().Perm() != 0o600 {
		err = f.Chmod(0o600)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
