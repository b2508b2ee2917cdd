package history

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Test with errors.Is: the errors returned wrap them.
var (
	// ErrNotFound: no call with that id is in the history.
	ErrNotFound = errors.New("history: call not found")
	// ErrDuplicate: Begin was called for an id that is already recorded.
	ErrDuplicate = errors.New("history: call already recorded")
	// ErrInvalidRecord: a record failed validation (empty id, unknown
	// direction or state, zero start time, time out of range). Retrying the
	// same record cannot succeed.
	ErrInvalidRecord = errors.New("history: invalid record")
	// ErrSchemaTooNew: the database was written by a newer agentbar whose
	// schema this build does not know.
	ErrSchemaTooNew = errors.New("history: database schema is newer than this program")
	// ErrInvalidFilter: a query filter names an unknown direction.
	ErrInvalidFilter = errors.New("history: invalid filter")
	// ErrClosed: the Writer or Store is closed.
	ErrClosed = errors.New("history: closed")
	// ErrUnsaved: Writer.Close gave up before every submitted record was on
	// disk.
	ErrUnsaved = errors.New("history: records not saved")
)

// OpenError is returned by Open when the database cannot be opened, created
// or migrated. It wraps the cause; its Sentence is what the agent reads.
type OpenError struct {
	Path string
	Err  error
}

func (e *OpenError) Error() string { return fmt.Sprintf("history: open %s: %v", e.Path, e.Err) }

// Unwrap returns the cause.
func (e *OpenError) Unwrap() error { return e.Err }

// Sentence is the agent-facing message, lang "zh" or "en". A cause that has
// its own sentence (such as SchemaTooNewError) speaks for itself.
func (e *OpenError) Sentence(lang string) string {
	var s interface{ Sentence(string) string }
	if errors.As(e.Err, &s) {
		return s.Sentence(lang)
	}
	if lang == "en" {
		return fmt.Sprintf("The call history at %s cannot be opened. Check free disk space and the file's permissions; calls still work but are not recorded.", e.Path)
	}
	return fmt.Sprintf("无法打开通话记录数据库（%s）。请检查磁盘空间和文件权限；通话不受影响，但不会被记录。", e.Path)
}

// SchemaTooNewError says the database has a schema version this build does
// not know: a newer agentbar wrote it. Opening it anyway could corrupt it.
type SchemaTooNewError struct {
	Found int // the database's schema version
	Known int // the newest version this build knows
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("history: database schema version %d is newer than this program's %d", e.Found, e.Known)
}

// Unwrap makes errors.Is(err, ErrSchemaTooNew) true.
func (e *SchemaTooNewError) Unwrap() error { return ErrSchemaTooNew }

// Sentence is the agent-facing message, lang "zh" or "en".
func (e *SchemaTooNewError) Sentence(lang string) string {
	if lang == "en" {
		return "The call history was written by a newer version of agentbar. Update agentbar to see it; it was left untouched."
	}
	return "通话记录由更新版本的 agentbar 创建。请升级 agentbar 后查看；记录未被改动。"
}

// UnsavedError is returned by Writer.Close when records were still waiting
// for the disk when its context ended. The ids are logged too.
type UnsavedError struct {
	CallIDs []string // ids of the records not written, in submission order
	Err     error    // why Close stopped waiting (usually the context's error)
}

func (e *UnsavedError) Error() string {
	return fmt.Sprintf("history: %d records not saved (calls %s): %v", len(e.CallIDs), strings.Join(e.CallIDs, ","), e.Err)
}

// Unwrap makes errors.Is match both ErrUnsaved and the cause.
func (e *UnsavedError) Unwrap() []error { return []error{ErrUnsaved, e.Err} }

// Sentence is the agent-facing message, lang "zh" or "en".
func (e *UnsavedError) Sentence(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("%d call history updates could not be saved before exit.", len(e.CallIDs))
	}
	return fmt.Sprintf("退出前有 %d 条通话记录更新未能保存。", len(e.CallIDs))
}
