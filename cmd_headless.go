package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/core/app"
	"agentbar/core/config"
	"agentbar/core/control"
)

// runOptions are the flags shared by the desktop app and headless mode.
type runOptions struct {
	account  string
	demo     string // "" no demo; "default" or a platform id
	audioIn  string
	audioOut string
	debug    bool
}

// parseRunFlags reads the flags of `agentbar` and `agentbar headless`.
// --demo takes an optional value (--demo or --demo=udesk), which the flag
// package cannot express, so it is picked out first.
func parseRunFlags(name string, args []string, stderr io.Writer) (runOptions, error) {
	var o runOptions
	rest := args[:0:0]
	for _, a := range args {
		switch {
		case a == "--demo" || a == "-demo":
			o.demo = "default"
		case strings.HasPrefix(a, "--demo=") || strings.HasPrefix(a, "-demo="):
			o.demo = a[strings.Index(a, "=")+1:]
		default:
			rest = append(rest, a)
		}
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.account, "account", "", "saved account to sign in to")
	fs.StringVar(&o.audioIn, "audio-in", "", "WAV file played as the microphone (headless)")
	fs.StringVar(&o.audioOut, "audio-out", "", "WAV file that records what the agent hears (headless)")
	fs.BoolVar(&o.debug, "debug", false, "also log to stderr at debug level")
	if err := fs.Parse(rest); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.account != "" && o.demo != "" {
		return o, fmt.Errorf("--account and --demo exclude each other")
	}
	return o, nil
}

// runHeadless runs the engine and the control API without a window until
// interrupted.
func runHeadless(ctx context.Context, args []string, stdout, stderr io.Writer, lang string) int {
	o, err := parseRunFlags("headless", args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if path := os.Getenv("AGENTBAR_CPUPROFILE"); path != "" {
		// For bench/: where the headless engine spends its CPU.
		if f, err := os.Create(path); err == nil {
			defer f.Close() // after StopCPUProfile (defers run last-in first-out)
			if err := pprof.StartCPUProfile(f); err == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	a, srv, code := start(ctx, o, stderr, lang)
	if a == nil {
		return code
	}
	// One line for scripts: where the control API listens.
	_ = json.NewEncoder(stdout).Encode(map[string]any{"ready": true, "control": srv.Addr(), "pid": os.Getpid()})
	signIn(ctx, a, o, stderr, lang)
	<-ctx.Done()
	return stop(a, srv, stderr, lang)
}

// start opens the application and its control API.
func start(ctx context.Context, o runOptions, stderr io.Writer, lang string) (*app.App, *control.Server, int) {
	if running(ctx) {
		// One agentbar per user: a second one would share the history and
		// the keyring entries, and mark the first one's calls interrupted.
		fmt.Fprintln(stderr, pick(lang, "agentbar 已经在运行。请使用已打开的窗口或托盘图标；命令行可用 `agentbar ctl`。",
			"agentbar is already running. Use its window or tray icon; from a terminal, use `agentbar ctl`."))
		return nil, nil, 1
	}
	a, err := app.Open(app.Options{Debug: o.debug, Stderr: stderr})
	if err != nil {
		return nil, nil, fail(stderr, lang, err)
	}
	pipe, err := openAudio(o, a)
	if err != nil {
		_ = a.Close(context.Background())
		return nil, nil, fail(stderr, lang, err)
	}
	a.SetServices(pipe)
	srv, err := control.Start(ctx, control.Options{
		Backend: a, Dir: a.Paths.ConfigDir, Version: version, Logger: a.Log,
		AllowedOrigins: a.Config.Settings().ControlAPI.AllowedOrigins,
		Addr:           controlAddr(a),
	})
	if err != nil {
		_ = a.Close(context.Background())
		return nil, nil, fail(stderr, lang, err)
	}
	a.Log.Info("agentbar started", "version", version, "control", srv.Addr())
	return a, srv, 0
}

// running reports whether another agentbar answers on this user's control
// endpoint.
func running(ctx context.Context) bool {
	paths, err := config.DefaultPaths()
	if err != nil {
		return false
	}
	c, err := control.NewClient(paths.ConfigDir)
	if err != nil {
		return false
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, err = c.Do(ctx, "GET", "/v1/status", nil)
	return err == nil
}

func controlAddr(a *app.App) string {
	if p := a.Config.Settings().ControlAPI.Port; p > 0 {
		return fmt.Sprintf("127.0.0.1:%d", p)
	}
	return ""
}

// signIn signs in to the chosen account, the auto-login one, or the demo.
// A failure is told and the app keeps running: the agent can retry.
func signIn(ctx context.Context, a *app.App, o runOptions, stderr io.Writer, lang string) {
	var err error
	switch {
	case o.demo != "":
		err = startDemo(ctx, a, o.demo)
	case o.account != "":
		err = a.LoginAccount(ctx, o.account, "")
	default:
		for _, acct := range a.Config.Accounts() {
			if acct.AutoLogin {
				err = a.LoginAccount(ctx, acct.Name, "")
				break
			}
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, sentence(err, lang))
	}
}

// startDemo signs in to the built-in demo call center of a platform.
func startDemo(ctx context.Context, a *app.App, platform string) error {
	// Demo platforms are "demo" (plain SIP) and "demo-<platform>".
	want := "demo"
	if platform != "default" && platform != "sip" && platform != "demo" {
		want = "demo-" + platform
	}
	for _, info := range a.Registry().Platforms() {
		if info.Demo && info.ID == want {
			return a.Engine().Login(ctx, core.LoginRequest{Account: "demo", Platform: info.ID, Services: a.Services()})
		}
	}
	return &demoMissingError{platform}
}

type demoMissingError struct{ platform string }

func (e *demoMissingError) Error() string { return "no built-in demo for " + e.platform }
func (e *demoMissingError) Sentence(lang string) string {
	return pick(lang, "这个版本还没有内置演示呼叫中心（"+e.platform+"）。请添加一个账号后登录。",
		"This build has no built-in demo call center ("+e.platform+") yet. Add an account and sign in.")
}

// stop closes everything within a bounded time.
func stop(a *app.App, srv *control.Server, stderr io.Writer, lang string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	code := 0
	if err := srv.Close(ctx); err != nil {
		a.Log.Warn("control API close", "err", err)
	}
	if err := a.Close(ctx); err != nil {
		fmt.Fprintln(stderr, sentence(err, lang))
		code = 1
	}
	// After the engine: calls are over, so the recording is complete.
	if p, ok := a.Services().(*audio.Pipeline); ok {
		if err := p.Close(); err != nil {
			fmt.Fprintln(stderr, sentence(err, lang))
			code = 1
		}
	}
	return code
}
