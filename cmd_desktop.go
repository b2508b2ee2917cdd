package main

import (
	"context"
	"fmt"
	"io"

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
		fyne.Do(fa.Quit)
	}()
	go signIn(ctx, a, o, stderr, lang)
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
