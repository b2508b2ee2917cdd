package logging

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// Open creates the log directory and file and returns a logger that redacts
// and writes to it (and to stderr when opts.Debug is set), and the Closer
// that closes the file. Records logged after Close are dropped.
//
// On failure it returns an *OpenError (or an error matching ErrBadOptions);
// the caller can fall back to a stderr-only logger and show the error's
// Sentence.
func Open(opts Options) (*slog.Logger, io.Closer, error) {
	if err := opts.check(); err != nil {
		return nil, nil, err
	}
	dir := opts.Dir
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, nil, &OpenError{Path: "$XDG_CACHE_HOME/agentbar/logs", Err: err}
		}
		dir = d
	}
	if err := privateDir(dir, opts.Dir == ""); err != nil {
		return nil, nil, &OpenError{Path: dir, Err: err}
	}
	path := filepath.Join(dir, FileName)
	if err := privateFile(path); err != nil {
		return nil, nil, &OpenError{Path: path, Err: err}
	}
	file := newRotatingFile(path, opts)

	fileOpts := &slog.HandlerOptions{Level: opts.fileLevel()}
	var sink slog.Handler
	if opts.Format == Text {
		sink = slog.NewTextHandler(file, fileOpts)
	} else {
		sink = slog.NewJSONHandler(file, fileOpts)
	}
	if opts.Debug {
		stderr := opts.Stderr
		if stderr == nil {
			stderr = os.Stderr
		}
		tee := slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug})
		sink = slog.NewMultiHandler(sink, tee)
	}
	return slog.New(NewHandler(sink, opts.Redactor)), file, nil
}
