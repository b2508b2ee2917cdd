package main

import (
	"context"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

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
	err = gui.Run(fa, gui.Options{
		Engine:      a.Engine(),
		Lang:        lang,
		Title:       pick(lang, "坐席电话条", "agentbar"),
		Demo:        o.demo != "",
		Logger:      a.Log,
		CloseToTray: a.Config.Settings().UI.CloseToTray,
		Accounts:    func() []string { return accountNames(a) },
		Login: func(ctx context.Context, name string) error {
			return a.LoginAccount(ctx, name, "")
		},
		Registry:   a.Registry(),
		SetHandoff: a.SetHandoff,
	})
	if err != nil {
		fmt.Fprintln(stderr, sentence(err, lang))
	}
	return stop(a, srv, stderr, lang)
}

func accountNames(a *app.App) []string {
	var names []string
	for _, acct := range a.Config.Accounts() {
		names = append(names, acct.Name)
	}
	return names
}
