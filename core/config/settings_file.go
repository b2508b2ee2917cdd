package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/BurntSushi/toml"
)

const settingsHeader = `# agentbar settings. Keys left out take their default values. agentbar
# rewrites this file when settings change, so comments added here are not
# kept.

`

// settingsDoc is settings.toml: the version and the sections.
type settingsDoc struct {
	Version int `toml:"version"`
	Settings
}

// decodeSettings reads and validates settings.toml over DefaultSettings.
func decodeSettings(src []byte) (Settings, []Warning, error) {
	doc := settingsDoc{Settings: DefaultSettings()}
	md, err := toml.NewDecoder(bytes.NewReader(src)).Decode(&doc)
	if err != nil {
		return Settings{}, nil, decodeError(SettingsFile, err)
	}
	lines := scanKeyLines(string(src))
	warnings := unknownKeyWarnings(SettingsFile, md, lines)
	if err := versionError(SettingsFile, doc.Version, lines); err != nil {
		return Settings{}, warnings, err
	}
	var errs []error
	for _, p := range settingsProblems(doc.Settings) {
		errs = append(errs, problemError(SettingsFile, lines.line(p.field), "", p))
	}
	if len(errs) > 0 {
		return Settings{}, warnings, errors.Join(errs...)
	}
	if r := doc.Audio.Ringtone; r != "" {
		if _, err := os.Stat(r); err != nil {
			warnings = append(warnings, Warning{File: SettingsFile, Line: lines.line("audio.ringtone"), Key: "audio.ringtone",
				Message: fmt.Sprintf("ringtone %s cannot be read (%v); the built-in tone will ring", r, err)})
		}
	}
	return doc.Settings, warnings, nil
}

// encodeSettings writes s as settings.toml.
func encodeSettings(s Settings) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(settingsHeader)
	enc := toml.NewEncoder(&buf)
	enc.Indent = ""
	if err := enc.Encode(settingsDoc{Version: formatVersion, Settings: s}); err != nil {
		return nil, fmt.Errorf("config: encode %s: %w", SettingsFile, err)
	}
	return buf.Bytes(), nil
}
