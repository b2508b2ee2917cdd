package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// The HTTP account API (docs/vendors/emicnet.md §2, agentbar's choice of
// paths and envelope): every request is POST {api_url}{Path...} with a JSON
// body; HTTP status is 200 whenever the server understood the request and
// the outcome is in the body.
const (
	PathGetUser  = "/getUser"
	PathGetUser2 = "/getUser2"
	// PathWebAPIHandler is followed by the function name:
	// /webApiHandler/getGroups, /webApiHandler/searchEpMembers.
	PathWebAPIHandler = "/webApiHandler/"

	ContentTypeJSON = "application/json"
)

// webApiHandler function names (the seed's functionName).
const (
	FuncGetGroups       = "getGroups"
	FuncSearchEpMembers = "searchEpMembers"
)

// Size limits. A getUser answer or a page of members stays far below
// MaxHTTPBody; a SIP MESSAGE body is one command, result or event.
const (
	MaxHTTPBody    = 1 << 20
	MaxMessageBody = 64 << 10
	// MaxNameLength bounds command, event and type names (the longest is 19).
	MaxNameLength = 64
	// MaxCcNumberLength bounds a ccNumber (the seed's is 35 characters).
	MaxCcNumberLength = 256
	// MaxNumberLength bounds a number as passed to call(): an encrypted one
	// is base64 of a few AES blocks.
	MaxNumberLength = 512
	// DefaultPageLength is searchEpMembers' length when none is given.
	DefaultPageLength = 10
	// MaxPageLength bounds one page of members.
	MaxPageLength = 1000
)

// GetUserRequest is getUser(un, pwd, switchnumber)'s body.
type GetUserRequest struct {
	Un           FlexString `json:"un"`
	Pwd          FlexString `json:"pwd"`
	Switchnumber FlexString `json:"switchnumber"`
}

// GetUser2Request is getUser2({un, pwd, switchnumber, callintype, number})'s
// body. Callintype is "5" SIP phone, "4" callback phone, "2" voip; Number is
// the SIP or callback phone's number, required for 4 and 5.
type GetUser2Request struct {
	Un           FlexString `json:"un"`
	Pwd          FlexString `json:"pwd"`
	Switchnumber FlexString `json:"switchnumber"`
	Callintype   FlexString `json:"callintype,omitempty"`
	Number       FlexString `json:"number,omitempty"`
}

// AccountReply is getUser's and getUser2's answer: Code 200 with Data a
// UserInfo, or an AccountCode with Info (the seed's err {code, info}).
type AccountReply struct {
	Code FlexInt         `json:"code"`
	Info string          `json:"info,omitempty"`
	Data json.RawMessage `json:"data,omitempty"`
}

// OK reports success.
func (r AccountReply) OK() bool { return r.Code == CodeOK }

// Err is nil on success, else an *AccountError of the code and info.
func (r AccountReply) Err() error {
	if r.OK() {
		return nil
	}
	return &AccountError{Code: AccountCode(r.Code), Info: r.Info}
}

// UserInfo is getUser's data: {inGroups, userData}.
type UserInfo struct {
	InGroups []Group  `json:"inGroups"`
	UserData UserData `json:"userData"`
}

// Group is a skill group: {id: "2033", eid: "65656", name: "售前咨询"}.
type Group struct {
	ID   FlexString `json:"id"`
	Eid  FlexString `json:"eid"`
	Name string     `json:"name"`
}

// UserData is getUser's userData: the seed shows displayname, eid and
// number and says there are more; Switchnumber, Callintype and Supervisor
// are agentbar's (the platform knows who is a 班长).
type UserData struct {
	Displayname  string     `json:"displayname"`
	Eid          FlexString `json:"eid"`
	Number       FlexString `json:"number"`
	Switchnumber FlexString `json:"switchnumber,omitempty"`
	Callintype   FlexString `json:"callintype,omitempty"`
	Supervisor   FlexBool   `json:"supervisor,omitempty"`
}

// GetGroupsRequest is webApiHandler("getGroups", {un, pwd, eid}).
type GetGroupsRequest struct {
	Un  FlexString `json:"un"`
	Pwd FlexString `json:"pwd"`
	Eid FlexString `json:"eid"`
}

// SearchEpMembersRequest is webApiHandler("searchEpMembers", {un, pwd, eid,
// searchGid, length}); Start (0-based offset, DataTables style) is
// agentbar's choice for paging.
type SearchEpMembersRequest struct {
	Un        FlexString `json:"un"`
	Pwd       FlexString `json:"pwd"`
	Eid       FlexString `json:"eid"`
	SearchGid FlexString `json:"searchGid"`
	Length    FlexInt    `json:"length,omitempty"`
	Start     FlexInt    `json:"start,omitempty"`
}

// PageLength is Length, or DefaultPageLength when none was given.
func (r SearchEpMembersRequest) PageLength() int {
	if r.Length <= 0 {
		return DefaultPageLength
	}
	return int(min(r.Length, MaxPageLength))
}

// WebAPIReply is webApiHandler's answer: {status: 200, returnData} or
// {status: 50001, info}.
type WebAPIReply struct {
	Status     FlexInt         `json:"status"`
	Info       string          `json:"info,omitempty"`
	ReturnData json.RawMessage `json:"returnData,omitempty"`
}

// OK reports success.
func (r WebAPIReply) OK() bool { return r.Status == CodeOK }

// Err is nil on success, else an *AccountError of the status and info.
func (r WebAPIReply) Err() error {
	if r.OK() {
		return nil
	}
	return &AccountError{Code: AccountCode(r.Status), Info: r.Info}
}

// Members is searchEpMembers' returnData: one page and the group's total.
type Members struct {
	RecordsTotal FlexInt  `json:"recordsTotal"`
	Data         []Member `json:"data"`
}

// Member is one agent of a group. KefuStatus is KefuOffline, KefuIdle or KefuBusy.
type Member struct {
	Displayname string     `json:"displayname"`
	Number      FlexString `json:"number"`
	Gid         FlexString `json:"gid,omitempty"`
	KefuStatus  KefuStatus `json:"kefuStatus"`
}

// DecodeAccountReply reads getUser's or getUser2's answer. A reply without
// a code is malformed; the caller decodes Data with DecodeUserInfo.
func DecodeAccountReply(b []byte) (AccountReply, error) {
	var r struct {
		AccountReply
		Code *FlexInt `json:"code"`
	}
	if err := decodeObject(b, MaxHTTPBody, &r); err != nil {
		return AccountReply{}, err
	}
	if r.Code == nil {
		return AccountReply{}, fmt.Errorf("%w: reply without code", ErrMalformed)
	}
	r.AccountReply.Code = *r.Code
	return r.AccountReply, nil
}

// DecodeUserInfo reads a successful AccountReply's Data.
func DecodeUserInfo(data json.RawMessage) (UserInfo, error) {
	var u UserInfo
	if err := decodeObject(data, MaxHTTPBody, &u); err != nil {
		return UserInfo{}, err
	}
	return u, nil
}

// DecodeWebAPIReply reads webApiHandler's answer.
func DecodeWebAPIReply(b []byte) (WebAPIReply, error) {
	var r struct {
		WebAPIReply
		Status *FlexInt `json:"status"`
	}
	if err := decodeObject(b, MaxHTTPBody, &r); err != nil {
		return WebAPIReply{}, err
	}
	if r.Status == nil {
		return WebAPIReply{}, fmt.Errorf("%w: reply without status", ErrMalformed)
	}
	r.WebAPIReply.Status = *r.Status
	return r.WebAPIReply, nil
}

// DecodeGroups reads getGroups' returnData.
func DecodeGroups(data json.RawMessage) ([]Group, error) {
	var g []Group
	if err := decodeValue(data, MaxHTTPBody, '[', &g); err != nil {
		return nil, err
	}
	return g, nil
}

// DecodeMembers reads searchEpMembers' returnData.
func DecodeMembers(data json.RawMessage) (Members, error) {
	var m Members
	if err := decodeObject(data, MaxHTTPBody, &m); err != nil {
		return Members{}, err
	}
	if m.RecordsTotal < 0 {
		return Members{}, fmt.Errorf("%w: recordsTotal %d", ErrMalformed, m.RecordsTotal)
	}
	return m, nil
}

// DecodeRequest reads an HTTP request body of the account API into v (one
// of the *Request types); the simulator's side.
func DecodeRequest(b []byte, v any) error {
	return decodeObject(b, MaxHTTPBody, v)
}

// ReadBody reads at most limit bytes of r and fails with ErrTooLarge beyond.
func ReadBody(r io.Reader, limit int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, limit)
	}
	return b, nil
}

// MustJSON marshals a contract value; the contract's types always marshal.
func MustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("emicnet wire: " + err.Error())
	}
	return b
}

func decodeObject(b []byte, limit int, v any) error {
	return decodeValue(b, limit, '{', v)
}

func decodeValue(b []byte, limit int, first byte, v any) error {
	if len(b) > limit {
		return fmt.Errorf("%w: %d bytes", ErrTooLarge, len(b))
	}
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != first {
		return fmt.Errorf("%w: not a JSON %s", ErrMalformed, map[byte]string{'{': "object", '[': "array"}[first])
	}
	if err := json.Unmarshal(t, v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}
