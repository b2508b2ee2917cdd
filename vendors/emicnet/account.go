package emicnet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"agentbar/vendors/emicnet/wire"
)

// post sends one request of the HTTP account API and returns the body of
// its 200 answer.
func (a *Adapter) post(ctx context.Context, path string, body any) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, &APIError{Path: path, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, a.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.acct.apiURL+path, bytes.NewReader(b))
	if err != nil {
		return nil, &APIError{Path: path, Err: err}
	}
	req.Header.Set("Content-Type", wire.ContentTypeJSON)
	res, err := a.http.Do(req)
	if err != nil {
		return nil, &APIError{Path: path, Err: err}
	}
	defer res.Body.Close()
	data, err := wire.ReadBody(res.Body, wire.MaxHTTPBody)
	if err != nil {
		return nil, &APIError{Path: path, Status: res.StatusCode, Err: err}
	}
	if res.StatusCode != http.StatusOK {
		return nil, &APIError{Path: path, Status: res.StatusCode, Err: fmt.Errorf("%s", http.StatusText(res.StatusCode))}
	}
	return data, nil
}

// fetchUser is getUser(un, pwd, switchnumber), or getUser2 with callintype
// and number when the account rings a phone elsewhere.
func (a *Adapter) fetchUser(ctx context.Context) (wire.UserInfo, error) {
	path := wire.PathGetUser
	var body any = wire.GetUserRequest{Un: wire.FlexString(a.acct.un), Pwd: wire.FlexString(a.acct.pwd), Switchnumber: wire.FlexString(a.acct.switchnumber)}
	if a.acct.useGetUser2 {
		path = wire.PathGetUser2
		body = wire.GetUser2Request{Un: wire.FlexString(a.acct.un), Pwd: wire.FlexString(a.acct.pwd), Switchnumber: wire.FlexString(a.acct.switchnumber),
			Callintype: wire.FlexString(a.acct.callintype), Number: wire.FlexString(a.acct.number)}
	}
	b, err := a.post(ctx, path, body)
	if err != nil {
		return wire.UserInfo{}, err
	}
	reply, err := wire.DecodeAccountReply(b)
	if err != nil {
		return wire.UserInfo{}, &APIError{Path: path, Status: http.StatusOK, Err: err}
	}
	if err := reply.Err(); err != nil {
		return wire.UserInfo{}, err
	}
	u, err := wire.DecodeUserInfo(reply.Data)
	if err != nil {
		return wire.UserInfo{}, &APIError{Path: path, Status: http.StatusOK, Err: err}
	}
	return u, nil
}

// webAPI calls webApiHandler(functionName, body) and returns returnData.
func (a *Adapter) webAPI(ctx context.Context, function string, body any) (json.RawMessage, error) {
	path := wire.PathWebAPIHandler + function
	b, err := a.post(ctx, path, body)
	if err != nil {
		return nil, err
	}
	reply, err := wire.DecodeWebAPIReply(b)
	if err != nil {
		return nil, &APIError{Path: path, Status: http.StatusOK, Err: err}
	}
	if err := reply.Err(); err != nil {
		return nil, err
	}
	return reply.ReturnData, nil
}

func (a *Adapter) eid() wire.FlexString {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.user.UserData.Eid
}

// groups is getGroups: every skill group of the enterprise.
func (a *Adapter) groups(ctx context.Context) ([]wire.Group, error) {
	data, err := a.webAPI(ctx, wire.FuncGetGroups, wire.GetGroupsRequest{Un: wire.FlexString(a.acct.un), Pwd: wire.FlexString(a.acct.pwd), Eid: a.eid()})
	if err != nil {
		return nil, err
	}
	g, err := wire.DecodeGroups(data)
	if err != nil {
		return nil, &APIError{Path: wire.PathWebAPIHandler + wire.FuncGetGroups, Status: http.StatusOK, Err: err}
	}
	return g, nil
}

// maxMemberPages bounds the paging of one group against a platform whose
// recordsTotal never comes true.
const maxMemberPages = 200

// members is searchEpMembers for one group, every page: start advances by
// the page's length until recordsTotal members are read (or a page comes
// back empty).
func (a *Adapter) groupMembers(ctx context.Context, gid wire.FlexString) ([]wire.Member, error) {
	var out []wire.Member
	for page := 0; page < maxMemberPages; page++ {
		data, err := a.webAPI(ctx, wire.FuncSearchEpMembers, wire.SearchEpMembersRequest{
			Un: wire.FlexString(a.acct.un), Pwd: wire.FlexString(a.acct.pwd), Eid: a.eid(), SearchGid: gid,
			Length: wire.FlexInt(a.opts.PageLength), Start: wire.FlexInt(len(out)),
		})
		if err != nil {
			return nil, err
		}
		m, err := wire.DecodeMembers(data)
		if err != nil {
			return nil, &APIError{Path: wire.PathWebAPIHandler + wire.FuncSearchEpMembers, Status: http.StatusOK, Err: err}
		}
		out = append(out, m.Data...)
		if len(m.Data) == 0 || len(out) >= int(m.RecordsTotal) {
			return out, nil
		}
	}
	a.log.Warn("emicnet: searchEpMembers paging stopped", "gid", gid, "read", len(out))
	return out, nil
}
