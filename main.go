// Command agentbar is a desktop softphone and agent bar for call-center
// agents and supervisors: one program that signs in to any supported
// call-center platform or a plain SIP server.
//
//	agentbar [--demo[=PLATFORM]] [--debug]           the desktop app
//	agentbar headless [--account NAME | --demo[=PLATFORM]] [--audio-in IN.wav] [--audio-out OUT.wav]
//	agentbar ctl ...                                  drive a running instance (docs/control-api.md)
//	agentbar account add|list|remove ...              manage saved accounts
//	agentbar dial NUMBER | tel:NUMBER | sip:URI       hand a number to the running instance
//	agentbar --version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	// Platforms register themselves with the engine.
	_ "agentbar/vendors/demo"
	_ "agentbar/vendors/emicnet"
	_ "agentbar/vendors/emicnet/emicdemo"
	_ "agentbar/vendors/sip"
	_ "agentbar/vendors/udesk"
	_ "agentbar/vendors/udesk/udeskdemo"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	lang := systemLang()
	if len(args) == 0 {
		return runDesktop(ctx, nil, stderr, lang)
	}
	switch cmd := args[0]; {
	case cmd == "--version" || cmd == "version" || cmd == "-v":
		fmt.Fprintln(stdout, "agentbar", version)
		return 0
	case cmd == "--help" || cmd == "-h" || cmd == "help":
		fmt.Fprint(stdout, usage)
		return 0
	case cmd == "headless":
		return runHeadless(ctx, args[1:], stdout, stderr, lang)
	case cmd == "ctl":
		return runCtl(ctx, args[1:], stdin, stdout, stderr, lang)
	case cmd == "account":
		return runAccount(ctx, args[1:], stdin, stdout, stderr, lang)
	case cmd == "dial":
		if len(args) != 2 {
			fmt.Fprintln(stderr, pick(lang, "用法：agentbar dial 号码", "usage: agentbar dial NUMBER"))
			return 2
		}
		return runHandoff(ctx, args[1], stderr, lang)
	case isLink(cmd):
		return runHandoff(ctx, cmd, stderr, lang)
	case strings.HasPrefix(cmd, "-"):
		return runDesktop(ctx, args, stderr, lang)
	}
	fmt.Fprintf(stderr, pick(lang, "不认识的命令“%s”。运行 agentbar --help 查看用法。\n", "unknown command %q; run agentbar --help\n"), args[0])
	return 2
}

// isLink reports whether an argument is a tel:, callto: or sip: link, as
// the desktop file hands them over.
func isLink(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"tel:", "callto:", "sip:", "sips:"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// systemLang follows the locale: Chinese unless it asks for another language.
func systemLang() string {
	for _, v := range []string{"AGENTBAR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if strings.HasPrefix(l, "zh") || l == "C" || l == "POSIX" || strings.HasPrefix(l, "C.") {
				return "zh"
			}
			return "en"
		}
	}
	return "zh"
}

func pick(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

const usage = `agentbar — 坐席电话条 / call-center agent softphone

  agentbar [--demo[=PLATFORM]] [--debug]
  agentbar headless [--account NAME | --demo[=PLATFORM]] [--audio-in IN.wav] [--audio-out OUT.wav] [--debug]
  agentbar ctl status | events | login | logout | state ready|busy|break CODE
  agentbar ctl dial TARGET | answer [CALL] | hangup [CALL] | hold | resume | mute | unmute | dtmf DIGITS
  agentbar ctl transfer agent|number|queue|ivr TARGET | consult TARGET | history
  agentbar account add --name NAME --platform PLATFORM [--set KEY=VALUE]... [--password-stdin]
  agentbar account list | agentbar account remove NAME | agentbar account platforms
  agentbar dial NUMBER | agentbar tel:NUMBER | agentbar sip:URI
  agentbar --version

Docs: README.md, docs/control-api.md
`
