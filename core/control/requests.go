package control

import "agentbar/core"

// Request bodies of the POST commands. Field names are the JSON contract;
// unknown fields are refused.
type (
	emptyRequest struct{}

	loginRequest struct {
		Account  string `json:"account"`
		Password string `json:"password"` // "" = the one in the keyring
	}
	stateRequest struct {
		State string `json:"state"` // ready, busy, break
		Code  string `json:"code"`  // break reason code
	}
	dialRequest struct {
		Target   string            `json:"target"`
		CallerID string            `json:"caller_id"`
		UserData map[string]string `json:"user_data"`
		NumType  string            `json:"num_type,omitempty"`
	}
	// callRequest names a call; "" means the current one.
	callRequest struct {
		Call core.CallID `json:"call"`
	}
	dtmfRequest struct {
		Call   core.CallID `json:"call"`
		Digits string      `json:"digits"`
	}
	// targetRequest is transfer, consult and conference.
	targetRequest struct {
		Call   core.CallID     `json:"call"`
		Kind   core.TargetKind `json:"kind"`
		Target string          `json:"target"`
	}
	callDataRequest struct {
		Call core.CallID       `json:"call"`
		Data map[string]string `json:"data"`
	}
	callerIDRequest struct {
		ID string `json:"id"`
	}
	deviceModeRequest struct {
		Mode string `json:"mode"`
	}
	monitorRequest struct {
		Agent string           `json:"agent"`
		Mode  core.MonitorMode `json:"mode"`
	}
	handoffRequest struct {
		Target string `json:"target"`
		Dial   bool   `json:"dial"`
	}
)

// Results of commands that return something besides "ok".
type (
	dialResult struct {
		Call core.CallID `json:"call"`
	}
	breakReasonsResult struct {
		Reasons []core.BreakReason `json:"reasons"`
	}
	targetsResult struct {
		Targets []core.Target `json:"targets"`
	}
	callerIDsResult struct {
		CallerIDs []core.CallerID `json:"caller_ids"`
	}
	deviceModesResult struct {
		DeviceModes []core.DeviceMode `json:"device_modes"`
	}
	agentsResult struct {
		Agents []core.AgentInfo `json:"agents"`
	}
	historyResult struct {
		Calls any `json:"calls"`
	}
)

// helloMessage is the first message of every event stream: the state the
// following events apply to.
type helloMessage struct {
	Type    string      `json:"type"` // "hello"
	Version string      `json:"version,omitempty"`
	Status  core.Status `json:"status"`
}
