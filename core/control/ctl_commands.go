package control

import (
	"io"
	"net/http"
	"net/url"
	"strings"

	"agentbar/core"
)

// ctlRequest is what one ctl command sends.
type ctlRequest struct {
	method, path string
	body         any
}

// ctlArgs is a parsed command line.
type ctlArgs struct {
	pos   []string
	str   map[string]string
	bools map[string]bool
	stdin io.Reader // for --password-stdin
}

// call is the call named by [CALL] or --call; "" = the current call.
func (a ctlArgs) call() string {
	if c := a.str["call"]; c != "" {
		return c
	}
	if len(a.pos) > 0 {
		return a.pos[0]
	}
	return ""
}

// ctlSpec describes one `agentbar ctl` command.
type ctlSpec struct {
	name     string
	usage    string // after "agentbar ctl "
	min, max int    // positional arguments; max -1 = any number
	posNames []string
	choices  map[int][]string    // allowed values of a positional argument
	strFlags map[string][]string // --name VALUE; non-nil list = allowed values
	boolFlag []string            // --name
	build    func(a ctlArgs) (ctlRequest, error)
}

func targetKindNames() []string { return []string{"agent", "number", "queue", "ivr"} }

// ctlSpecs is the command table, in the order help lists it.
func ctlSpecs() []ctlSpec {
	callCmd := func(name, path string) ctlSpec {
		return ctlSpec{name: name, usage: name + " [CALL]", max: 1, posNames: []string{"CALL"},
			strFlags: map[string][]string{"call": nil},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{http.MethodPost, path, callRequest{Call: core.CallID(a.call())}}, nil
			}}
	}
	getCmd := func(name, path string) ctlSpec {
		return ctlSpec{name: name, usage: name,
			build: func(ctlArgs) (ctlRequest, error) { return ctlRequest{method: http.MethodGet, path: path}, nil }}
	}
	return []ctlSpec{
		getCmd("status", "status"),
		{name: "events", usage: "events"}, // streamed, see runEvents
		{name: "login", usage: "login [--account NAME] [--password-stdin]",
			strFlags: map[string][]string{"account": nil}, boolFlag: []string{"password-stdin"},
			build: func(a ctlArgs) (ctlRequest, error) {
				req := loginRequest{Account: a.str["account"]}
				if a.bools["password-stdin"] {
					pw, err := readPassword(a.stdin)
					if err != nil {
						return ctlRequest{}, err
					}
					req.Password = pw
				}
				return ctlRequest{http.MethodPost, "login", req}, nil
			}},
		{name: "logout", usage: "logout", build: func(ctlArgs) (ctlRequest, error) {
			return ctlRequest{http.MethodPost, "logout", nil}, nil
		}},
		{name: "state", usage: "state ready|busy|break CODE", min: 1, max: 2, posNames: []string{"STATE", "CODE"},
			choices: map[int][]string{0: {"ready", "busy", "break"}},
			build: func(a ctlArgs) (ctlRequest, error) {
				req := stateRequest{State: a.pos[0]}
				switch {
				case req.State == "break" && len(a.pos) < 2:
					return ctlRequest{}, usageMissing("CODE", "state ready|busy|break CODE")
				case req.State != "break" && len(a.pos) > 1:
					return ctlRequest{}, usageTooMany("state ready|busy|break CODE")
				case len(a.pos) > 1:
					req.Code = a.pos[1]
				}
				return ctlRequest{http.MethodPost, "state", req}, nil
			}},
		{name: "dial", usage: "dial TARGET [--caller-id ID] [--num-type TYPE]", min: 1, max: 1, posNames: []string{"TARGET"},
			strFlags: map[string][]string{"caller-id": nil, "num-type": nil},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{http.MethodPost, "dial", dialRequest{Target: a.pos[0], CallerID: a.str["caller-id"], NumType: a.str["num-type"]}}, nil
			}},
		callCmd("answer", "answer"),
		callCmd("reject", "reject"),
		callCmd("hangup", "hangup"),
		callCmd("hold", "hold"),
		callCmd("resume", "resume"),
		callCmd("mute", "mute"),
		callCmd("unmute", "unmute"),
		{name: "dtmf", usage: "dtmf DIGITS [--call CALL]", min: 1, max: 1, posNames: []string{"DIGITS"},
			strFlags: map[string][]string{"call": nil},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{http.MethodPost, "dtmf", dtmfRequest{Call: core.CallID(a.str["call"]), Digits: a.pos[0]}}, nil
			}},
		{name: "transfer", usage: "transfer agent|number|queue|ivr TARGET [--call CALL]", min: 2, max: 2,
			posNames: []string{"KIND", "TARGET"}, choices: map[int][]string{0: targetKindNames()},
			strFlags: map[string][]string{"call": nil},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{http.MethodPost, "transfer", targetRequest{Call: core.CallID(a.str["call"]), Kind: core.TargetKind(a.pos[0]), Target: a.pos[1]}}, nil
			}},
		{name: "consult", usage: "consult TARGET [--kind agent|number] [--call CALL]", min: 1, max: 1,
			posNames: []string{"TARGET"}, strFlags: map[string][]string{"kind": targetKindNames(), "call": nil},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{http.MethodPost, "consult", targetRequest{Call: core.CallID(a.str["call"]), Kind: core.TargetKind(a.str["kind"]), Target: a.pos[0]}}, nil
			}},
		callCmd("consult-transfer", "consult-transfer"),
		callCmd("consult-cancel", "consult-cancel"),
		{name: "conference", usage: "conference TARGET [--kind agent|number] [--call CALL]", min: 1, max: 1,
			posNames: []string{"TARGET"}, strFlags: map[string][]string{"kind": targetKindNames(), "call": nil},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{http.MethodPost, "conference", targetRequest{Call: core.CallID(a.str["call"]), Kind: core.TargetKind(a.str["kind"]), Target: a.pos[0]}}, nil
			}},
		callCmd("consult-conference", "consult-conference"),
		callCmd("conference-retrieve", "conference-retrieve"),
		callCmd("conference-transfer", "conference-transfer"),
		{name: "call-data", usage: "call-data KEY=VALUE... [--call CALL]", min: 1, max: -1,
			posNames: []string{"KEY=VALUE"}, strFlags: map[string][]string{"call": nil},
			build: func(a ctlArgs) (ctlRequest, error) {
				data := map[string]string{}
				for _, kv := range a.pos {
					k, v, ok := strings.Cut(kv, "=")
					if !ok || k == "" {
						return ctlRequest{}, usageBadValue("KEY=VALUE", kv, "call-data KEY=VALUE... [--call CALL]")
					}
					data[k] = v
				}
				return ctlRequest{http.MethodPost, "call-data", callDataRequest{Call: core.CallID(a.str["call"]), Data: data}}, nil
			}},
		{name: "history", usage: "history [--missed] [--direction in|out|internal] [--number N] [--limit N] [--before TIME]",
			boolFlag: []string{"missed"},
			strFlags: map[string][]string{"direction": {"in", "out", "internal"}, "number": nil, "limit": nil, "before": nil},
			build: func(a ctlArgs) (ctlRequest, error) {
				q := url.Values{}
				if a.bools["missed"] {
					q.Set("missed", "true")
				}
				for _, k := range []string{"direction", "number", "limit", "before"} {
					if v := a.str[k]; v != "" {
						q.Set(k, v)
					}
				}
				path := "history"
				if len(q) > 0 {
					path += "?" + q.Encode()
				}
				return ctlRequest{method: http.MethodGet, path: path}, nil
			}},
		getCmd("break-reasons", "break-reasons"),
		{name: "targets", usage: "targets agent|number|queue|ivr", min: 1, max: 1, posNames: []string{"KIND"},
			choices: map[int][]string{0: targetKindNames()},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{method: http.MethodGet, path: "targets?kind=" + url.QueryEscape(a.pos[0])}, nil
			}},
		getCmd("caller-ids", "caller-ids"),
		{name: "caller-id", usage: "caller-id ID", min: 1, max: 1, posNames: []string{"ID"},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{http.MethodPost, "caller-id", callerIDRequest{ID: a.pos[0]}}, nil
			}},
		getCmd("device-modes", "device-modes"),
		{name: "device-mode", usage: "device-mode MODE", min: 1, max: 1, posNames: []string{"MODE"},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{http.MethodPost, "device-mode", deviceModeRequest{Mode: a.pos[0]}}, nil
			}},
		getCmd("agents", "agents"),
		{name: "monitor", usage: "monitor AGENT listen|whisper|barge|takeover|end|hangup", min: 2, max: 2,
			posNames: []string{"AGENT", "MODE"},
			choices:  map[int][]string{1: {"listen", "whisper", "barge", "takeover", "end", "hangup"}},
			build: func(a ctlArgs) (ctlRequest, error) {
				return ctlRequest{http.MethodPost, "monitor", monitorRequest{Agent: a.pos[0], Mode: core.MonitorMode(a.pos[1])}}, nil
			}},
	}
}
