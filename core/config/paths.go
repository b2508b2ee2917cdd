package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// AppDirName is agentbar's directory inside each base directory.
const AppDirName = "agentbar"

// Paths are agentbar's per-user directories. None is created here.
type Paths struct {
	// ConfigDir holds accounts.toml and settings.toml:
	// $XDG_CONFIG_HOME/agentbar (~/.config/agentbar), as os.UserConfigDir.
	ConfigDir string
	// DataDir holds data worth keeping (call history):
	// $XDG_DATA_HOME/agentbar (~/.local/share/agentbar).
	DataDir string
	// CacheDir holds what can be rebuilt (number-location tables, caches):
	// $XDG_CACHE_HOME/agentbar (~/.cache/agentbar).
	CacheDir string
	// StateDir holds logs and other state that survives restarts but is not
	// worth backing up: $XDG_STATE_HOME/agentbar (~/.local/state/agentbar).
	StateDir string
}

// DefaultPaths returns the directories for this user on this system.
//
// On Linux and the BSDs they follow the XDG Base Directory spec: each
// $XDG_*_HOME is used when set to an absolute path and ignored otherwise
// (the spec says relative values are invalid), falling back to $HOME. On
// macOS: ~/Library/Application Support/agentbar for config and data,
// ~/Library/Caches/agentbar, ~/Library/Logs/agentbar. On Windows:
// %AppData%\agentbar for config, %LocalAppData%\agentbar for data, with
// cache and state beneath it.
func DefaultPaths() (Paths, error) {
	return pathsFor(runtime.GOOS, os.Getenv)
}

func pathsFor(goos string, getenv func(string) string) (Paths, error) {
	join := func(base string, elem ...string) string {
		return filepath.Join(append([]string{base, AppDirName}, elem...)...)
	}
	switch goos {
	case "windows":
		roaming, local := getenv("AppData"), getenv("LocalAppData")
		if roaming == "" || local == "" {
			return Paths{}, errors.New("config: %AppData% or %LocalAppData% is not set")
		}
		return Paths{
			ConfigDir: join(roaming),
			DataDir:   join(local),
			CacheDir:  join(local, "cache"),
			StateDir:  join(local, "state"),
		}, nil
	case "darwin", "ios":
		home := getenv("HOME")
		if home == "" {
			return Paths{}, errors.New("config: $HOME is not set")
		}
		lib := filepath.Join(home, "Library")
		return Paths{
			ConfigDir: join(filepath.Join(lib, "Application Support")),
			DataDir:   join(filepath.Join(lib, "Application Support")),
			CacheDir:  join(filepath.Join(lib, "Caches")),
			StateDir:  join(filepath.Join(lib, "Logs")),
		}, nil
	}
	home := getenv("HOME")
	base := func(env, fallback string) (string, error) {
		if d := getenv(env); d != "" && filepath.IsAbs(d) {
			return d, nil
		}
		if home == "" {
			return "", errors.New("config: neither $" + env + " nor $HOME is set")
		}
		return filepath.Join(home, fallback), nil
	}
	var p Paths
	for _, d := range []struct {
		dst           *string
		env, fallback string
	}{
		{&p.ConfigDir, "XDG_CONFIG_HOME", ".config"},
		{&p.DataDir, "XDG_DATA_HOME", filepath.Join(".local", "share")},
		{&p.CacheDir, "XDG_CACHE_HOME", ".cache"},
		{&p.StateDir, "XDG_STATE_HOME", filepath.Join(".local", "state")},
	} {
		b, err := base(d.env, d.fallback)
		if err != nil {
			return Paths{}, err
		}
		*d.dst = join(b)
	}
	return p, nil
}
