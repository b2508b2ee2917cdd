package control

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"agentbar/core"
)

// oneOf is the ArgumentError for a value outside a fixed set.
func oneOf[T ~string](field, got string, choices []T) *ArgumentError {
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = string(c)
	}
	list := strings.Join(names, ", ")
	return &ArgumentError{
		Field: field,
		ZH:    fmt.Sprintf("参数“%s”的值“%s”不对，应为 %s 之一。", field, got, list),
		EN:    fmt.Sprintf("The argument \"%s\" is \"%s\"; it must be one of %s.", field, got, list),
	}
}

func targetKinds() []core.TargetKind {
	return []core.TargetKind{core.TargetAgent, core.TargetNumber, core.TargetQueue, core.TargetIVR}
}

func monitorModes() []core.MonitorMode {
	return []core.MonitorMode{core.MonitorListen, core.MonitorWhisper, core.MonitorBarge,
		core.MonitorTakeOver, core.MonitorEnd, core.MonitorHangup}
}

// targetKind checks a transfer/consult kind; "" is allowed when optional
// (the engine or platform picks its default).
func targetKind(field, v string, required bool) (core.TargetKind, error) {
	if v == "" {
		if required {
			return "", missingArg(field)
		}
		return "", nil
	}
	for _, k := range targetKinds() {
		if string(k) == v {
			return k, nil
		}
	}
	return "", oneOf(field, v, targetKinds())
}

// agentState reads the state command: ready, busy, or break with a code.
func agentState(name, code string) (core.AgentState, error) {
	switch name {
	case "":
		return core.AgentState{}, missingArg("state")
	case "ready", "busy":
		return core.ParseAgentState(name, "")
	case "break":
		if strings.TrimSpace(code) == "" {
			return core.AgentState{}, &ArgumentError{Field: "code",
				ZH: "小休需要原因代码（参数“code”，可用 break-reasons 查询）。",
				EN: "A break needs a reason code (argument \"code\"; list them with break-reasons)."}
		}
		return core.ParseAgentState(name, code)
	}
	return core.AgentState{}, oneOf("state", name, []string{"ready", "busy", "break"})
}

// parseHistoryQuery reads GET /v1/history's parameters.
func parseHistoryQuery(q url.Values) (HistoryQuery, error) {
	hq := HistoryQuery{Limit: DefaultHistoryLimit}
	switch d := q.Get("direction"); d {
	case "", "in", "out", "internal":
		hq.Direction = d
	default:
		return HistoryQuery{}, oneOf("direction", d, []string{"in", "out", "internal"})
	}
	if v := q.Get("missed"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return HistoryQuery{}, oneOf("missed", v, []string{"true", "false"})
		}
		hq.Missed = b
	}
	hq.Number = strings.TrimSpace(q.Get("number"))
	if len(hq.Number) > 64 {
		return HistoryQuery{}, &ArgumentError{Field: "number",
			ZH: "参数“number”太长（最多 64 个字符）。", EN: "The argument \"number\" is too long (at most 64 characters)."}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxHistoryLimit {
			return HistoryQuery{}, &ArgumentError{Field: "limit",
				ZH: fmt.Sprintf("参数“limit”应为 1 到 %d 之间的整数。", MaxHistoryLimit),
				EN: fmt.Sprintf("The argument \"limit\" must be a whole number from 1 to %d.", MaxHistoryLimit)}
		}
		hq.Limit = n
	}
	if v := q.Get("before"); v != "" {
		t, err := parseTime(v)
		if err != nil {
			return HistoryQuery{}, &ArgumentError{Field: "before",
				ZH: "参数“before”应为 RFC 3339 时间（如 2026-11-21T10:00:00+08:00）或 Unix 秒数。",
				EN: "The argument \"before\" must be an RFC 3339 time (e.g. 2026-11-21T10:00:00+08:00) or Unix seconds."}
		}
		hq.Before = t
	}
	return hq, nil
}

// parseTime reads RFC 3339 or Unix seconds.
func parseTime(v string) (time.Time, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 || n > 1<<40 {
			return time.Time{}, fmt.Errorf("out of range: %d", n)
		}
		return time.Unix(n, 0), nil
	}
	return time.Parse(time.RFC3339Nano, v)
}
