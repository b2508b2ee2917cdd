package gui

import (
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"
)

// sessionBusTimeout bounds the probe; a local bus answers in milliseconds.
const sessionBusTimeout = 2 * time.Second

// probeSessionBus reports whether a D-Bus session bus answers, without
// starting one. It returns nil, or ErrNoSessionBus wrapped with the reason.
//
// Why: the tray on Linux is a D-Bus StatusNotifierItem. Without a bus,
// fyne's systray logs an error at start and then dereferences its nil
// connection when the app quits (a crash on every Quit). godbus would also
// autolaunch a private bus through dbus-launch when DBUS_SESSION_BUS_ADDRESS
// is unset, and no tray host listens on such a bus; so the window asks
// first, without autolaunch, and skips the tray when nobody answers.
func probeSessionBus(timeout time.Duration) error {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoSessionBus, err)
	}
	defer conn.Close()
	answered := make(chan error, 1)
	go func() {
		err := conn.Auth(nil)
		if err == nil {
			err = conn.Hello()
		}
		answered <- err
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err = <-answered:
	case <-timer.C:
		// Closing the connection makes the stuck handshake return.
		conn.Close()
		<-answered
		err = fmt.Errorf("no answer within %v", timeout)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoSessionBus, err)
	}
	return nil
}
