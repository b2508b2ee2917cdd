package secrets

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

func TestClassify(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "unix", Addr: &net.UnixAddr{Name: "/nonexistent", Net: "unix"},
		Err: os.NewSyscallError("connect", syscall.ENOENT)}
	refused := &net.OpError{Op: "dial", Net: "unix", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	dbusErr := func(name, text string) error { return dbus.Error{Name: name, Body: []any{text}} }

	tests := []struct {
		name       string
		err        error
		wantReason Reason // 0: not an UnavailableError
		wantIs     error
	}{
		{"not found", keyring.ErrNotFound, 0, ErrNotFound},
		{"too big", keyring.ErrSetDataTooBig, 0, ErrTooBig},
		{"no socket", dial, ReasonNoBus, ErrNoSecretService},
		{"refused", refused, ReasonNoBus, ErrNoSecretService},
		{"wrapped no socket", fmt.Errorf("connect: %w", dial), ReasonNoBus, ErrNoSecretService},
		{"no address", errors.New("dbus: couldn't determine address of session bus"), ReasonNoBus, ErrNoSecretService},
		{"auth failed", errors.New("dbus: authentication failed"), ReasonNoBus, ErrNoSecretService},
		{"closed", dbus.ErrClosed, ReasonNoBus, ErrNoSecretService},
		{"autolaunch", errors.New("exec: \"dbus-launch\": executable file not found in $PATH"), ReasonNoBus, ErrNoSecretService},
		{"service unknown", dbusErr(dbusServiceUnknown, "The name org.freedesktop.secrets was not provided by any .service files"), ReasonNoService, ErrNoSecretService},
		{"service unknown by pointer", &dbus.Error{Name: dbusServiceUnknown}, ReasonNoService, ErrNoSecretService},
		{"spawn failed", dbusErr("org.freedesktop.DBus.Error.Spawn.ChildExited", "Process exited"), ReasonNoService, ErrNoSecretService},
		{"not a secret service", dbusErr(dbusUnknownMethod, "No such method"), ReasonNoService, ErrNoSecretService},
		{"no reply", dbusErr(dbusNoReply, "Did not receive a reply"), ReasonTimeout, ErrTimeout},
		{"is locked", dbusErr(secretIsLocked, "Cannot create an item in a locked collection"), ReasonLocked, ErrNoSecretService},
		{"failed to unlock", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"), ReasonLocked, ErrNoSecretService},
		{"text only no service", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), ReasonNoService, ErrNoSecretService},
		{"other dbus error", dbusErr("org.freedesktop.DBus.Error.Failed", "boom"), ReasonFailed, ErrNoSecretService},
		{"anything else", errors.New("path not found"), ReasonFailed, ErrNoSecretService},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := classify(OpGet, "office/password", tt.err)
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("classify(%v) = %v, want it to match %v", tt.err, err, tt.wantIs)
			}
			var ue *UnavailableError
			isUnavailable := errors.As(err, &ue)
			if tt.wantReason == 0 {
				if isUnavailable || errors.Is(err, ErrNoSecretService) {
					t.Errorf("classify(%v) = %v, want no keyring failure", tt.err, err)
				}
				return
			}
			if !isUnavailable || ue.Reason != tt.wantReason {
				t.Errorf("classify(%v) = %#v, want reason %v", tt.err, err, tt.wantReason)
			}
		})
	}
	if err := classify(OpGet, "x/y", nil); err != nil {
		t.Errorf("classify(nil) = %v", err)
	}
}

func TestClassifyProbeMakesEveryFailureUnavailable(t *testing.T) {
	for _, raw := range []error{keyring.ErrNotFound, keyring.ErrSetDataTooBig, errors.New("x")} {
		err := classify(OpProbe, "", raw)
		var ue *UnavailableError
		if !errors.As(err, &ue) || ue.Op != OpProbe {
			t.Errorf("probe failure %v classified as %v", raw, err)
		}
	}
}
