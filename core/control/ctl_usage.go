package control

import "fmt"

// UsageError is a command line that cannot be run: exit status 2.
type UsageError struct {
	ZH, EN string // what is wrong, without the usage line
	Usage  string // "dial TARGET [--caller-id ID]"; "" when there is none to show
}

func (e *UsageError) Error() string {
	if e.Usage != "" {
		return fmt.Sprintf("control: usage: %s (agentbar ctl %s)", e.EN, e.Usage)
	}
	return "control: usage: " + e.EN
}

// Sentence is one sentence: the problem, with the command's usage in
// brackets.
func (e *UsageError) Sentence(lang string) string {
	switch {
	case lang == "en" && e.Usage != "":
		return fmt.Sprintf("%s (usage: agentbar ctl %s).", e.EN, e.Usage)
	case lang == "en":
		return e.EN + " (run agentbar ctl help to list the commands)."
	case e.Usage != "":
		return fmt.Sprintf("%s（用法：agentbar ctl %s）。", e.ZH, e.Usage)
	}
	return e.ZH + "（运行 agentbar ctl help 查看全部命令）。"
}

func usageMissing(what, usage string) *UsageError {
	return &UsageError{ZH: "缺少 " + what, EN: "Missing " + what, Usage: usage}
}

func usageTooMany(usage string) *UsageError {
	return &UsageError{ZH: "参数太多", EN: "Too many arguments", Usage: usage}
}

func usageUnknownFlag(flag, usage string) *UsageError {
	return &UsageError{ZH: "不认识选项 " + flag, EN: "Unknown option " + flag, Usage: usage}
}

func usageFlagValue(flag, usage string) *UsageError {
	return &UsageError{ZH: "选项 " + flag + " 需要一个值", EN: "The option " + flag + " needs a value", Usage: usage}
}

func usageBadValue(what, got, usage string) *UsageError {
	return &UsageError{
		ZH:    fmt.Sprintf("%s 不能是“%s”", what, shorten(got, 64)),
		EN:    fmt.Sprintf("%s cannot be \"%s\"", what, shorten(got, 64)),
		Usage: usage,
	}
}
