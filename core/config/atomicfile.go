package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// File and directory modes: the files name servers and user ids, which are
// nobody else's business.
const (
	fileMode = 0o600
	dirMode  = 0o700
)

// tempPrefix starts the name of a file being written; a crash can leave one
// behind, and Open removes those.
const tempPrefix = ".tmp-"

// writeFileAtomic replaces path with data so that a reader, or the next
// start after a crash, sees either the old file or the new one, whole:
// write a temporary file in the same directory, fsync it, rename it over
// path, fsync the directory. beforeRename, when set, runs between the
// fsync and the rename (tests use it to stand in for a crash).
func writeFileAtomic(path string, data []byte, beforeRename func(tmp string) error) (err error) {
	dir, base := filepath.Split(path)
	f, err := os.CreateTemp(dir, tempPrefix+base+"-*")
	if err != nil {
		return fmt.Errorf("config: write %s: %w", base, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	// CreateTemp already uses 0600 less the umask; make it exactly 0600.
	if err := f.Chmod(fileMode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("config: write %s: %w", base, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("config: write %s: %w", base, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("config: write %s: sync: %w", base, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("config: write %s: %w", base, err)
	}
	if beforeRename != nil {
		if err := beforeRename(tmp); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("config: write %s: %w", base, err)
	}
	// The rename is durable only once the directory entry is on disk.
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("config: write %s: sync directory: %w", base, err)
	}
	return nil
}

func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be opened for sync there; NTFS journals renames
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// removeStaleTemps deletes temporary files a crash left in dir. Only files
// named like ours for our own file names are touched.
func removeStaleTemps(dir string, names ...string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		for _, name := range names {
			if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), tempPrefix+name+"-") {
				continue
			}
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
