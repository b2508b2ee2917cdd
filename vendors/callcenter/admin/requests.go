package admin

import (
	"bytes"
	"encoding/json"
	"fmt"

	"agentbar/vendors/callcenter"
)

// maxBody bounds every request body.
const maxBody = 1 << 20

// customerRequest is POST /admin/customer: a customer and the trunk called.
type customerRequest struct {
	callcenter.Customer
	Trunk string `json:"trunk,omitempty"`
}

// faultRequest is POST /admin/fault.
type faultRequest struct {
	Kind string          `json:"kind"`
	Args json.RawMessage `json:"args,omitempty"`
}

type arrivalsRequest struct {
	PerMinute *float64 `json:"per_minute"`
}

type agentRequest struct {
	Agent     string `json:"agent"`
	State     string `json:"state"`
	BreakCode string `json:"break_code,omitempty"`
}

type monitorRequest struct {
	Supervisor string `json:"supervisor"`
	Agent      string `json:"agent"`
	Mode       string `json:"mode"`
}

// decode reads one JSON object strictly: unknown fields and trailing data
// are errors.
func decode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data after the JSON object", ErrBadRequest)
	}
	return nil
}

// decodeCustomer reads and checks a customer request.
func decodeCustomer(body []byte) (customerRequest, error) {
	var r customerRequest
	if err := decode(body, &r); err != nil {
		return r, err
	}
	if r.Voice.ToneHz == 0 && r.Voice.Text == "" {
		r.Voice.ToneHz = 440
	}
	return r, nil
}

// parseState reads an agent state name.
func parseState(name, code string) (callcenter.AgentState, error) {
	switch name {
	case "ready":
		return callcenter.StateReady, nil
	case "busy":
		return callcenter.StateBusy, nil
	case "break":
		return callcenter.StateBreak(code), nil
	}
	return callcenter.AgentState{}, fmt.Errorf("%w: state %q (ready, busy, break)", ErrBadRequest, name)
}
