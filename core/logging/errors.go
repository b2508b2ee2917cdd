package logging

import (
	"errors"
	"fmt"
)

// Sentinel errors. Test with errors.Is: the errors returned wrap them.
var (
	// ErrClosed: a record was written after the io.Closer returned by Open
	// was closed. slog drops it; the file is not reopened.
	ErrClosed = errors.New("logging: log file closed")
	// ErrNoDir: Options.Dir is empty and the user's cache directory is
	// unknown (neither $XDG_CACHE_HOME nor $HOME is set).
	ErrNoDir = errors.New("logging: no directory for the log file")
	// ErrBadOptions: an option is out of range (negative sizes, unknown
	// format).
	ErrBadOptions = errors.New("logging: invalid options")
)

// OpenError is returned by Open when the log directory or file cannot be
// created. It wraps the cause. The program can still run without a log
// file (log to stderr instead); its Sentence tells the agent so.
type OpenError struct {
	Path string // the directory or file that failed
	Err  error
}

func (e *OpenError) Error() string { return fmt.Sprintf("logging: open %s: %v", e.Path, e.Err) }

// Unwrap returns the cause.
func (e *OpenError) Unwrap() error { return e.Err }

// Sentence is the agent-facing message, lang "zh" or "en".
func (e *OpenError) Sentence(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("The log file cannot be created at %s. agentbar works, but keeps no log. Check free disk space and the folder's permissions.", e.Path)
	}
	return fmt.Sprintf("无法创建日志文件（%s）。程序可以继续使用，但不会保存日志。请检查磁盘空间和目录权限。", e.Path)
}
