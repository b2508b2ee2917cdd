package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/app"
	"agentbar/gui"
)

// appID is the desktop identity: FyneApp.toml, the .desktop file and the
// AppStream metainfo use the same.
const appID = "cn.agentbar.desktop"

// runDesktop opens the desktop app. Fyne's loop runs on this, the main,
// goroutine; signing in runs beside it so the window appears at once.
func runDesktop(ctx context.Context, args []string, stderr io.Writer, lang string) int {
	o, err := parseRunFlags("agentbar", args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	defer desktopProfile()()
	a, srv, code := start(ctx, o, stderr, lang)
	if a == nil {
		return code
	}
	lang = a.Lang()
	if o.demo == "" && o.account == "" && len(a.Config.Accounts()) == 0 {
		// A new user has no account: open on the built-in demo.
		o.demo = "default"
	}
	fa := fyneapp.NewWithID(appID)
	go func() {
		<-ctx.Done()
		writeHeapProfile()
		fyne.Do(fa.Quit)
	}()
	go signIn(ctx, a, o, stderr, lang)
	go trimHeapWhenQuiet(ctx, a.Engine(), heapQuiet, debug.FreeOSMemory)
	err = gui.Run(fa, desktopOptions(a, o, lang))
	if err != nil {
		fmt.Fprintln(stderr, sentence(err, lang))
	}
	return stop(a, srv, stderr, lang)
}

// desktopOptions hands the window the application's parts.
func desktopOptions(a *app.App, o runOptions, lang string) gui.Options {
	settings := a.Config.Settings()
	opts := gui.Options{
		Engine:      a.Engine(),
		Lang:        lang,
		Title:       pick(lang, "坐席电话条", "agentbar"),
		Demo:        o.demo != "",
		Logger:      a.Log,
		CloseToTray: settings.UI.CloseToTray,
		Accounts:    a.Config,
		Secrets:     a.Secrets,
		Login:       a.LoginAccount,
		Registry:    a.Registry(),
		SetHandoff:  a.SetHandoff,
		Settings:    a.Config,
		History:     a.HistoryStore(),
		FlushHistory: func(ctx context.Context) error {
			return a.FlushHistory(ctx)
		},
		ListDevices: func() (audio.DeviceList, error) { return audio.ListDevices(audio.BackendAuto) },
	}
	if settings.Demo.Enabled || o.demo != "" || len(a.Config.Accounts()) == 0 {
		opts.LoginDemo = func(ctx context.Context, platform string, fields map[string]string) error {
			return a.Engine().Login(ctx, core.LoginRequest{
				Account: "demo", Platform: platform, Fields: fields, Services: a.Services(),
			})
		}
	}
	if p, ok := a.Services().(*audio.Pipeline); ok && p != nil {
		opts.Audio = p
	}
	return opts
}

// desktopProfile writes a CPU profile of the whole run to the file that
// AGENTBAR_CPUPROFILE names, for bench/gui-idle.sh: where the idle window
// spends its CPU. It returns the function that ends the profile.
func desktopProfile() func() {
	path := os.Getenv("AGENTBAR_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// writeHeapProfile writes the heap as it is when the app is asked to quit
// (the idle heap, before anything is torn down) to the file that
// AGENTBAR_MEMPROFILE names, for bench/gui-idle.sh.
func writeHeapProfile() {
	path := os.Getenv("AGENTBAR_MEMPROFILE")
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}

// heapQuiet is how long the engine must be quiet, with no call, before the
// heap is trimmed.
const heapQuiet = 10 * time.Second

// trimHeapWhenQuiet hands the memory that start-up and calls leave behind
// back to the system once things are quiet: quiet after the last engine
// event, when no call is up, one trim (debug.FreeOSMemory: a full
// collection, a few milliseconds). Without it an idle app keeps the heap
// of its busiest moment: it allocates too little to need a collection, so
// its resident memory stays at start-up's peak (font parsing, the first
// layout) for good. Then it waits for the next event: no timer runs while
// nothing happens.
func trimHeapWhenQuiet(ctx context.Context, e *core.Engine, quiet time.Duration, trim func()) {
	sub := e.Subscribe("heap-trim", 256)
	defer sub.Close()
	timer := time.NewTimer(quiet) // start-up itself is the first burst
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-sub.C:
			if !ok {
				return
			}
			timer.Reset(quiet)
		case <-timer.C:
			st, err := e.Status(ctx)
			if err != nil {
				return
			}
			if len(st.Calls) == 0 {
				trim()
			}
		}
	}
}
