package emicsim

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// TestAccountAPI: getUser, getUser2 and webApiHandler over real HTTP,
// every 5000x code and searchEpMembers' paging.
func TestAccountAPI(t *testing.T) {
	s := newSim(t, simConfig(), simOptions())

	// webApiHandler before getUser: the seed's 50001.
	var wr wire.WebAPIReply
	s.post(wire.PathWebAPIHandler+wire.FuncGetGroups, wire.GetGroupsRequest{Un: "8001", Pwd: agentPW, Eid: testEid}, &wr)
	if wr.Status != wire.FlexInt(wire.AccountBadParams) {
		t.Fatalf("getGroups before getUser: %+v", wr)
	}

	r := s.getUser("8001", agentPW, testSwitch)
	info, err := wire.DecodeUserInfo(r.Data)
	if err != nil || !r.OK() {
		t.Fatalf("%+v %v", r, err)
	}
	want := wire.UserInfo{
		InGroups: []wire.Group{{ID: salesGid, Eid: testEid, Name: "售前咨询"}, {ID: serviceGid, Eid: testEid, Name: "售后服务"}},
		UserData: wire.UserData{Displayname: "演示坐席", Eid: testEid, Number: "8001", Switchnumber: testSwitch, Callintype: "2"},
	}
	if !reflect.DeepEqual(info, want) {
		t.Fatalf("getUser data %+v\nwant %+v", info, want)
	}
	if r := s.getUser("8000", superPW, testSwitch); !r.OK() {
		t.Fatal(r)
	} else if u, _ := wire.DecodeUserInfo(r.Data); !bool(u.UserData.Supervisor) {
		t.Errorf("8000 is a supervisor: %+v", u.UserData)
	}

	if err := s.front.SetAccountDisabled("8003", true); err != nil {
		t.Fatal(err)
	}
	s.front.ForceAccountCode(wire.PathGetUser, wire.AccountServerError, 1)
	if err := s.cc.Faults().Set(callcenter.RefuseLogin{Agent: "8002", Count: 1}); err != nil {
		t.Fatal(err)
	}
	codes := []struct {
		name        string
		un, pwd, sw string
		v2          bool
		ct, number  string
		code        wire.AccountCode
	}{
		{"forced server error", "8001", agentPW, testSwitch, false, "", "", wire.AccountServerError},
		{"missing password", "8001", "", testSwitch, false, "", "", wire.AccountBadParams},
		{"callintype 3", "8001", agentPW, testSwitch, true, "3", "", wire.AccountBadParams},
		{"callback without number", "8001", agentPW, testSwitch, true, "4", "", wire.AccountBadParams},
		{"no ops address", "8001", agentPW, otherSwitch, false, "", "", wire.AccountNoOpsAddress},
		{"wrong password", "8001", "nope", testSwitch, false, "", "", wire.AccountBadCredentials},
		{"unknown extension", "7999", agentPW, testSwitch, false, "", "", wire.AccountBadCredentials},
		{"unknown enterprise", "8001", agentPW, "0000", false, "", "", wire.AccountNoEnterprise},
		{"refused sign-in", "8002", agentPW, testSwitch, false, "", "", wire.AccountLoginInfo},
		{"disabled account", "8003", agentPW, testSwitch, false, "", "", wire.AccountLoginInfo},
	}
	for _, c := range codes {
		t.Run(c.name, func(t *testing.T) {
			path := wire.PathGetUser
			var body any = wire.GetUserRequest{Un: wire.FlexString(c.un), Pwd: wire.FlexString(c.pwd), Switchnumber: wire.FlexString(c.sw)}
			if c.v2 {
				path = wire.PathGetUser2
				body = wire.GetUser2Request{Un: wire.FlexString(c.un), Pwd: wire.FlexString(c.pwd), Switchnumber: wire.FlexString(c.sw),
					Callintype: wire.FlexString(c.ct), Number: wire.FlexString(c.number)}
			}
			r, err := wire.DecodeAccountReply(s.postRaw(path, body))
			if err != nil {
				t.Fatal(err)
			}
			var ae *wire.AccountError
			if !errors.As(r.Err(), &ae) || ae.Code != c.code || ae.Info == "" {
				t.Fatalf("got %+v, want code %d", r, c.code)
			}
		})
	}
	if r := s.getUser("8002", agentPW, testSwitch); !r.OK() {
		t.Errorf("the refusal was for one sign-in: %+v", r)
	}
	var r2 wire.AccountReply
	s.post(wire.PathGetUser2, wire.GetUser2Request{Un: "8001", Pwd: agentPW, Switchnumber: testSwitch, Callintype: "5", Number: "8801"}, &r2)
	if u, err := wire.DecodeUserInfo(r2.Data); err != nil || u.UserData.Callintype != "5" {
		t.Errorf("getUser2 SIP phone: %+v %v", r2, err)
	}

	// The center's delay knob holds the answer.
	if err := s.cc.Faults().Set(callcenter.Delay{Method: "getUser", For: callcenter.Duration(300 * time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	s.getUser("8001", agentPW, testSwitch)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("delayed getUser answered after %v", d)
	}
	s.cc.Faults().Clear(callcenter.FaultDelay)

	s.post(wire.PathWebAPIHandler+wire.FuncGetGroups, wire.GetGroupsRequest{Un: "8001", Pwd: agentPW, Eid: testEid}, &wr)
	groups, err := wire.DecodeGroups(wr.ReturnData)
	if err != nil || !wr.OK() || !reflect.DeepEqual(groups, want.InGroups) {
		t.Fatalf("getGroups: %+v %v", wr, err)
	}
	s.post(wire.PathWebAPIHandler+wire.FuncGetGroups, wire.GetGroupsRequest{Un: "8001", Pwd: "nope", Eid: testEid}, &wr)
	if wr.Status != wire.FlexInt(wire.AccountBadCredentials) {
		t.Errorf("getGroups with a wrong password: %+v", wr)
	}

	// searchEpMembers pages through 售前咨询 (8000, 8001, 8002) two at a time.
	if err := s.cc.SignIn("8002"); err != nil {
		t.Fatal(err)
	}
	var got []wire.Member
	for start := 0; ; start += 2 {
		s.post(wire.PathWebAPIHandler+wire.FuncSearchEpMembers, wire.SearchEpMembersRequest{Un: "8001", Pwd: agentPW, Eid: testEid,
			SearchGid: salesGid, Length: 2, Start: wire.FlexInt(start)}, &wr)
		m, err := wire.DecodeMembers(wr.ReturnData)
		if err != nil || !wr.OK() || m.RecordsTotal != 3 {
			t.Fatalf("page at %d: %+v %v", start, wr, err)
		}
		if len(m.Data) == 0 {
			break
		}
		got = append(got, m.Data...)
	}
	wantMembers := []wire.Member{
		{Displayname: "演示班长", Number: "8000", Gid: salesGid, KefuStatus: wire.KefuOffline},
		{Displayname: "演示坐席", Number: "8001", Gid: salesGid, KefuStatus: wire.KefuOffline},
		{Displayname: "模拟坐席小王", Number: "8002", Gid: salesGid, KefuStatus: wire.KefuIdle},
	}
	if !reflect.DeepEqual(got, wantMembers) {
		t.Fatalf("members %+v\nwant %+v", got, wantMembers)
	}
	s.post(wire.PathWebAPIHandler+wire.FuncSearchEpMembers, wire.SearchEpMembersRequest{Un: "8001", Pwd: agentPW, Eid: testEid, SearchGid: "9999"}, &wr)
	if wr.Status != wire.FlexInt(wire.AccountBadParams) {
		t.Errorf("unknown group: %+v", wr)
	}
	s.post(wire.PathWebAPIHandler+wire.FuncSearchEpMembers, wire.SearchEpMembersRequest{Un: "8001", Pwd: agentPW, Eid: testEid, SearchGid: serviceGid}, &wr)
	if m, _ := wire.DecodeMembers(wr.ReturnData); m.RecordsTotal != 3 || len(m.Data) != 3 || m.Data[2].Number != "8003" {
		t.Errorf("default page of 售后服务: %+v", m)
	}
}
