package emicsim

import (
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// The platform's own call rules (the seed's failure codes that the center
// knows nothing of). Caller holds f.mu.
func (f *Front) rule(e *enterprise, caller callcenter.AgentInfo, number string, internal bool, now time.Time) wire.CallFailure {
	if internal {
		if f.protected[number] && !caller.Supervisor {
			return wire.FailNoPermission // 1000 禁止拨打无权限坐席
		}
		return 0
	}
	switch {
	case e.Suspended:
		return wire.FailSuspended // 507 总机号已停机
	case !e.Hours.Open(now):
		return wire.FailOffHours // 508 非工作时间
	case e.DailyLimit > 0 && e.callsToday(number, now) >= e.DailyLimit:
		return wire.FailDailyLimit // 512 该客户今日被呼叫次数已达上限
	}
	return 0
}

// callsToday is how often the enterprise called number today.
func (e *enterprise) callsToday(number string, now time.Time) int {
	if day := now.Format(time.DateOnly); day != e.day {
		e.day, e.calls = day, map[string]int{}
	}
	return e.calls[number]
}

// countCall counts a call placed to an outside number. Caller holds f.mu.
func (f *Front) countCall(e *enterprise, number string, now time.Time) {
	e.callsToday(number, now)
	e.calls[number]++
}
