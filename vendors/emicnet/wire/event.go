package wire

import (
	"encoding/json"
	"fmt"
)

// Events (§6): MESSAGE platform → agent with ContentTypeEvent and an Event
// body. The names are the SDK's eventCallback members.
const (
	EventCallEvent     = "callEvent"
	EventStatusChanged = "statusChanged"
	EventKickedOffLine = "kickedOffLine"
	EventRepCallStatus = "repCallStatus"
)

// Events lists the events, in the seed's order.
var Events = []string{EventCallEvent, EventKickedOffLine, EventStatusChanged, EventRepCallStatus}

// callEvent types (the seed's callEvent(type, data)).
const (
	CallinResponse      = "callinResponse"      // 座席外呼响应(内线)
	CalloutResponse     = "calloutResponse"     // 座席外呼响应(外线)
	CallinFaildResponse = "callinFaildResponse" // 座席外呼响应(内线) 被叫超时未接听 (sic)
	NewPBXCall          = "newPBXCall"          // 来电呼入
	CancelPBXCall       = "cancelPBXCall"       // 坐席拒接(会流转到其他空闲坐席) /客户挂断
	AnsweredPBXCall     = "answeredPBXCall"     // 通话建立
	EndPBXCall          = "endPBXCall"          // 通话结束
)

// CallEventTypes lists the callEvent types in the seed's order, with the
// seed's meaning.
var CallEventTypes = []struct{ Type, Meaning string }{
	{CallinResponse, "座席外呼响应(内线)"},
	{CalloutResponse, "座席外呼响应(外线)"},
	{CallinFaildResponse, "座席外呼响应(内线) 被叫超时未接听"},
	{NewPBXCall, "来电呼入"},
	{CancelPBXCall, "坐席拒接(会流转到其他空闲坐席) /客户挂断"},
	{AnsweredPBXCall, "通话建立"},
	{EndPBXCall, "通话结束"},
}

// IsCallEventType reports whether t is one of the seed's callEvent types.
func IsCallEventType(t string) bool {
	for _, c := range CallEventTypes {
		if c.Type == t {
			return true
		}
	}
	return false
}

// Event is a MESSAGE body platform → agent: {"event", "type", "data"};
// Type only for callEvent.
type Event struct {
	Event string          `json:"event"`
	Type  string          `json:"type,omitempty"`
	Data  json.RawMessage `json:"data,omitempty"`
}

// NewEvent builds an event with its data marshalled.
func NewEvent(event, typ string, data any) Event {
	e := Event{Event: event, Type: typ}
	if data != nil {
		e.Data = MustJSON(data)
	}
	return e
}

// CallEventData is callEvent's data: a the SIP-like status code, c the
// ccNumber, n the other party's number as passed to call() (so possibly the
// encrypted string), callTime the seconds of talk (endPBXCall only).
type CallEventData struct {
	A        FlexString `json:"a,omitempty"`
	C        FlexString `json:"c"`
	N        FlexString `json:"n,omitempty"`
	CallTime *FlexInt   `json:"callTime,omitempty"`
}

// Failure is the call failure `a` carries, if any.
func (d CallEventData) Failure() (CallFailure, bool) {
	if !IsFailure(d.A) {
		return 0, false
	}
	var n FlexInt
	if err := json.Unmarshal([]byte(d.A), &n); err != nil {
		return 0, false
	}
	return CallFailure(n), true
}

// Talk returns callTime, 0 when absent.
func (d CallEventData) Talk() int64 {
	if d.CallTime == nil {
		return 0
	}
	return int64(*d.CallTime)
}

// KickedOffLineData is kickedOffLine's data: {r}.
type KickedOffLineData struct {
	R KickReason `json:"r"`
}

// RepCallStatusData is repCallStatus' data (supervisors only): sent when a
// group member's call starts (EndTime 0, encoded "") and when it ends.
// Callee is in the vendor's sample code, not in the seed's table.
type RepCallStatusData struct {
	Caller   FlexString `json:"caller"`
	Callee   FlexString `json:"callee"`
	CcNumber FlexString `json:"ccNumber"`
	CallTime Timestamp  `json:"callTime"`
	EndTime  Timestamp  `json:"endTime"`
}

// Ended reports the second notification (the call is over).
func (d RepCallStatusData) Ended() bool { return d.EndTime != 0 }

// DecodeEvent reads a MESSAGE body platform → agent. It checks the
// envelope only; an unknown event name decodes (the client answers 200 and
// logs it). A callEvent must have a type.
func DecodeEvent(b []byte) (Event, error) {
	var e Event
	if err := decodeObject(b, MaxMessageBody, &e); err != nil {
		return Event{}, err
	}
	switch {
	case e.Event == "" || len(e.Event) > MaxNameLength:
		return Event{}, fmt.Errorf("%w: event without a name", ErrMalformed)
	case len(e.Type) > MaxNameLength:
		return Event{}, fmt.Errorf("%w: event type of %d bytes", ErrMalformed, len(e.Type))
	case e.Event == EventCallEvent && e.Type == "":
		return Event{}, fmt.Errorf("%w: callEvent without a type", ErrMalformed)
	}
	return e, nil
}

// CallEvent decodes a callEvent's data; c must be a ccNumber.
func (e Event) CallEvent() (CallEventData, error) {
	var d CallEventData
	if err := e.decode(EventCallEvent, &d); err != nil {
		return CallEventData{}, err
	}
	if !ValidCcNumber(string(d.C)) {
		return CallEventData{}, fmt.Errorf("%w: callEvent %s without a valid c", ErrMalformed, e.Type)
	}
	return d, nil
}

// StatusChanged decodes statusChanged's data; status must be 0, 1 or 2.
func (e Event) StatusChanged() (StatusData, error) {
	var d struct {
		Status *SeatStatus `json:"status"`
	}
	if err := e.decode(EventStatusChanged, &d); err != nil {
		return StatusData{}, err
	}
	if d.Status == nil || *d.Status < SeatOffline || *d.Status > SeatBusy {
		return StatusData{}, fmt.Errorf("%w: statusChanged without a status 0-2", ErrMalformed)
	}
	return StatusData{Status: *d.Status}, nil
}

// KickedOffLine decodes kickedOffLine's data. An unknown r decodes: the
// client still stops (KickReason.Meaning says 未知原因).
func (e Event) KickedOffLine() (KickedOffLineData, error) {
	var d KickedOffLineData
	if err := e.decode(EventKickedOffLine, &d); err != nil {
		return KickedOffLineData{}, err
	}
	return d, nil
}

// RepCallStatus decodes repCallStatus' data; ccNumber must be valid.
func (e Event) RepCallStatus() (RepCallStatusData, error) {
	var d RepCallStatusData
	if err := e.decode(EventRepCallStatus, &d); err != nil {
		return RepCallStatusData{}, err
	}
	if !ValidCcNumber(string(d.CcNumber)) {
		return RepCallStatusData{}, fmt.Errorf("%w: repCallStatus without a valid ccNumber", ErrMalformed)
	}
	return d, nil
}

func (e Event) decode(name string, v any) error {
	if e.Event != name {
		return fmt.Errorf("%w: %s is not %s", ErrMalformed, e.Event, name)
	}
	t := []byte(e.Data)
	if len(t) == 0 || string(t) == "null" {
		return fmt.Errorf("%w: %s without data", ErrMalformed, name)
	}
	if err := decodeObject(t, MaxMessageBody, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
