package control

import (
	"errors"
	"fmt"

	"agentbar/core"
)

// Sentinel errors. Check them with errors.Is.
var (
	// ErrNotLoopback: Options.Addr names an address other people's machines
	// could reach. The control API listens on loopback only.
	ErrNotLoopback = errors.New("control: the control API listens on a loopback address only")
	// ErrNoDir: Options.Dir is empty; the token and endpoint files need a home.
	ErrNoDir = errors.New("control: no config directory")
	// ErrNoBackend: Options.Backend is nil.
	ErrNoBackend = errors.New("control: no backend")
	// ErrBadOrigin: an entry of Options.AllowedOrigins is not an origin
	// (scheme://host[:port], http or https, no path).
	ErrBadOrigin = errors.New("control: not a web origin")
	// ErrNotRunning: no agentbar instance answers at the endpoint the
	// config directory names (no endpoint file, a dead process, or a port
	// nobody listens on). Every *NotRunningError matches it.
	ErrNotRunning = errors.New("control: agentbar is not running")
	// ErrBadToken: the token file is missing, unreadable or malformed on the
	// client side.
	ErrBadToken = errors.New("control: cannot read the control token")
	// ErrStreamEnded: the server closed the event stream (agentbar is
	// shutting down). Every *StreamEndedError matches it.
	ErrStreamEnded = errors.New("control: the event stream ended")
	// ErrServerClosed: the server is closing and refuses new work.
	ErrServerClosed = errors.New("control: server closed")
)

// NotRunningError says that agentbar is not running, and why the client
// thinks so.
type NotRunningError struct {
	Reason string // technical: "no endpoint file", "process 123 is gone" ...
}

func (e *NotRunningError) Error() string { return "control: agentbar is not running: " + e.Reason }

// Unwrap makes errors.Is(err, ErrNotRunning) true.
func (e *NotRunningError) Unwrap() error { return ErrNotRunning }

// Sentence tells the agent how to start it.
func (e *NotRunningError) Sentence(lang string) string {
	if lang == "en" {
		return "agentbar is not running (start it with `agentbar` or `agentbar headless`)."
	}
	return "agentbar 没有在运行（请用 `agentbar` 或 `agentbar headless` 启动）。"
}

// StreamEndedError is the server's close of an event stream.
type StreamEndedError struct {
	Code int    // WebSocket close code (1001 going away ...)
	Text string // the close reason the server sent
}

func (e *StreamEndedError) Error() string {
	return fmt.Sprintf("control: event stream closed by agentbar (%d %s)", e.Code, e.Text)
}

// Unwrap makes errors.Is(err, ErrStreamEnded) true.
func (e *StreamEndedError) Unwrap() error { return ErrStreamEnded }

// Sentence implements core.Sentencer.
func (e *StreamEndedError) Sentence(lang string) string {
	if lang == "en" {
		return "agentbar closed the event stream (it is shutting down)."
	}
	return "agentbar 关闭了事件流（程序正在退出）。"
}

// RequestError is a request the server refused before it reached the
// engine: bad JSON, unknown command, missing token, foreign origin ...
type RequestError struct {
	Status int    // HTTP status
	Code   string // stable machine code, one of the Code* constants
	Detail string // technical detail for logs and --debug
	ZH, EN string // the sentence for the agent
}

func (e *RequestError) Error() string { return fmt.Sprintf("control: %s: %s", e.Code, e.Detail) }

// Sentence implements core.Sentencer.
func (e *RequestError) Sentence(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.ZH
}

// ArgumentError names a command argument that is missing or wrong. It
// matches core.ErrInvalidArgument.
type ArgumentError struct {
	Field  string // the JSON field or query parameter
	ZH, EN string // what is wrong, as a sentence
}

func (e *ArgumentError) Error() string {
	return fmt.Sprintf("control: invalid argument %q: %s", e.Field, e.EN)
}

// Unwrap makes errors.Is(err, core.ErrInvalidArgument) true.
func (e *ArgumentError) Unwrap() error { return core.ErrInvalidArgument }

// Sentence implements core.Sentencer.
func (e *ArgumentError) Sentence(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.ZH
}

// missingArg is the ArgumentError for a required field left out.
func missingArg(field string) *ArgumentError {
	return &ArgumentError{
		Field: field,
		ZH:    fmt.Sprintf("缺少参数“%s”。", field),
		EN:    fmt.Sprintf("The argument \"%s\" is missing.", field),
	}
}

// APIError is an error reply of the control API as the Client sees it.
type APIError struct {
	Status    int    // HTTP status
	Code      string // stable machine code: "not_logged_in" ...
	Technical string // the server's technical text ("error")
	Message   string // the sentence in the server's language
	MessageZH string
	MessageEN string
}

func (e *APIError) Error() string {
	if e.Technical != "" {
		return fmt.Sprintf("control: %d %s: %s", e.Status, e.Code, e.Technical)
	}
	return fmt.Sprintf("control: %d %s", e.Status, e.Code)
}

// Sentence returns the agent-facing sentence in lang ("zh" or "en").
func (e *APIError) Sentence(lang string) string {
	switch {
	case lang == "en" && e.MessageEN != "":
		return e.MessageEN
	case lang != "en" && e.MessageZH != "":
		return e.MessageZH
	case e.Message != "":
		return e.Message
	}
	if lang == "en" {
		return fmt.Sprintf("agentbar refused the request (HTTP %d).", e.Status)
	}
	return fmt.Sprintf("agentbar 拒绝了请求（HTTP %d）。", e.Status)
}
