package history

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// FileName is the database's name inside the data directory.
const FileName = "history.db"

// appDirName is agentbar's directory under the platform's data directory.
const appDirName = "agentbar"

// DefaultDir is agentbar's user data directory: $XDG_DATA_HOME/agentbar, or
// ~/.local/share/agentbar when XDG_DATA_HOME is unset or relative (as the XDG
// spec says). On macOS ~/Library/Application Support/agentbar, on Windows
// %LocalAppData%\agentbar. The directory is not created.
func DefaultDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, appDirName), nil
		}
		return "", fmt.Errorf("history: %%LocalAppData%% is not set")
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("history: data directory: %w", err)
		}
		return filepath.Join(home, "Library", "Application Support", appDirName), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, appDirName), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("history: data directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", appDirName), nil
}
