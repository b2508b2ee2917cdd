package control

import (
	"context"
	"errors"
	"net/http"

	"agentbar/core"
)

// Error codes of the control API ("code" in every error reply). They are
// part of the contract: clients switch on them, never on the text.
const (
	CodeMalformedRequest = "malformed_request"  // 400: not JSON, wrong types, unknown fields
	CodeInvalidArgument  = "invalid_argument"   // 400: a value failed validation
	CodeUnknownPlatform  = "unknown_platform"   // 400: the account names a platform agentbar lacks
	CodeUnauthorized     = "unauthorized"       // 401: no or wrong token
	CodeForbiddenOrigin  = "forbidden_origin"   // 403: a web page from an origin not listed
	CodeForbiddenHost    = "forbidden_host"     // 403: Host header is not loopback (DNS rebinding)
	CodeUnknownCommand   = "unknown_command"    // 404
	CodeNoSuchCall       = "no_such_call"       // 404
	CodeMethodNotAllowed = "method_not_allowed" // 405
	CodeNotLoggedIn      = "not_logged_in"      // 409
	CodeAlreadyLoggedIn  = "already_logged_in"  // 409
	CodeNotAllowedNow    = "not_allowed_now"    // 409
	CodeBodyTooLarge     = "body_too_large"     // 413
	CodeInternal         = "internal_error"     // 500
	CodeNotSupported     = "not_supported"      // 501
	CodePlatformError    = "platform_error"     // 502: the platform refused or failed
	CodeNotConnected     = "not_connected"      // 503: signed in, platform connection down
	CodeShuttingDown     = "shutting_down"      // 503
	CodeTimeout          = "timeout"            // 504
	// CodeCancelled: the client went away before the reply; nobody reads
	// it, but the log shows why the request ended.
	CodeCancelled = "cancelled" // 499 (nginx's "client closed request")
)

// statusClientClosed is nginx's non-standard status for a request whose
// client went away.
const statusClientClosed = 499

// classify maps an error to its HTTP status and code. Order matters: an
// *core.OpError wraps the adapter's error, which may itself match a core
// sentinel (a platform's "not allowed" or a timeout), and the more precise
// answer wins over "platform_error".
func classify(err error) (int, string) {
	var re *RequestError
	if errors.As(err, &re) {
		return re.Status, re.Code
	}
	switch {
	case errors.Is(err, core.ErrInvalidArgument):
		return http.StatusBadRequest, CodeInvalidArgument
	case errors.Is(err, core.ErrUnknownPlatform):
		return http.StatusBadRequest, CodeUnknownPlatform
	case errors.Is(err, core.ErrNoSuchCall):
		return http.StatusNotFound, CodeNoSuchCall
	case errors.Is(err, core.ErrNotLoggedIn):
		return http.StatusConflict, CodeNotLoggedIn
	case errors.Is(err, core.ErrAlreadyLoggedIn):
		return http.StatusConflict, CodeAlreadyLoggedIn
	case errors.Is(err, core.ErrNotAllowedNow):
		return http.StatusConflict, CodeNotAllowedNow
	case errors.Is(err, core.ErrNotSupported):
		return http.StatusNotImplemented, CodeNotSupported
	case errors.Is(err, core.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, CodeTimeout
	case errors.Is(err, core.ErrNotConnected):
		return http.StatusServiceUnavailable, CodeNotConnected
	case errors.Is(err, core.ErrClosed), errors.Is(err, ErrServerClosed):
		return http.StatusServiceUnavailable, CodeShuttingDown
	case errors.Is(err, context.Canceled):
		return statusClientClosed, CodeCancelled
	}
	var op *core.OpError
	if errors.As(err, &op) {
		return http.StatusBadGateway, CodePlatformError
	}
	return http.StatusInternalServerError, CodeInternal
}
