package secrets

import (
	"strconv"
	"strings"
	"time"
)

// Reason says why the keyring could not be used.
type Reason int

// Reasons, from the most basic to the most specific.
const (
	// ReasonNoBus: no D-Bus session bus could be reached (no desktop
	// session, DBUS_SESSION_BUS_ADDRESS wrong).
	ReasonNoBus Reason = iota + 1
	// ReasonNoService: the bus is up but nothing provides
	// org.freedesktop.secrets (no gnome-keyring or KeePassXC).
	ReasonNoService
	// ReasonLocked: the keyring is locked and unlocking was refused,
	// dismissed, or impossible without a screen to prompt on.
	ReasonLocked
	// ReasonTimeout: the keyring did not answer in time.
	ReasonTimeout
	// ReasonFailed: any other keyring failure.
	ReasonFailed
)

func (r Reason) String() string {
	switch r {
	case ReasonNoBus:
		return "no session bus"
	case ReasonNoService:
		return "no secret service"
	case ReasonLocked:
		return "keyring locked"
	case ReasonTimeout:
		return "keyring timed out"
	case ReasonFailed:
		return "keyring failed"
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// Operations named in an UnavailableError.
const (
	OpGet    = "get"
	OpSet    = "set"
	OpDelete = "delete"
	OpProbe  = "probe"
)

// UnavailableError is a keyring failure the agent has to hear about: what
// went wrong, how to fix it, and that signing in without saving the
// password still works. It matches ErrNoSecretService, and ErrTimeout when
// Reason is ReasonTimeout.
type UnavailableError struct {
	Op      string        // OpGet, OpSet, OpDelete or OpProbe
	Key     string        // "<account>/<kind>"; empty for OpProbe
	Reason  Reason        // why
	Timeout time.Duration // the limit that ran out, for ReasonTimeout
	Err     error         // the keyring's own error, for the log
}

func (e *UnavailableError) Error() string {
	var b strings.Builder
	b.WriteString("secrets: ")
	b.WriteString(e.Op)
	if e.Key != "" {
		b.WriteString(" ")
		b.WriteString(e.Key)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason.String())
	if e.Reason == ReasonTimeout && e.Timeout > 0 {
		b.WriteString(" after ")
		b.WriteString(e.Timeout.String())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is matches ErrNoSecretService always and ErrTimeout for ReasonTimeout.
func (e *UnavailableError) Is(target error) bool {
	return target == ErrNoSecretService || target == ErrTimeout && e.Reason == ReasonTimeout
}

// Unwrap returns the keyring's own error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// Sentence says, for the agent, what happened and what to do. lang is "zh"
// (the default) or "en".
func (e *UnavailableError) Sentence(lang string) string {
	if strings.HasPrefix(lang, "en") {
		return e.what("en") + " " + e.fix("en")
	}
	return e.what("zh") + e.fix("zh")
}

// what is the first half of the sentence: the failure, in the agent's terms.
func (e *UnavailableError) what(lang string) string {
	en := lang == "en"
	act := map[string][2]string{
		OpGet:    {"读取保存的密码", "read your saved password"},
		OpSet:    {"保存密码", "save your password"},
		OpDelete: {"删除保存的密码", "delete your saved password"},
		OpProbe:  {"使用系统钥匙串", "use the system keyring"},
	}[e.Op]
	if act[0] == "" {
		act = [2]string{"使用系统钥匙串", "use the system keyring"}
	}
	switch e.Reason {
	case ReasonNoBus:
		if en {
			return "agentbar cannot reach the desktop session bus (D-Bus), so it cannot " + act[1] + "."
		}
		return "无法连接桌面会话总线（D-Bus），因此不能" + act[0] + "。"
	case ReasonNoService:
		if en {
			return "No keyring service (Secret Service) is running, so agentbar cannot " + act[1] + "."
		}
		return "系统中没有运行钥匙串服务（Secret Service），因此不能" + act[0] + "。"
	case ReasonLocked:
		if en {
			return "The system keyring is locked, so agentbar cannot " + act[1] + "."
		}
		return "系统钥匙串已锁定，因此不能" + act[0] + "。"
	case ReasonTimeout:
		secs := strconv.FormatFloat(e.Timeout.Seconds(), 'f', -1, 64)
		if en {
			if e.Timeout > 0 {
				return "The system keyring did not answer within " + secs + " seconds, so agentbar could not " + act[1] + "."
			}
			return "The system keyring did not answer in time, so agentbar could not " + act[1] + "."
		}
		if e.Timeout > 0 {
			return "系统钥匙串在 " + secs + " 秒内没有响应，因此未能" + act[0] + "。"
		}
		return "系统钥匙串没有及时响应，因此未能" + act[0] + "。"
	}
	if en {
		return "The system keyring reported an error, so agentbar could not " + act[1] + "."
	}
	return "系统钥匙串出错，因此未能" + act[0] + "。"
}

// fix is the second half: what the agent can do about it.
func (e *UnavailableError) fix(lang string) string {
	en := lang == "en"
	const (
		withoutZh = "也可以不勾选“记住密码”直接登录，密码只在本次登录期间保留。"
		withoutEn = "You can also sign in without “Remember password”; the password is then kept only until you sign out."
	)
	switch e.Reason {
	case ReasonNoBus, ReasonNoService:
		if en {
			return "Install and unlock gnome-keyring (or enable Secret Service integration in KeePassXC) in your desktop session. " + withoutEn
		}
		return "请在桌面会话中安装并解锁 gnome-keyring（或在 KeePassXC 中启用 Secret Service 集成）。" + withoutZh
	case ReasonLocked:
		if en {
			return "Unlock the keyring (for example the “Login” keyring in Passwords and Keys, or your KeePassXC database) and try again. " + withoutEn
		}
		return "请解锁钥匙串（例如在“密码和密钥”中解锁“登录”钥匙串，或解锁 KeePassXC 数据库）后重试。" + withoutZh
	case ReasonTimeout:
		if en {
			return "If an unlock prompt is open, answer it and try again; otherwise restart gnome-keyring or KeePassXC. " + withoutEn
		}
		return "如果弹出了解锁窗口，请先完成解锁再重试；否则请重启 gnome-keyring 或 KeePassXC。" + withoutZh
	}
	if en {
		return "Try again; if it keeps failing, restart gnome-keyring or KeePassXC. " + withoutEn
	}
	return "请重试；如果仍然失败，请重启 gnome-keyring 或 KeePassXC。" + withoutZh
}
