package wire

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// CodeOK is success in every envelope of the contract: the account API's
// code, webApiHandler's status, a command result's code, register's code.
const CodeOK = 200

// AccountCode is getUser's err.code (and webApiHandler's status) when it is
// not CodeOK.
type AccountCode int

// The seed's getUser error codes.
const (
	AccountServerError    AccountCode = 50000 // 服务器错误
	AccountBadParams      AccountCode = 50001 // 参数错误
	AccountNoOpsAddress   AccountCode = 50002 // 获取运维地址失败
	AccountBadCredentials AccountCode = 50003 // 分机号码或密码错误
	AccountNoEnterprise   AccountCode = 50004 // 未找到该企业
	AccountLoginInfo      AccountCode = 50005 // 登录信息获取失败
)

// AccountCodes lists the documented codes in the seed's order.
var AccountCodes = []AccountCode{
	AccountServerError, AccountBadParams, AccountNoOpsAddress,
	AccountBadCredentials, AccountNoEnterprise, AccountLoginInfo,
}

// Meaning is the seed's info for the code; 其他 → 未知错误.
func (c AccountCode) Meaning() string {
	switch c {
	case AccountServerError:
		return "服务器错误"
	case AccountBadParams:
		return "参数错误"
	case AccountNoOpsAddress:
		return "获取运维地址失败"
	case AccountBadCredentials:
		return "分机号码或密码错误"
	case AccountNoEnterprise:
		return "未找到该企业"
	case AccountLoginInfo:
		return "登录信息获取失败"
	}
	return "未知错误"
}

// CallFailure is a callEvent's `a` when a call did not go through: the
// seed's failure codes (503 … 1000) and the SIP statuses the platform
// passes on.
type CallFailure int

// The seed's call failure codes, then the SIP ones.
const (
	FailBusy          CallFailure = 503  // 对方忙碌
	FailSuspended     CallFailure = 507  // 总机号已停机
	FailOffHours      CallFailure = 508  // 非工作时间
	FailDailyLimit    CallFailure = 512  // 该客户今日被呼叫次数已达上限
	FailNoPermission  CallFailure = 1000 // 禁止拨打无权限坐席
	FailNotFound      CallFailure = 404
	FailNoAnswer      CallFailure = 408 // callinFaildResponse: 被叫超时未接听
	FailUnavailable   CallFailure = 480
	FailBusyHere      CallFailure = 486
	FailCancelled     CallFailure = 487
	FailServerFailure CallFailure = 500
)

// SeedCallFailures are the failures the seed lists, in its order.
var SeedCallFailures = []CallFailure{FailBusy, FailSuspended, FailOffHours, FailDailyLimit, FailNoPermission}

// Meaning is the seed's text for its codes, a short Chinese name for the
// SIP ones, "" for anything else.
func (f CallFailure) Meaning() string {
	switch f {
	case FailBusy:
		return "对方忙碌"
	case FailSuspended:
		return "总机号已停机"
	case FailOffHours:
		return "非工作时间"
	case FailDailyLimit:
		return "该客户今日被呼叫次数已达上限"
	case FailNoPermission:
		return "禁止拨打无权限坐席"
	case FailNotFound:
		return "号码不存在"
	case FailNoAnswer:
		return "被叫超时未接听"
	case FailUnavailable:
		return "对方暂时无法接通"
	case FailBusyHere:
		return "对方忙"
	case FailCancelled:
		return "呼叫已取消"
	case FailServerFailure:
		return "服务器错误"
	}
	return ""
}

// Status codes a callEvent carries in `a` that are not failures.
const (
	StatusRinging  = "180"
	StatusAnswered = "200"
)

// IsFailure reports whether a callEvent's `a` says the call failed: any
// code from 300 up (the seed's own and SIP's).
func IsFailure(a FlexString) bool {
	n, err := strconv.Atoi(string(a))
	return err == nil && n >= 300
}

// KickReason is kickedOffLine's data.r.
type KickReason int

// The seed's kick-off reasons.
const (
	KickOtherLogin KickReason = 895 // 其他用户登录您的账号
	KickRegTimeout KickReason = 897 // 注册超时,请重新登录
	KickInvalid    KickReason = 898 // 账号过期/账号被删/账号修改; 企业停止使用
)

// KickReasons lists the documented reasons.
var KickReasons = []KickReason{KickOtherLogin, KickRegTimeout, KickInvalid}

// Meaning is the seed's text for the reason.
func (r KickReason) Meaning() string {
	switch r {
	case KickOtherLogin:
		return "其他用户登录您的账号"
	case KickRegTimeout:
		return "注册超时,请重新登录"
	case KickInvalid:
		return "账号过期/账号被删/账号修改/企业停止使用"
	}
	return "未知原因"
}

// SeatStatus is statusChanged's data.status and changeStaus' argument
// (changeStaus takes only SeatIdle and SeatBusy).
type SeatStatus int

// The seed's statusChanged values.
const (
	SeatOffline SeatStatus = 0 // 离线
	SeatIdle    SeatStatus = 1 // 在线 (changeStaus: 空闲)
	SeatBusy    SeatStatus = 2 // 忙碌
)

// Meaning is the seed's text for the status.
func (s SeatStatus) Meaning() string {
	return [...]string{"离线", "在线", "忙碌"}[min(max(int(s), 0), 2)]
}

// UnmarshalJSON accepts 1 and "1".
func (s *SeatStatus) UnmarshalJSON(b []byte) error { return flexIntInto(b, (*int)(s)) }

// SeatState is checkSeatState()'s value: the SDK computes it from the
// events; it never travels.
type SeatState int

// The seed's checkSeatState values.
const (
	StateOffline SeatState = 0 // 离线
	StateIdle    SeatState = 1 // 空闲
	StateBusy    SeatState = 2 // 忙碌(手动置忙, 非通话中)
	StateRinging SeatState = 3 // 振铃
	StateTalking SeatState = 4 // 通话
	StateHeld    SeatState = 5 // 保持
)

// Meaning is the seed's text for the state.
func (s SeatState) Meaning() string {
	names := [...]string{"离线", "空闲", "忙碌", "振铃", "通话", "保持"}
	if s < 0 || int(s) >= len(names) {
		return ""
	}
	return names[s]
}

// MonitorStatus is checkMonitorState().status.
type MonitorStatus int

// The seed's monitor states.
const (
	MonitorNone   MonitorStatus = 0 // 未监听
	MonitorListen MonitorStatus = 1 // 监听
	MonitorJoined MonitorStatus = 2 // 监听转强插 (即三方)
)

// Meaning is the seed's text for the state.
func (s MonitorStatus) Meaning() string {
	return [...]string{"未监听", "监听", "监听转强插"}[min(max(int(s), 0), 2)]
}

// UnmarshalJSON accepts 1 and "1".
func (s *MonitorStatus) UnmarshalJSON(b []byte) error { return flexIntInto(b, (*int)(s)) }

// MonitorState is checkMonitorState()'s value: {status: 0, ccNumber: ”}.
type MonitorState struct {
	Status   MonitorStatus `json:"status"`
	CcNumber string        `json:"ccNumber"`
}

// MonitorOutcome is a monitor command's result (the seed's monitorcb
// argument): 0 success, anything else (today 1) failure.
type MonitorOutcome int

// The seed's monitor results.
const (
	MonitorSucceeded MonitorOutcome = 0
	MonitorFailed    MonitorOutcome = 1
)

// UnmarshalJSON accepts 0 and "0".
func (o *MonitorOutcome) UnmarshalJSON(b []byte) error { return flexIntInto(b, (*int)(o)) }

// CallType is call()'s return value.
type CallType int

// The seed's call() results.
const (
	CallOutside  CallType = 2 // 呼叫外线 (不用+9)
	CallInternal CallType = 3 // 呼叫内线
)

// Meaning is the seed's text for the type.
func (t CallType) Meaning() string {
	switch t {
	case CallOutside:
		return "呼叫外线"
	case CallInternal:
		return "呼叫内线"
	}
	return ""
}

// UnmarshalJSON accepts 2 and "2".
func (t *CallType) UnmarshalJSON(b []byte) error { return flexIntInto(b, (*int)(t)) }

// CallInType is getUser2's callintype: where the agent's audio rings.
type CallInType string

// The seed's callintype values.
const (
	CallInVoIP     CallInType = "2" // 原有的voip: audio in agentbar (WebRTC)
	CallInCallback CallInType = "4" // 回拨话机
	CallInSIPPhone CallInType = "5" // sip话机
)

// Valid reports whether the seed knows the value ("其他输入返回错误").
func (c CallInType) Valid() bool {
	return c == CallInVoIP || c == CallInCallback || c == CallInSIPPhone
}

// NeedsNumber reports whether getUser2 requires number with this type.
func (c CallInType) NeedsNumber() bool { return c == CallInCallback || c == CallInSIPPhone }

// Meaning is the seed's text for the type.
func (c CallInType) Meaning() string {
	switch c {
	case CallInVoIP:
		return "voip"
	case CallInCallback:
		return "回拨话机"
	case CallInSIPPhone:
		return "sip话机"
	}
	return ""
}

// KefuStatus is a member's kefuStatus in searchEpMembers.
type KefuStatus int

// The seed's kefuStatus values.
const (
	KefuOffline KefuStatus = 0 // 离线
	KefuIdle    KefuStatus = 1 // 空闲
	KefuBusy    KefuStatus = 2 // 忙碌
)

// Meaning is the seed's text for the status.
func (k KefuStatus) Meaning() string {
	return [...]string{"离线", "空闲", "忙碌"}[min(max(int(k), 0), 2)]
}

// UnmarshalJSON accepts 1 and "1".
func (k *KefuStatus) UnmarshalJSON(b []byte) error { return flexIntInto(b, (*int)(k)) }

// UnmarshalJSON accepts 895 and "895".
func (r *KickReason) UnmarshalJSON(b []byte) error { return flexIntInto(b, (*int)(r)) }

func flexIntInto(b []byte, dst *int) error {
	var n FlexInt
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if n > 1<<31-1 || n < -(1<<31) {
		return fmt.Errorf("%w: %d is out of range", ErrMalformed, n)
	}
	*dst = int(n)
	return nil
}

// LoginState is checkLogin()'s value: the SDK computes it; it never travels.
type LoginState int

// The seed's checkLogin values. Right after register's 200 it is still
// LoginOffline: the server's statusChanged {status: 1} makes it online.
const (
	LoginOffline LoginState = 0 // 离线
	LoginOnline  LoginState = 1 // 在线
)
