//go:build linux && !wayland && cgo

package gui

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>
#include <string.h>

// agentbar_raise_above asks the window manager to keep win above other
// windows (_NET_WM_STATE_ABOVE, EWMH) and raises it now.
static void agentbar_raise_above(unsigned long win) {
	Display *d = XOpenDisplay(NULL);
	if (d == NULL) {
		return;
	}
	XEvent ev;
	memset(&ev, 0, sizeof ev);
	ev.xclient.type = ClientMessage;
	ev.xclient.window = (Window)win;
	ev.xclient.message_type = XInternAtom(d, "_NET_WM_STATE", False);
	ev.xclient.format = 32;
	ev.xclient.data.l[0] = 1; // _NET_WM_STATE_ADD
	ev.xclient.data.l[1] = (long)XInternAtom(d, "_NET_WM_STATE_ABOVE", False);
	ev.xclient.data.l[3] = 1; // source: an application
	XSendEvent(d, DefaultRootWindow(d), False, SubstructureRedirectMask | SubstructureNotifyMask, &ev);
	XRaiseWindow(d, (Window)win);
	XFlush(d);
	XCloseDisplay(d);
}
*/
import "C"

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// raiseAbove keeps the incoming-call popup on top of other windows. Fyne
// 2.7 has no always-on-top; on X11 the window manager is asked directly
// (EWMH _NET_WM_STATE_ABOVE), which every common Linux desktop honours.
// Without a window manager a newly mapped window is on top anyway. Other
// drivers (the test driver, Wayland) have no handle and are left alone.
func raiseAbove(w fyne.Window) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	nw.RunNative(func(ctx any) {
		if x, ok := ctx.(driver.X11WindowContext); ok && x.WindowHandle != 0 {
			C.agentbar_raise_above(C.ulong(x.WindowHandle))
		}
	})
}
