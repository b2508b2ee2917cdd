package emicsim

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// The account API (docs/vendors/emicnet.md §2): POST with a JSON body,
// HTTP 200 whenever the request was understood, the outcome in the body.

func (f *Front) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+wire.PathGetUser, func(w http.ResponseWriter, r *http.Request) { f.serveGetUser(w, r, false) })
	mux.HandleFunc("POST "+wire.PathGetUser2, func(w http.ResponseWriter, r *http.Request) { f.serveGetUser(w, r, true) })
	mux.HandleFunc("POST "+wire.PathWebAPIHandler+"{function}", f.serveWebAPI)
	f.adminRoutes(mux)
	return mux
}

// delay holds the answer as the center's delay knob says (method
// "getUser", "getUser2", "getGroups", "searchEpMembers").
func (f *Front) delay(r *http.Request, method string) bool {
	d := f.cc.Faults().Delay(method)
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-f.life.Done():
		return false
	}
}

// takeForced consumes an answer the admin forced for path, if any.
func (f *Front) takeForced(path string) (wire.AccountCode, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, fc := range f.forced {
		if fc.path != "" && fc.path != path {
			continue
		}
		if fc.count > 0 {
			f.forced[i].count--
			if f.forced[i].count == 0 {
				f.forced = append(f.forced[:i], f.forced[i+1:]...)
			}
		}
		return fc.code, true
	}
	return 0, false
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", wire.ContentTypeJSON)
	_, _ = w.Write(wire.MustJSON(v))
}

func accountFailure(code wire.AccountCode, info string) wire.AccountReply {
	if info == "" {
		info = code.Meaning()
	}
	return wire.AccountReply{Code: wire.FlexInt(code), Info: info}
}

// serveGetUser answers getUser and getUser2.
func (f *Front) serveGetUser(w http.ResponseWriter, r *http.Request, v2 bool) {
	method, path := "getUser", wire.PathGetUser
	if v2 {
		method, path = "getUser2", wire.PathGetUser2
	}
	if !f.delay(r, method) {
		return
	}
	if code, ok := f.takeForced(path); ok {
		writeJSON(w, accountFailure(code, ""))
		return
	}
	body, err := wire.ReadBody(r.Body, wire.MaxHTTPBody)
	if err != nil {
		writeJSON(w, accountFailure(wire.AccountBadParams, "请求过大"))
		return
	}
	var req wire.GetUser2Request
	if err := wire.DecodeRequest(body, &req); err != nil {
		writeJSON(w, accountFailure(wire.AccountBadParams, "请求不是 JSON 对象"))
		return
	}
	un, pwd, sw := strings.TrimSpace(string(req.Un)), string(req.Pwd), strings.TrimSpace(string(req.Switchnumber))
	ct := wire.CallInType(strings.TrimSpace(string(req.Callintype)))
	number := strings.TrimSpace(string(req.Number))
	switch {
	case un == "" || pwd == "" || sw == "":
		writeJSON(w, accountFailure(wire.AccountBadParams, "un、pwd、switchnumber 必填"))
		return
	case !v2 && (ct != "" || number != ""):
		// getUser knows only voip; the fields are ignored as the SDK does.
		ct, number = "", ""
	case v2 && ct != "" && !ct.Valid():
		writeJSON(w, accountFailure(wire.AccountBadParams, "callintype 只能是 2、4 或 5"))
		return
	case v2 && ct.NeedsNumber() && number == "":
		writeJSON(w, accountFailure(wire.AccountBadParams, "callintype 为 4 或 5 时 number 必填"))
		return
	}
	if ct == "" {
		ct = wire.CallInVoIP
	}
	reply := f.getUser(un, pwd, sw, ct, number)
	writeJSON(w, reply)
}

// getUser checks the account and builds its data.
func (f *Front) getUser(un, pwd, sw string, ct wire.CallInType, number string) wire.AccountReply {
	f.mu.Lock()
	e := f.enterpriseBySwitch(sw)
	switch {
	case e == nil || e.Disabled:
		f.mu.Unlock()
		return accountFailure(wire.AccountNoEnterprise, "")
	case e.NoOpsAddress:
		f.mu.Unlock()
		return accountFailure(wire.AccountNoOpsAddress, "")
	}
	a, known := f.cc.Agent(un)
	disabled := f.disabled[un]
	f.mu.Unlock()
	if !known || a.Tenant != e.Tenant {
		return accountFailure(wire.AccountBadCredentials, "")
	}
	if err := f.cc.Authenticate(un, pwd); err != nil {
		if errors.Is(err, callcenter.ErrWrongPassword) {
			return accountFailure(wire.AccountBadCredentials, "")
		}
		// A refused sign-in (the center's refuse_login knob, a kick hold-off).
		return accountFailure(wire.AccountLoginInfo, "")
	}
	if disabled {
		return accountFailure(wire.AccountLoginInfo, "账号已停用")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.seatLocked(un)
	s.fetched, s.callintype, s.number = true, ct, number
	info := wire.UserInfo{
		InGroups: f.groupsOf(e, &a),
		UserData: wire.UserData{Displayname: a.Name, Eid: wire.FlexString(e.Eid), Number: wire.FlexString(un),
			Switchnumber: wire.FlexString(e.Switchnumber), Callintype: wire.FlexString(ct), Supervisor: wire.FlexBool(a.Supervisor)},
	}
	return wire.AccountReply{Code: wire.CodeOK, Data: wire.MustJSON(info)}
}

// serveWebAPI answers webApiHandler's getGroups and searchEpMembers.
func (f *Front) serveWebAPI(w http.ResponseWriter, r *http.Request) {
	fn := r.PathValue("function")
	if fn != wire.FuncGetGroups && fn != wire.FuncSearchEpMembers {
		http.NotFound(w, r)
		return
	}
	if !f.delay(r, fn) {
		return
	}
	fail := func(code wire.AccountCode, info string) {
		if info == "" {
			info = code.Meaning()
		}
		writeJSON(w, wire.WebAPIReply{Status: wire.FlexInt(code), Info: info})
	}
	if code, ok := f.takeForced(wire.PathWebAPIHandler + fn); ok {
		fail(code, "")
		return
	}
	body, err := wire.ReadBody(r.Body, wire.MaxHTTPBody)
	if err != nil {
		fail(wire.AccountBadParams, "请求过大")
		return
	}
	var req wire.SearchEpMembersRequest // getGroups' fields are a subset
	if err := wire.DecodeRequest(body, &req); err != nil {
		fail(wire.AccountBadParams, "请求不是 JSON 对象")
		return
	}
	un, eid := strings.TrimSpace(string(req.Un)), strings.TrimSpace(string(req.Eid))
	if un == "" || eid == "" || req.Pwd == "" {
		fail(wire.AccountBadParams, "un、pwd、eid 必填")
		return
	}
	if err := f.cc.Authenticate(un, string(req.Pwd)); err != nil {
		fail(wire.AccountBadCredentials, "")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, e := f.seats[un], f.enterpriseByEid(eid)
	switch {
	case s == nil || !s.fetched:
		fail(wire.AccountBadParams, "userData没有数据：请先调用 getUser")
		return
	case e == nil || e.Disabled:
		fail(wire.AccountNoEnterprise, "")
		return
	}
	if own, _, ok := f.enterpriseOf(un); !ok || own != e {
		fail(wire.AccountBadParams, "eid 与账号不符")
		return
	}
	if fn == wire.FuncGetGroups {
		writeJSON(w, wire.WebAPIReply{Status: wire.CodeOK, ReturnData: wire.MustJSON(f.groupsOf(e, nil))})
		return
	}
	g, ok := f.group(e, strings.TrimSpace(string(req.SearchGid)))
	if !ok {
		fail(wire.AccountBadParams, "searchGid 不是本企业的技能组")
		return
	}
	if req.Start < 0 {
		fail(wire.AccountBadParams, "start 不能为负")
		return
	}
	all := f.members(e, g)
	page := wire.Members{RecordsTotal: wire.FlexInt(len(all)), Data: []wire.Member{}}
	from := min(int(req.Start), len(all))
	to := min(from+req.PageLength(), len(all))
	for _, a := range all[from:to] {
		page.Data = append(page.Data, wire.Member{Displayname: a.Name, Number: wire.FlexString(a.ID),
			Gid: wire.FlexString(g.ID), KefuStatus: kefuStatus(a.State)})
	}
	writeJSON(w, wire.WebAPIReply{Status: wire.CodeOK, ReturnData: wire.MustJSON(page)})
}
