package secrets

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// classify turns an error from go-keyring into this package's errors:
// ErrNotFound and ErrTooBig keep their meaning, everything else (and any
// failure of the probe) becomes an *UnavailableError whose Reason names the
// failure. go-keyring returns bare
// D-Bus and socket errors and plain strings, so part of this is matching
// text; the texts are the ones gnome-keyring, dbus-daemon and godbus produce
// (checked against them in the integration tests).
func classify(op, key string, err error) error {
	if err == nil {
		return nil
	}
	if op == OpProbe {
		// Any failure of the probe means the keyring cannot be used.
		return &UnavailableError{Op: op, Reason: reasonOf(err), Err: err}
	}
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("%w for %s", ErrNotFound, key)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("secrets: %s %s: %w: %w", op, key, ErrTooBig, err)
	}
	return &UnavailableError{Op: op, Key: key, Reason: reasonOf(err), Err: err}
}

// D-Bus error names that say something about the Secret Service.
const (
	dbusServiceUnknown = "org.freedesktop.DBus.Error.ServiceUnknown"
	dbusNameHasNoOwner = "org.freedesktop.DBus.Error.NameHasNoOwner"
	dbusSpawnPrefix    = "org.freedesktop.DBus.Error.Spawn."
	dbusUnknownObject  = "org.freedesktop.DBus.Error.UnknownObject"
	dbusUnknownMethod  = "org.freedesktop.DBus.Error.UnknownMethod"
	dbusNoReply        = "org.freedesktop.DBus.Error.NoReply"
	dbusTimeout        = "org.freedesktop.DBus.Error.Timeout"
	dbusTimedOut       = "org.freedesktop.DBus.Error.TimedOut"
	secretIsLocked     = "org.freedesktop.Secret.Error.IsLocked"
	secretNoSession    = "org.freedesktop.Secret.Error.NoSession"
	secretNoSuchObject = "org.freedesktop.Secret.Error.NoSuchObject"
)

func reasonOf(err error) Reason {
	if name, ok := dbusErrorName(err); ok {
		switch {
		case name == dbusServiceUnknown, name == dbusNameHasNoOwner,
			strings.HasPrefix(name, dbusSpawnPrefix):
			return ReasonNoService
		case name == secretIsLocked:
			return ReasonLocked
		case name == dbusNoReply, name == dbusTimeout, name == dbusTimedOut:
			return ReasonTimeout
		case name == dbusUnknownObject, name == dbusUnknownMethod,
			name == secretNoSession, name == secretNoSuchObject:
			// Something owns the name but does not speak Secret Service.
			return ReasonNoService
		}
		return ReasonFailed
	}
	var netErr *net.OpError
	switch {
	case errors.As(err, &netErr),
		errors.Is(err, os.ErrNotExist),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, dbus.ErrClosed):
		return ReasonNoBus
	}
	msg := err.Error()
	switch {
	// go-keyring: the collection stayed locked (prompt dismissed or no
	// prompter) — secret_service.Unlock.
	case strings.Contains(msg, "failed to unlock"):
		return ReasonLocked
	// godbus: no address, autolaunch failed, or the bus refused us.
	case strings.HasPrefix(msg, "dbus: "),
		strings.Contains(msg, "dbus-launch"),
		strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS"):
		return ReasonNoBus
	case strings.Contains(msg, "was not provided by any .service files"):
		return ReasonNoService
	}
	return ReasonFailed
}

// dbusErrorName returns the D-Bus error name in err's chain; godbus returns
// dbus.Error by value or by pointer depending on the path.
func dbusErrorName(err error) (string, bool) {
	var byValue dbus.Error
	if errors.As(err, &byValue) {
		return byValue.Name, true
	}
	var byPointer *dbus.Error
	if errors.As(err, &byPointer) && byPointer != nil {
		return byPointer.Name, true
	}
	return "", false
}
