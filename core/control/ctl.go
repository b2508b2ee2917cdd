package control

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"agentbar/core"
)

// Exit statuses of `agentbar ctl` and `agentbar dial`.
const (
	ExitOK         = 0
	ExitFailed     = 1 // the command was refused or failed
	ExitUsage      = 2 // the command line is wrong
	ExitNotRunning = 3 // no agentbar instance to talk to
)

// RunCtl runs `agentbar ctl ARGS...` against the instance found in dir. It
// prints the reply's JSON on stdout; on failure it prints one sentence in
// lang ("zh" or "en") on stderr (plus the technical detail with --debug)
// and returns ExitFailed, ExitUsage or ExitNotRunning. --password-stdin
// reads os.Stdin.
func RunCtl(ctx context.Context, args []string, dir string, stdout, stderr io.Writer, lang string) int {
	return RunCtlIO(ctx, args, dir, os.Stdin, stdout, stderr, lang)
}

// RunCtlIO is RunCtl with the standard input given.
func RunCtlIO(ctx context.Context, args []string, dir string, stdin io.Reader, stdout, stderr io.Writer, lang string) int {
	lang = normLang(lang)
	args, debug := cutFlag(args, "debug")
	if len(args) == 0 {
		return report(stderr, lang, debug, &UsageError{ZH: "缺少命令", EN: "No command given"})
	}
	if slices.Contains([]string{"help", "-h", "-help", "--help"}, args[0]) {
		writeHelp(stdout, lang)
		return ExitOK
	}
	specs := ctlSpecs()
	i := slices.IndexFunc(specs, func(s ctlSpec) bool { return s.name == args[0] })
	if i < 0 {
		return report(stderr, lang, debug, &UsageError{
			ZH: "没有“" + shorten(args[0], 64) + "”这个命令",
			EN: "There is no command \"" + shorten(args[0], 64) + "\""})
	}
	spec := specs[i]
	a, err := parseCtlArgs(args[1:], spec)
	if err != nil {
		return report(stderr, lang, debug, err)
	}
	a.stdin = stdin
	var req ctlRequest
	if spec.build != nil { // events has none: it streams
		if req, err = spec.build(a); err != nil {
			return report(stderr, lang, debug, err)
		}
	}
	c, err := NewClient(dir)
	if err != nil {
		return report(stderr, lang, debug, err)
	}
	defer c.Close()
	if spec.name == "events" {
		return runEvents(ctx, c, stdout, stderr, lang, debug)
	}
	raw, err := c.Do(ctx, req.method, req.path, req.body)
	if err != nil {
		return report(stderr, lang, debug, err)
	}
	var out bytes.Buffer
	if json.Indent(&out, raw, "", "  ") != nil {
		out.Reset()
		out.Write(raw)
	}
	out.WriteByte('\n')
	if _, err := stdout.Write(out.Bytes()); err != nil {
		return ExitFailed
	}
	return ExitOK
}

// runEvents prints one JSON object per line until ctx ends (exit 0) or
// agentbar closes the stream (exit 3: it is no longer running).
func runEvents(ctx context.Context, c *Client, stdout, stderr io.Writer, lang string, debug bool) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	msgs, errc := c.Events(ctx)
	w := bufio.NewWriter(stdout)
	for m := range msgs {
		w.Write(m)
		w.WriteByte('\n')
		if err := w.Flush(); err != nil { // stdout closed (e.g. `| head`)
			cancel()
			for range msgs {
			}
			<-errc
			return ExitOK
		}
	}
	if err := <-errc; err != nil {
		return report(stderr, lang, debug, err)
	}
	return ExitOK
}

// readPassword reads the first line of stdin, which must not be empty.
func readPassword(stdin io.Reader) (string, error) {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	line, err := bufio.NewReaderSize(io.LimitReader(stdin, 4096), 4096).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("control: reading the password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", &UsageError{ZH: "标准输入里没有密码", EN: "No password on standard input",
			Usage: "login [--account NAME] [--password-stdin]"}
	}
	return pw, nil
}

// cutFlag removes every --name (or -name) before "--" and reports whether
// there was one.
func cutFlag(args []string, name string) ([]string, bool) {
	out := make([]string, 0, len(args))
	found, ended := false, false
	for _, a := range args {
		if !ended && (a == "--"+name || a == "-"+name) {
			found = true
			continue
		}
		if a == "--" {
			ended = true
		}
		out = append(out, a)
	}
	return out, found
}

// parseCtlArgs reads positional arguments and flags in any order;
// "--" ends the flags (for a target that starts with '-').
func parseCtlArgs(args []string, spec ctlSpec) (ctlArgs, error) {
	a := ctlArgs{str: map[string]string{}, bools: map[string]bool{}}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			a.pos = append(a.pos, args[i+1:]...)
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			a.pos = append(a.pos, arg)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		flag := "--" + name
		if slices.Contains(spec.boolFlag, name) {
			if hasVal {
				switch val {
				case "true", "1":
				case "false", "0":
					continue
				default:
					return a, usageBadValue(flag, val, spec.usage)
				}
			}
			a.bools[name] = true
			continue
		}
		choices, ok := spec.strFlags[name]
		if !ok {
			return a, usageUnknownFlag(shorten(flag, 64), spec.usage)
		}
		if !hasVal {
			if i+1 >= len(args) {
				return a, usageFlagValue(flag, spec.usage)
			}
			i++
			val = args[i]
		}
		if choices != nil && !slices.Contains(choices, val) {
			return a, usageBadValue(flag, val, spec.usage)
		}
		a.str[name] = val
	}
	if len(a.pos) < spec.min {
		return a, usageMissing(spec.posNames[len(a.pos)], spec.usage)
	}
	if spec.max >= 0 && len(a.pos) > spec.max {
		return a, usageTooMany(spec.usage)
	}
	for i, choices := range spec.choices {
		if i < len(a.pos) && !slices.Contains(choices, a.pos[i]) {
			return a, usageBadValue(spec.posNames[i], a.pos[i], spec.usage)
		}
	}
	return a, nil
}

// report prints the failure and returns the exit status it calls for.
func report(stderr io.Writer, lang string, debug bool, err error) int {
	fmt.Fprintln(stderr, ctlSentence(err, lang))
	if debug {
		fmt.Fprintln(stderr, "detail:", err.Error())
	}
	return exitStatus(err)
}

func exitStatus(err error) int {
	var usage *UsageError
	switch {
	case errors.As(err, &usage):
		return ExitUsage
	case errors.Is(err, ErrNotRunning), errors.Is(err, ErrStreamEnded):
		return ExitNotRunning
	}
	return ExitFailed
}

// ctlSentence is the one sentence a failed command prints.
func ctlSentence(err error, lang string) string {
	var s core.Sentencer
	if errors.As(err, &s) {
		if text := s.Sentence(lang); text != "" {
			return text
		}
	}
	switch {
	case errors.Is(err, ErrBadToken):
		return pickLang(lang, "读不到控制令牌（配置目录里的 control-token 文件）。", "Cannot read the control token (the control-token file in the config directory).")
	case errors.Is(err, context.Canceled):
		return pickLang(lang, "已取消。", "Cancelled.")
	case errors.Is(err, context.DeadlineExceeded):
		return pickLang(lang, "agentbar 没有及时响应。", "agentbar did not answer in time.")
	}
	return pickLang(lang, "与 agentbar 通信失败（加 --debug 查看详情）。", "Talking to agentbar failed (add --debug for details).")
}

func normLang(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return "en"
	}
	return "zh"
}

func pickLang(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

// writeHelp lists the commands.
func writeHelp(w io.Writer, lang string) {
	var b strings.Builder
	b.WriteString(pickLang(lang, "用法：agentbar ctl 命令 [参数]（输出 JSON；--debug 显示错误详情）\n\n",
		"usage: agentbar ctl COMMAND [ARGS] (prints JSON; --debug shows error details)\n\n"))
	for _, s := range ctlSpecs() {
		b.WriteString("  agentbar ctl " + s.usage + "\n")
	}
	b.WriteString(pickLang(lang, "\n退出码：0 成功，1 命令失败，2 用法错误，3 agentbar 没有运行。\n",
		"\nexit status: 0 ok, 1 command failed, 2 usage error, 3 agentbar is not running.\n"))
	io.WriteString(w, b.String())
}
