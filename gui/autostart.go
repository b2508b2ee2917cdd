package gui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Start at login is an XDG autostart entry (the freedesktop "Desktop
// Application Autostart" spec, which GNOME, KDE, Xfce and the rest read):
// $XDG_CONFIG_HOME/autostart/agentbar.desktop, written when the setting is
// turned on and removed when it is turned off.

// autostartFile is the entry's file name.
const autostartFile = "agentbar" + ".desktop"

// autostartDir is where the entry goes: dir when set (tests), else
// $XDG_CONFIG_HOME/autostart, else ~/.config/autostart.
func autostartDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	if x := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "autostart"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", &AutostartError{Path: "~/.config/autostart", Err: err}
	}
	return filepath.Join(home, ".config", "autostart"), nil
}

// autostartEntry is the entry for the program at exe.
func autostartEntry(exe string) string {
	return strings.Join([]string{
		"[Desktop Entry]",
		"Type=Application",
		"Name=agentbar",
		"Name[zh_CN]=坐席电话条",
		"Comment=Softphone and agent bar for call-center agents",
		"Comment[zh_CN]=呼叫中心坐席软电话",
		"Exec=" + desktopExecQuote(exe),
		"Icon=agentbar",
		"Terminal=false",
		"X-GNOME-Autostart-enabled=true",
		"",
	}, "\n")
}

// desktopExecQuote quotes a path for an Exec key: inside double quotes,
// with ", `, $ and \ escaped, when it has anything but plain characters.
func desktopExecQuote(s string) string {
	if !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`%") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '`', '$', '\\':
			b.WriteByte('\\')
		case '%':
			b.WriteByte('%') // %% is a literal percent sign
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// setAutostart writes (on) or removes (off) the entry in dir for exe.
// Writing goes through a temporary file and a rename, so a crash never
// leaves half an entry.
func setAutostart(dir, exe string, on bool) error {
	dir, err := autostartDir(dir)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, autostartFile)
	if !on {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return &AutostartError{Path: path, Err: err}
		}
		return nil
	}
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return &AutostartError{Path: path, Err: fmt.Errorf("finding the program: %w", err)}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &AutostartError{Path: path, Err: err}
	}
	tmp, err := os.CreateTemp(dir, ".agentbar-*.tmp")
	if err != nil {
		return &AutostartError{Path: path, Err: err}
	}
	defer os.Remove(tmp.Name()) // after a successful rename this finds nothing
	_, err = tmp.WriteString(autostartEntry(exe))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return &AutostartError{Path: path, Err: err}
	}
	return nil
}

// autostartEnabled reports whether the entry exists.
func autostartEnabled(dir string) bool {
	dir, err := autostartDir(dir)
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, autostartFile))
	return err == nil
}
