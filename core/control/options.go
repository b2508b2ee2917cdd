package control

import (
	"context"
	"log/slog"
	"time"

	"agentbar/core"
)

// Backend is what the application gives the control API. core/app
// implements it for the desktop and the headless program alike.
//
// Errors from its methods are mapped like engine errors: wrap
// core.ErrInvalidArgument for bad input (e.g. an unknown account),
// core.ErrNotLoggedIn, core.ErrTimeout ... and implement core.Sentencer for
// a sentence of your own; anything unrecognised is a 500 internal_error.
type Backend interface {
	Engine() *core.Engine
	// LoginAccount signs in to a saved account ("" = the default or only
	// one); password "" means the one saved in the keyring.
	LoginAccount(ctx context.Context, account, password string) error
	// History returns call history rows as JSON-able values, newest first.
	History(ctx context.Context, q HistoryQuery) (any, error)
	// Handoff receives a number or URI from `agentbar dial`, tel: and sip:
	// links: it fills the dial field, or dials at once when dial is true.
	Handoff(ctx context.Context, target string, dial bool) error
	// Lang is "zh" or "en": the language of "message" in error replies.
	Lang() string
}

// HistoryQuery filters GET /v1/history.
type HistoryQuery struct {
	Direction string    // "in", "out", "internal" or "" for all
	Missed    bool      // only missed calls (inbound, never answered)
	Number    string    // remote or display number contains this
	Limit     int       // rows, 1..MaxHistoryLimit (DefaultHistoryLimit when not given)
	Before    time.Time // only calls started before this; zero for the newest
}

// History paging bounds.
const (
	DefaultHistoryLimit = 50
	MaxHistoryLimit     = 1000
)

// Options configure the control API server.
type Options struct {
	Backend Backend
	// Dir is the config directory: control-token and control.json live
	// here. Created with mode 0700 if missing.
	Dir string
	// Addr to listen on; "127.0.0.1:0" (any free port) when empty. Only
	// loopback addresses are accepted.
	Addr string
	// AllowedOrigins are the CRM web origins the user listed, e.g.
	// "https://crm.example.com". A request with any other Origin is refused.
	AllowedOrigins []string
	// Version is written to the endpoint file for clients.
	Version string
	// Logger; discards when nil. Bodies and tokens are never logged.
	Logger *slog.Logger
}

// File names inside Options.Dir.
const (
	TokenFile    = "control-token"
	EndpointFile = "control.json"
)

// MaxBodyBytes bounds a request body (413 above it).
const MaxBodyBytes = 1 << 20

// tuning holds the stream's timings. Tests shorten them; production uses
// defaultTuning.
type tuning struct {
	eventBuffer  int           // events queued per stream before the engine drops for it
	writeTimeout time.Duration // one WebSocket write; a client that stalls longer is cut off
	pingInterval time.Duration // keepalive ping
	pongWait     time.Duration // no pong (or any frame) this long: the client is gone
	closeGrace   time.Duration // wait for the client's close reply
	// sendBuffer caps the kernel's send buffer of a stream's socket. A
	// client this far behind is slow: our write blocks, the engine's queue
	// for it overflows and it gets events_dropped, instead of the kernel
	// quietly holding megabytes of stale events (Linux autotunes to 4 MB).
	sendBuffer int
}

func defaultTuning() tuning {
	return tuning{
		eventBuffer:  256,
		writeTimeout: 10 * time.Second,
		pingInterval: 30 * time.Second,
		pongWait:     75 * time.Second,
		closeGrace:   time.Second,
		sendBuffer:   256 << 10,
	}
}
