package logging

import (
	"fmt"
	"io"
	"log/slog"
)

// Format is the log file's record format.
type Format int

const (
	// JSON writes one JSON object per line (slog.JSONHandler): what support
	// tools parse. The default.
	JSON Format = iota
	// Text writes key=value lines (slog.TextHandler).
	Text
)

func (f Format) String() string {
	switch f {
	case JSON:
		return "json"
	case Text:
		return "text"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// FileName is the name of the current log file inside the log directory.
const FileName = "agentbar.log"

// Defaults for rotation.
const (
	DefaultMaxSizeMB  = 10
	DefaultMaxBackups = 5
)

// Options configures Open. The zero value logs JSON at Info level to the
// default directory, rotating at 10 MB and keeping 5 compressed old files.
type Options struct {
	// Dir holds the log files. Empty: DefaultDir(). Open creates missing
	// directories as 0700 but changes the mode of an existing one only
	// when it is the default directory.
	Dir string
	// Format of the file. The stderr copy (Debug) is always Text.
	Format Format
	// Level is the least level written to the file. nil: Info, or Debug
	// when Debug is set.
	Level slog.Leveler
	// Debug (the --debug flag) also writes every record, from Debug level
	// up, to Stderr.
	Debug bool
	// Stderr receives the Debug copy. nil: os.Stderr.
	Stderr io.Writer
	// Redactor supplies literal secrets. nil: a new one, which the caller
	// cannot reach; pass your own to call AddSecret at login.
	Redactor *Redactor
	// MaxSizeMB is the size at which the file is rotated (lumberjack
	// counts in megabytes). 0: DefaultMaxSizeMB.
	MaxSizeMB int
	// MaxBackups is how many rotated files are kept. 0: DefaultMaxBackups.
	MaxBackups int
	// NoCompress keeps rotated files as plain text instead of gzip.
	NoCompress bool
}

// check rejects out-of-range options.
func (o Options) check() error {
	switch {
	case o.Format != JSON && o.Format != Text:
		return fmt.Errorf("%w: unknown format %v", ErrBadOptions, o.Format)
	case o.MaxSizeMB < 0:
		return fmt.Errorf("%w: MaxSizeMB %d < 0", ErrBadOptions, o.MaxSizeMB)
	case o.MaxBackups < 0:
		return fmt.Errorf("%w: MaxBackups %d < 0", ErrBadOptions, o.MaxBackups)
	}
	return nil
}

func (o Options) fileLevel() slog.Leveler {
	switch {
	case o.Level != nil:
		return o.Level
	case o.Debug:
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

func (o Options) maxSizeMB() int {
	if o.MaxSizeMB == 0 {
		return DefaultMaxSizeMB
	}
	return o.MaxSizeMB
}

func (o Options) maxBackups() int {
	if o.MaxBackups == 0 {
		return DefaultMaxBackups
	}
	return o.MaxBackups
}
