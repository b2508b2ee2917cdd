package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// MaxFrameSize bounds one frame (WebSocket message or HTTP body). The
// largest documented payload, a tenant's agent list, stays far below it.
const MaxFrameSize = 1 << 20

// Request is a client frame: {"Id": 7, "Method": "MakeCallAsync", "Params": {...}}.
// Method is the SDK's method name; Params holds the SDK's arguments by their
// documented names (see the Params types). Id is chosen by the client,
// positive and unique on its connection; the reply echoes it.
type Request struct {
	Id     int64           `json:"Id"`
	Method string          `json:"Method"`
	Params json.RawMessage `json:"Params,omitempty"`
}

// Envelope is every answer of the SDK: {Code, Data, Message, Visible}.
// Code "0000" is success; Visible says whether Message may be shown to the
// agent as is.
type Envelope struct {
	Code    FlexString      `json:"Code"`
	Data    json.RawMessage `json:"Data"`
	Message string          `json:"Message"`
	Visible FlexBool        `json:"Visible"`
}

// OK reports success.
func (e Envelope) OK() bool { return e.Code == CodeOK }

// ServerFrame is what the server sends on the socket: a reply
// {"Id": 7, "Code": ..., "Data": ..., "Message": ..., "Visible": ...} or an
// event {"Event": "Delivered", "Code": ..., "Data": ..., ...}.
type ServerFrame struct {
	Id    int64  `json:"Id,omitempty"`
	Event string `json:"Event,omitempty"`
	Envelope
}

// IsEvent tells events from replies.
func (f ServerFrame) IsEvent() bool { return f.Event != "" }

// frameJSON is ServerFrame's encoding: Envelope's MarshalJSON would be
// promoted through the embedding and drop Id and Event.
type frameJSON struct {
	Id      int64           `json:"Id,omitempty"`
	Event   string          `json:"Event,omitempty"`
	Code    FlexString      `json:"Code"`
	Data    json.RawMessage `json:"Data"`
	Message string          `json:"Message"`
	Visible FlexBool        `json:"Visible"`
}

// MarshalJSON writes the frame with Data null rather than absent, as the
// document's examples show it.
func (f ServerFrame) MarshalJSON() ([]byte, error) {
	return json.Marshal(frameJSON{Id: f.Id, Event: f.Event, Code: f.Code, Data: dataOrNull(f.Data), Message: f.Message, Visible: f.Visible})
}

// MarshalJSON writes the envelope with Data null rather than absent.
func (e Envelope) MarshalJSON() ([]byte, error) {
	return json.Marshal(frameJSON{Code: e.Code, Data: dataOrNull(e.Data), Message: e.Message, Visible: e.Visible})
}

func dataOrNull(d json.RawMessage) json.RawMessage {
	if len(d) == 0 {
		return json.RawMessage("null")
	}
	return d
}

// maxNameLength bounds method and event names: the longest SDK name is 30.
const maxNameLength = 64

// DecodeServerFrame reads one frame the server sent. It refuses frames over
// MaxFrameSize, non-objects, and frames that are neither a reply (Id > 0)
// nor an event (a name).
func DecodeServerFrame(b []byte) (ServerFrame, error) {
	var f ServerFrame
	if len(b) > MaxFrameSize {
		return f, fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, len(b))
	}
	if err := decodeObject(b, &f); err != nil {
		return ServerFrame{}, err
	}
	switch {
	case len(f.Event) > maxNameLength:
		return ServerFrame{}, fmt.Errorf("%w: event name of %d bytes", ErrMalformedFrame, len(f.Event))
	case f.Event == "" && f.Id <= 0:
		return ServerFrame{}, fmt.Errorf("%w: neither a reply (Id) nor an event (Event)", ErrMalformedFrame)
	case f.Event != "" && f.Id != 0:
		return ServerFrame{}, fmt.Errorf("%w: both Id and Event", ErrMalformedFrame)
	}
	return f, nil
}

// DecodeRequest reads one frame a client sent.
func DecodeRequest(b []byte) (Request, error) {
	var r Request
	if len(b) > MaxFrameSize {
		return r, fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, len(b))
	}
	if err := decodeObject(b, &r); err != nil {
		return Request{}, err
	}
	switch {
	case r.Id <= 0:
		return Request{}, fmt.Errorf("%w: request Id must be positive", ErrMalformedFrame)
	case r.Method == "" || len(r.Method) > maxNameLength:
		return Request{}, fmt.Errorf("%w: request without a method name", ErrMalformedFrame)
	}
	if p := bytes.TrimSpace(r.Params); len(p) > 0 && p[0] != '{' && string(p) != "null" {
		return Request{}, fmt.Errorf("%w: Params must be an object", ErrMalformedFrame)
	}
	return r, nil
}

// DecodeEnvelope reads an HTTP answer at HttpDomain.
func DecodeEnvelope(b []byte) (Envelope, error) {
	var e Envelope
	if len(b) > MaxFrameSize {
		return e, fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, len(b))
	}
	if err := decodeObject(b, &e); err != nil {
		return Envelope{}, err
	}
	if e.Code == "" {
		return Envelope{}, fmt.Errorf("%w: envelope without Code", ErrMalformedFrame)
	}
	return e, nil
}

func decodeObject(b []byte, v any) error {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return fmt.Errorf("%w: not a JSON object", ErrMalformedFrame)
	}
	if err := json.Unmarshal(t, v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformedFrame, err)
	}
	return nil
}

// DecodeData unmarshals an envelope's Data into v; null leaves v as it is.
func DecodeData(data json.RawMessage, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: Data: %v", ErrMalformedFrame, err)
	}
	return nil
}

// DecodeListItem reads event Data that the document shows as a one-element
// array ([{CurState: ...}]); a bare object is accepted too. An empty array
// reports false.
func DecodeListItem(data json.RawMessage, v any) (bool, error) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || string(t) == "null" {
		return false, nil
	}
	if t[0] == '{' {
		return true, DecodeData(t, v)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(t, &items); err != nil {
		return false, fmt.Errorf("%w: Data: %v", ErrMalformedFrame, err)
	}
	if len(items) == 0 {
		return false, nil
	}
	return true, DecodeData(items[len(items)-1], v)
}

// MustData marshals a Data value; the contract's types always marshal.
func MustData(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("udesk wire: " + err.Error())
	}
	return b
}
