package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Commands (§4): MESSAGE sip:pbx@{switchnumber} with ContentTypeCommand and
// a Command body; the 200 OK carries a Result with ContentTypeResult.
// The names are the SDK's methods.
const (
	CmdCall             = "call"
	CmdAnswerPBXCall    = "answerPBXCall"
	CmdTerminate        = "terminate"
	CmdHold             = "hold"
	CmdUnhold           = "unhold"
	CmdTransferPBXCall  = "transferPBXCall"
	CmdSendDTMF         = "sendDTMF"
	CmdChangeStaus      = "changeStaus" // sic: the SDK's spelling
	CmdStartCallMonitor = "startCallMonitor"
	CmdStopCallMonitor  = "stopCallMonitor"
	CmdJoinFromMonitor  = "joinFromMonitor"
	CmdExitJoinMonitor  = "exitJoinMonitor"
	CmdEndCallMonitor   = "endCallMonitor"
	CmdTerminateCall    = "terminateCall"
)

// Commands lists every command, in the contract's order.
var Commands = []string{
	CmdCall, CmdAnswerPBXCall, CmdTerminate, CmdHold, CmdUnhold, CmdTransferPBXCall,
	CmdSendDTMF, CmdChangeStaus, CmdStartCallMonitor, CmdStopCallMonitor,
	CmdJoinFromMonitor, CmdExitJoinMonitor, CmdEndCallMonitor, CmdTerminateCall,
}

// MonitorCommands are the supervisor's commands; their Result data is a
// MonitorResult.
var MonitorCommands = map[string]bool{
	CmdStartCallMonitor: true, CmdStopCallMonitor: true, CmdJoinFromMonitor: true,
	CmdExitJoinMonitor: true, CmdEndCallMonitor: true, CmdTerminateCall: true,
}

// Command is a MESSAGE body agent → platform: {"cmd", "seq", "data"}. Seq
// is the client's, positive and increasing on its registration; the Result
// echoes it.
type Command struct {
	Cmd  string          `json:"cmd"`
	Seq  int64           `json:"seq"`
	Data json.RawMessage `json:"data,omitempty"`
}

// NewCommand builds a command with its data marshalled.
func NewCommand(cmd string, seq int64, data any) Command {
	c := Command{Cmd: cmd, Seq: seq}
	if data != nil {
		c.Data = MustJSON(data)
	}
	return c
}

// CallData is call's data: Number is the number to dial (decrypted by the
// client), N is the number as passed to call() (the encrypted string when
// encrypted; the platform echoes it as the events' n).
type CallData struct {
	Number FlexString `json:"number"`
	N      FlexString `json:"n"`
}

// CcData is the data of answerPBXCall, terminate, hold, unhold and of the
// monitor commands: the ccNumber.
type CcData struct {
	C FlexString `json:"c"`
}

// TransferData is transferPBXCall(gid, number, ccNumber)'s data.
type TransferData struct {
	Gid    FlexString `json:"gid"`
	Number FlexString `json:"number"`
	C      FlexString `json:"c"`
}

// DTMFData is sendDTMF's data: exactly one digit (ValidDTMF).
type DTMFData struct {
	C    FlexString `json:"c"`
	DTMF FlexString `json:"dtmf"`
}

// StatusData is changeStaus' data and statusChanged's: 1 空闲, 2 忙碌 (0 离线
// only in statusChanged).
type StatusData struct {
	Status SeatStatus `json:"status"`
}

// Result codes of a command (agentbar's choice; CodeOK is success).
const (
	ResultBadRequest  = 400 // data missing or of the wrong shape, a bad number or digit
	ResultForbidden   = 403 // not allowed for this seat (a monitor command from a non-supervisor, a call the agent does not own)
	ResultNoSuchCall  = 404 // no call with that ccNumber
	ResultWrongState  = 409 // not in the call's or seat's current state (hold while ringing …)
	ResultUnknownCmd  = 501 // a command the server does not know
	ResultServerError = 500
)

// Result is the 200 OK's body: {"seq", "code", "info", "data"}.
type Result struct {
	Seq  int64           `json:"seq"`
	Code FlexInt         `json:"code"`
	Info string          `json:"info"`
	Data json.RawMessage `json:"data,omitempty"`
}

// OK reports success.
func (r Result) OK() bool { return r.Code == CodeOK }

// Err is nil on success, else a *CommandError for cmd.
func (r Result) Err(cmd string) error {
	if r.OK() {
		return nil
	}
	return &CommandError{Cmd: cmd, Code: int(r.Code), Info: r.Info}
}

// CallResult is call's result data: the seed's return value (2 outside, 3
// internal) and the ccNumber of the new call.
type CallResult struct {
	CallType CallType   `json:"calltype"`
	C        FlexString `json:"c"`
}

// transferPBXCall's callback types (sic: "Faild", as the seed).
const (
	TransferCallSuccess = "transferCallSuccess"
	TransferCallFaild   = "transferCallFaild"
)

// TransferResult is transferPBXCall's result data: the callback's res
// {type, data}. Data is the platform's detail, TransferDetail in the
// simulator.
type TransferResult struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data,omitempty"`
}

// Succeeded reports type transferCallSuccess.
func (t TransferResult) Succeeded() bool { return t.Type == TransferCallSuccess }

// TransferDetail is what the simulator puts in TransferResult.Data
// (agentbar's choice; the seed leaves res.data open): the call, the target
// and, on failure, the SIP-like code and why.
type TransferDetail struct {
	C      FlexString `json:"c"`
	Gid    FlexString `json:"gid"`
	Number FlexString `json:"number"`
	A      FlexString `json:"a,omitempty"`
	Info   string     `json:"info,omitempty"`
}

// MonitorResult is the monitor commands' result data: the seed's monitorcb
// argument, 0 success and non-zero failure. A refused monitor command has
// Result code 200 and result 1 with the reason in info, as the SDK's
// callback gets only the number.
type MonitorResult struct {
	Result MonitorOutcome `json:"result"`
}

// DecodeCommand reads a MESSAGE body agent → platform.
func DecodeCommand(b []byte) (Command, error) {
	var c Command
	if err := decodeObject(b, MaxMessageBody, &c); err != nil {
		return Command{}, err
	}
	switch {
	case c.Seq <= 0:
		return Command{}, fmt.Errorf("%w: command seq must be positive", ErrMalformed)
	case c.Cmd == "" || len(c.Cmd) > MaxNameLength:
		return Command{}, fmt.Errorf("%w: command without a name", ErrMalformed)
	}
	if d := bytes.TrimSpace(c.Data); len(d) > 0 && d[0] != '{' && string(d) != "null" {
		return Command{}, fmt.Errorf("%w: command data must be an object", ErrMalformed)
	}
	return c, nil
}

// DecodeResult reads a 200 OK's body platform → agent.
func DecodeResult(b []byte) (Result, error) {
	var r struct {
		Result
		Code *FlexInt `json:"code"`
	}
	if err := decodeObject(b, MaxMessageBody, &r); err != nil {
		return Result{}, err
	}
	switch {
	case r.Code == nil:
		return Result{}, fmt.Errorf("%w: result without code", ErrMalformed)
	case r.Seq <= 0:
		return Result{}, fmt.Errorf("%w: result seq must be positive", ErrMalformed)
	}
	r.Result.Code = *r.Code
	return r.Result, nil
}

// DecodeData unmarshals a command's, result's or event's data into v; an
// absent or null data leaves v as it is.
func DecodeData(data json.RawMessage, v any) error {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || string(t) == "null" {
		return nil
	}
	if len(t) > MaxMessageBody {
		return fmt.Errorf("%w: data of %d bytes", ErrTooLarge, len(t))
	}
	if err := json.Unmarshal(t, v); err != nil {
		return fmt.Errorf("%w: data: %v", ErrMalformed, err)
	}
	return nil
}
