package logging

import (
	"sync"

	"gopkg.in/natefinch/lumberjack.v2"
)

// RotatorGoroutine is the top function of the goroutine lumberjack starts on
// the first write and never stops, for goleak.IgnoreTopFunction.
const RotatorGoroutine = "gopkg.in/natefinch/lumberjack%2ev2.(*Logger).millRun"

// rotatingFile is the log file. Unlike a bare lumberjack.Logger, which
// reopens its file on the next Write, it stays closed once closed.
type rotatingFile struct {
	mu     sync.Mutex
	lj     *lumberjack.Logger
	closed bool
}

func newRotatingFile(path string, o Options) *rotatingFile {
	return &rotatingFile{lj: &lumberjack.Logger{
		Filename:   path,
		MaxSize:    o.maxSizeMB(),
		MaxBackups: o.maxBackups(),
		LocalTime:  true, // backup names in the agent's time, as they read them
		Compress:   !o.NoCompress,
	}}
}

// Write writes one record; slog calls it once per record.
func (f *rotatingFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, ErrClosed
	}
	return f.lj.Write(p)
}

// Close closes the file; later writes fail with ErrClosed. It is idempotent.
func (f *rotatingFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	return f.lj.Close()
}
