package wire

import (
	"errors"
	"fmt"
)

// Agent-facing errors: Error() keeps the code for the log, Sentence(lang)
// is what the agent reads ("zh" or "en"; Chinese for anything else).

// AccountError is a getUser/getUser2/webApiHandler failure: the seed's
// err {code, info}.
type AccountError struct {
	Code AccountCode
	Info string // the platform's info, "" when it sent none
}

func (e *AccountError) Error() string {
	info := e.Info
	if info == "" {
		info = e.Code.Meaning()
	}
	return fmt.Sprintf("emicnet: account API: code %d: %s", e.Code, info)
}

// Sentence explains the code to the agent.
func (e *AccountError) Sentence(lang string) string {
	switch e.Code {
	case AccountServerError:
		return pick(lang, "易米平台服务器错误（50000），请稍后再试。", "The Emicnet platform had a server error (50000); try again later.")
	case AccountBadParams:
		if e.Info != "" && e.Info != e.Code.Meaning() {
			return pick(lang, "账号设置有误（50001）："+e.Info+"。", "A setting of the account is wrong (50001): "+e.Info+".")
		}
		return pick(lang, "账号设置有误（50001 参数错误），请检查账号的各项设置。", "A setting of the account is wrong (50001); check the account's settings.")
	case AccountNoOpsAddress:
		return pick(lang, "平台获取运维地址失败（50002），请稍后再试或联系管理员。", "The platform could not find its service address (50002); try again later or ask the administrator.")
	case AccountBadCredentials:
		return pick(lang, "分机号码或密码错误（50003）。", "Wrong extension number or password (50003).")
	case AccountNoEnterprise:
		return pick(lang, "未找到该企业（50004），请检查总机号。", "No enterprise with that switch number (50004); check the switch number.")
	case AccountLoginInfo:
		return pick(lang, "登录信息获取失败（50005），请重试。", "The sign-in data could not be fetched (50005); try again.")
	}
	return pick(lang, fmt.Sprintf("易米平台返回未知错误（代码 %d）。", e.Code), fmt.Sprintf("The Emicnet platform returned an unknown error (code %d).", e.Code))
}

// RegisterError is a REGISTER that did not end in 200 (register({code, info})).
type RegisterError struct {
	Code int
	Info string
}

func (e *RegisterError) Error() string {
	return fmt.Sprintf("emicnet: register: %d %s", e.Code, e.Info)
}

// Sentence explains the refusal.
func (e *RegisterError) Sentence(lang string) string {
	switch e.Code {
	case RegisterUnauthorized:
		return pick(lang, "注册失败：分机号码或密码错误。", "Registration failed: wrong extension number or password.")
	case RegisterForbidden:
		return pick(lang, "注册被拒绝：账号或企业已停用，或技能组不对。", "Registration refused: the account or enterprise is disabled, or the skill group is wrong.")
	case RegisterNotFound:
		return pick(lang, "注册失败：该分机不存在。", "Registration failed: no such extension.")
	}
	return pick(lang, fmt.Sprintf("注册失败（%d）。", e.Code), fmt.Sprintf("Registration failed (%d).", e.Code))
}

// CallFailedError is a call that ended with a failure code in `a`.
type CallFailedError struct {
	Code CallFailure
	C    string // the ccNumber
}

func (e *CallFailedError) Error() string {
	return fmt.Sprintf("emicnet: call %s failed: %d %s", e.C, e.Code, e.Code.Meaning())
}

// Sentence is the seed's meaning with the code, or the SIP meaning.
func (e *CallFailedError) Sentence(lang string) string {
	en := map[CallFailure]string{
		FailBusy: "the other party is busy", FailSuspended: "the switch number is suspended",
		FailOffHours: "outside working hours", FailDailyLimit: "this customer has been called too often today",
		FailNoPermission: "you may not call that seat", FailNotFound: "the number does not exist",
		FailNoAnswer: "no answer", FailUnavailable: "the other party is unavailable",
		FailBusyHere: "the other party is busy", FailCancelled: "the call was cancelled",
		FailServerFailure: "server error",
	}[e.Code]
	zh := e.Code.Meaning()
	if zh == "" {
		return pick(lang, fmt.Sprintf("呼叫失败（%d）。", e.Code), fmt.Sprintf("The call failed (%d).", e.Code))
	}
	return pick(lang, fmt.Sprintf("呼叫失败：%s（%d）。", zh, e.Code), fmt.Sprintf("The call failed: %s (%d).", en, e.Code))
}

// KickedError is kickedOffLine: the seat was signed out by the platform.
// The client does not sign in again by itself.
type KickedError struct {
	Reason KickReason
}

func (e *KickedError) Error() string {
	return fmt.Sprintf("emicnet: kicked off line: %d %s", e.Reason, e.Reason.Meaning())
}

// Sentence tells the agent why and what to do.
func (e *KickedError) Sentence(lang string) string {
	switch e.Reason {
	case KickOtherLogin:
		return pick(lang, "其他用户登录了您的账号（895），本机已下线。", "Someone else signed in with your account (895); this seat is signed out.")
	case KickRegTimeout:
		return pick(lang, "注册超时，请重新登录（897）。", "Registration timed out; sign in again (897).")
	case KickInvalid:
		return pick(lang, "账号已过期、被删除或修改，或企业已停止使用（898），请联系管理员。", "The account expired, was deleted or changed, or the enterprise was stopped (898); ask the administrator.")
	}
	return pick(lang, fmt.Sprintf("被平台踢下线（%d）。", e.Reason), fmt.Sprintf("The platform signed this seat out (%d).", e.Reason))
}

// CommandError is a command whose Result code is not 200.
type CommandError struct {
	Cmd  string
	Code int
	Info string
}

func (e *CommandError) Error() string {
	return fmt.Sprintf("emicnet: %s: code %d: %s", e.Cmd, e.Code, e.Info)
}

// Sentence explains the code; the platform's info is in the log.
func (e *CommandError) Sentence(lang string) string {
	switch e.Code {
	case ResultBadRequest:
		return pick(lang, "平台拒绝了请求：参数错误。", "The platform refused the request: bad parameters.")
	case ResultForbidden:
		return pick(lang, "没有权限执行此操作。", "You are not allowed to do this.")
	case ResultNoSuchCall:
		return pick(lang, "该通话已不存在。", "That call no longer exists.")
	case ResultWrongState:
		return pick(lang, "当前状态下不能执行此操作。", "This is not possible in the current state.")
	}
	return pick(lang, fmt.Sprintf("平台操作失败（代码 %d）。", e.Code), fmt.Sprintf("The platform refused (code %d).", e.Code))
}

// MonitorError is a monitor command whose result is not 0.
type MonitorError struct {
	Cmd    string
	Result MonitorOutcome
	Info   string
}

func (e *MonitorError) Error() string {
	return fmt.Sprintf("emicnet: %s: result %d: %s", e.Cmd, e.Result, e.Info)
}

// Sentence names the monitor action that failed.
func (e *MonitorError) Sentence(lang string) string {
	names, ok := monitorActions[e.Cmd]
	if !ok {
		names = [2]string{"监控操作", "do the monitor action"}
	}
	zh, en := names[0], names[1]
	return pick(lang, "监控失败："+zh+"未成功。", "Monitoring failed: could not "+en+".")
}

var monitorActions = map[string][2]string{
	CmdStartCallMonitor: {"开始监听", "start listening"},
	CmdStopCallMonitor:  {"结束监听", "stop listening"},
	CmdJoinFromMonitor:  {"进入三方通话", "join the call"},
	CmdExitJoinMonitor:  {"退出三方通话", "leave the three-way call"},
	CmdEndCallMonitor:   {"结束整个通话", "end the call"},
	CmdTerminateCall:    {"结束通话", "end the call"},
}

// Monitor turns a monitor command's Result into nil or a *MonitorError (or
// the *CommandError of a refused command).
func Monitor(cmd string, r Result) error {
	if err := r.Err(cmd); err != nil {
		return err
	}
	var m MonitorResult
	if err := DecodeData(r.Data, &m); err != nil {
		return err
	}
	if m.Result != MonitorSucceeded {
		return &MonitorError{Cmd: cmd, Result: m.Result, Info: r.Info}
	}
	return nil
}

// Sentencer is the agent-facing error interface of this package's errors.
type Sentencer interface {
	error
	Sentence(lang string) string
}

// SentenceOf finds a Sentencer in err's chain.
func SentenceOf(err error, lang string) (string, bool) {
	var s Sentencer
	if errors.As(err, &s) {
		return s.Sentence(lang), true
	}
	return "", false
}

func pick(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}
