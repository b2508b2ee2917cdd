package control

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"agentbar/core"
)

// route is one command of the API: its method and what it does.
type route struct {
	method string
	run    func(ctx context.Context, b Backend, query url.Values, body []byte) (any, error)
}

// post makes a POST command whose body decodes strictly into T.
func post[T any](fn func(ctx context.Context, b Backend, req T) (any, error)) route {
	return route{method: http.MethodPost, run: func(ctx context.Context, b Backend, _ url.Values, body []byte) (any, error) {
		var req T
		if err := decodeStrict(body, &req); err != nil {
			return nil, err
		}
		return fn(ctx, b, req)
	}}
}

// get makes a GET command that reads its query.
func get(fn func(ctx context.Context, b Backend, q url.Values) (any, error)) route {
	return route{method: http.MethodGet, run: func(ctx context.Context, b Backend, q url.Values, _ []byte) (any, error) {
		return fn(ctx, b, q)
	}}
}

// callAction is the shape of the engine's one-call commands.
func callAction(fn func(e *core.Engine, ctx context.Context, id core.CallID) error) route {
	return post(func(ctx context.Context, b Backend, req callRequest) (any, error) {
		return nil, fn(b.Engine(), ctx, req.Call)
	})
}

// newRoutes is the command table: path name under /v1/ → route.
func newRoutes() map[string]route {
	return map[string]route{
		"status": get(func(ctx context.Context, b Backend, _ url.Values) (any, error) {
			st, err := b.Engine().Status(ctx)
			return st, err
		}),
		"history": get(func(ctx context.Context, b Backend, q url.Values) (any, error) {
			hq, err := parseHistoryQuery(q)
			if err != nil {
				return nil, err
			}
			rows, err := b.History(ctx, hq)
			if err != nil {
				return nil, err
			}
			if rows == nil {
				rows = []any{}
			}
			return historyResult{Calls: rows}, nil
		}),
		"break-reasons": get(func(ctx context.Context, b Backend, _ url.Values) (any, error) {
			rs, err := b.Engine().BreakReasons(ctx)
			return breakReasonsResult{Reasons: nonNil(rs)}, err
		}),
		"targets": get(func(ctx context.Context, b Backend, q url.Values) (any, error) {
			kind, err := targetKind("kind", q.Get("kind"), true)
			if err != nil {
				return nil, err
			}
			ts, err := b.Engine().Targets(ctx, kind)
			return targetsResult{Targets: nonNil(ts)}, err
		}),
		"caller-ids": get(func(ctx context.Context, b Backend, _ url.Values) (any, error) {
			ids, err := b.Engine().CallerIDs(ctx)
			return callerIDsResult{CallerIDs: nonNil(ids)}, err
		}),
		"device-modes": get(func(ctx context.Context, b Backend, _ url.Values) (any, error) {
			ms, err := b.Engine().DeviceModes(ctx)
			return deviceModesResult{DeviceModes: nonNil(ms)}, err
		}),
		"agents": get(func(ctx context.Context, b Backend, _ url.Values) (any, error) {
			as, err := b.Engine().GroupAgents(ctx)
			return agentsResult{Agents: nonNil(as)}, err
		}),

		"login": post(func(ctx context.Context, b Backend, req loginRequest) (any, error) {
			return nil, b.LoginAccount(ctx, strings.TrimSpace(req.Account), req.Password)
		}),
		"logout": post(func(ctx context.Context, b Backend, _ emptyRequest) (any, error) {
			return nil, b.Engine().Logout(ctx)
		}),
		"state": post(func(ctx context.Context, b Backend, req stateRequest) (any, error) {
			st, err := agentState(req.State, req.Code)
			if err != nil {
				return nil, err
			}
			return nil, b.Engine().SetAgentState(ctx, st)
		}),
		"dial": post(func(ctx context.Context, b Backend, req dialRequest) (any, error) {
			if strings.TrimSpace(req.Target) == "" {
				return nil, missingArg("target")
			}
			id, err := b.Engine().Dial(ctx, core.DialOptions{Target: req.Target, CallerID: req.CallerID, UserData: req.UserData, NumType: req.NumType})
			if err != nil {
				return nil, err
			}
			return dialResult{Call: id}, nil
		}),
		"answer":              callAction((*core.Engine).Answer),
		"reject":              callAction((*core.Engine).Reject),
		"hangup":              callAction((*core.Engine).Hangup),
		"hold":                callAction((*core.Engine).Hold),
		"resume":              callAction((*core.Engine).Resume),
		"consult-transfer":    callAction((*core.Engine).ConsultTransfer),
		"consult-cancel":      callAction((*core.Engine).ConsultCancel),
		"consult-conference":  callAction((*core.Engine).ConsultConference),
		"conference-retrieve": callAction((*core.Engine).ConferenceRetrieve),
		"conference-transfer": callAction((*core.Engine).ConferenceTransfer),
		"mute": callAction(func(e *core.Engine, ctx context.Context, id core.CallID) error {
			return e.Mute(ctx, id, true)
		}),
		"unmute": callAction(func(e *core.Engine, ctx context.Context, id core.CallID) error {
			return e.Mute(ctx, id, false)
		}),
		"dtmf": post(func(ctx context.Context, b Backend, req dtmfRequest) (any, error) {
			if req.Digits == "" {
				return nil, missingArg("digits")
			}
			return nil, b.Engine().SendDTMF(ctx, req.Call, req.Digits)
		}),
		"transfer": post(func(ctx context.Context, b Backend, req targetRequest) (any, error) {
			kind, err := targetKind("kind", string(req.Kind), true)
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(req.Target) == "" {
				return nil, missingArg("target")
			}
			return nil, b.Engine().Transfer(ctx, req.Call, core.Target{Kind: kind, ID: req.Target})
		}),
		"consult": post(func(ctx context.Context, b Backend, req targetRequest) (any, error) {
			kind, err := targetKind("kind", string(req.Kind), false)
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(req.Target) == "" {
				return nil, missingArg("target")
			}
			return nil, b.Engine().Consult(ctx, req.Call, core.Target{Kind: kind, ID: req.Target})
		}),
		"conference": post(func(ctx context.Context, b Backend, req targetRequest) (any, error) {
			kind, err := targetKind("kind", string(req.Kind), false)
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(req.Target) == "" {
				return nil, missingArg("target")
			}
			return nil, b.Engine().Conference(ctx, req.Call, core.Target{Kind: kind, ID: req.Target})
		}),
		"call-data": post(func(ctx context.Context, b Backend, req callDataRequest) (any, error) {
			if len(req.Data) == 0 {
				return nil, missingArg("data")
			}
			return nil, b.Engine().SetCallData(ctx, req.Call, req.Data)
		}),
		"caller-id": post(func(ctx context.Context, b Backend, req callerIDRequest) (any, error) {
			if strings.TrimSpace(req.ID) == "" {
				return nil, missingArg("id")
			}
			return nil, b.Engine().SetCallerID(ctx, req.ID)
		}),
		"device-mode": post(func(ctx context.Context, b Backend, req deviceModeRequest) (any, error) {
			if strings.TrimSpace(req.Mode) == "" {
				return nil, missingArg("mode")
			}
			return nil, b.Engine().SetDeviceMode(ctx, req.Mode)
		}),
		"monitor": post(func(ctx context.Context, b Backend, req monitorRequest) (any, error) {
			if strings.TrimSpace(req.Agent) == "" {
				return nil, missingArg("agent")
			}
			if !slices.Contains(monitorModes(), req.Mode) {
				return nil, oneOf("mode", string(req.Mode), monitorModes())
			}
			return nil, b.Engine().Monitor(ctx, req.Agent, req.Mode)
		}),
		"handoff": post(func(ctx context.Context, b Backend, req handoffRequest) (any, error) {
			target, err := HandoffTarget(req.Target)
			if err != nil {
				return nil, err
			}
			return nil, b.Handoff(ctx, target, req.Dial)
		}),
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
