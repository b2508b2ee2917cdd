package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDecodeEvent(t *testing.T) {
	cases := []struct {
		name, in string
		err      error
		event    string
	}{
		{"callEvent", `{"event":"callEvent","type":"newPBXCall","data":{"a":180,"c":"x1","n":13800138000}}`, nil, EventCallEvent},
		{"status as string", `{"event":"statusChanged","data":{"status":"1"}}`, nil, EventStatusChanged},
		{"unknown event decodes", `{"event":"somethingNew","data":{}}`, nil, "somethingNew"},
		{"callEvent without type", `{"event":"callEvent","data":{"c":"x"}}`, ErrMalformed, ""},
		{"no name", `{"type":"newPBXCall"}`, ErrMalformed, ""},
		{"array", `[1]`, ErrMalformed, ""},
		{"truncated", `{"event":`, ErrMalformed, ""},
		{"long name", `{"event":"` + strings.Repeat("e", MaxNameLength+1) + `"}`, ErrMalformed, ""},
		{"long type", `{"event":"callEvent","type":"` + strings.Repeat("e", MaxNameLength+1) + `"}`, ErrMalformed, ""},
		{"too large", `{"event":"x","data":"` + strings.Repeat("a", MaxMessageBody) + `"}`, ErrTooLarge, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := DecodeEvent([]byte(c.in))
			if !errors.Is(err, c.err) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if err == nil && e.Event != c.event {
				t.Fatalf("event %q", e.Event)
			}
		})
	}
}

func TestEventData(t *testing.T) {
	e, err := DecodeEvent([]byte(`{"event":"callEvent","type":"endPBXCall","data":{"c":"cc1","callTime":"17"}}`))
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.CallEvent()
	if err != nil || d.Talk() != 17 || d.C != "cc1" {
		t.Fatalf("%+v %v", d, err)
	}
	if _, err := e.StatusChanged(); !errors.Is(err, ErrMalformed) {
		t.Errorf("callEvent read as statusChanged: %v", err)
	}
	bad := []struct{ name, in string }{
		{"callEvent without c", `{"event":"callEvent","type":"newPBXCall","data":{"a":"180"}}`},
		{"callEvent c with space", `{"event":"callEvent","type":"newPBXCall","data":{"c":"a b"}}`},
		{"callEvent data array", `{"event":"callEvent","type":"newPBXCall","data":[1]}`},
		{"callEvent no data", `{"event":"callEvent","type":"newPBXCall"}`},
		{"status 3", `{"event":"statusChanged","data":{"status":3}}`},
		{"status missing", `{"event":"statusChanged","data":{}}`},
		{"status text", `{"event":"statusChanged","data":{"status":"online"}}`},
		{"kick r text", `{"event":"kickedOffLine","data":{"r":"soon"}}`},
		{"rep without cc", `{"event":"repCallStatus","data":{"caller":"1"}}`},
		{"rep endTime text", `{"event":"repCallStatus","data":{"ccNumber":"c","endTime":"x"}}`},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			e, err := DecodeEvent([]byte(b.in))
			if err != nil {
				t.Fatal(err)
			}
			switch e.Event {
			case EventCallEvent:
				_, err = e.CallEvent()
			case EventStatusChanged:
				_, err = e.StatusChanged()
			case EventKickedOffLine:
				_, err = e.KickedOffLine()
			case EventRepCallStatus:
				_, err = e.RepCallStatus()
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err %v", err)
			}
		})
	}
	k, err := DecodeEvent([]byte(`{"event":"kickedOffLine","data":{"r":"895"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if d, err := k.KickedOffLine(); err != nil || d.R != KickOtherLogin {
		t.Fatalf("%+v %v", d, err)
	}
	if KickReason(1).Meaning() != "未知原因" {
		t.Error("unknown kick")
	}
}

func TestDecodeCommand(t *testing.T) {
	c, err := DecodeCommand([]byte(`{"cmd":"hold","seq":3,"data":{"c":"cc"}}`))
	if err != nil || c.Cmd != CmdHold || c.Seq != 3 {
		t.Fatalf("%+v %v", c, err)
	}
	var d CcData
	if err := DecodeData(c.Data, &d); err != nil || d.C != "cc" {
		t.Fatalf("%+v %v", d, err)
	}
	for _, bad := range []string{
		`{"cmd":"hold","seq":0}`, `{"cmd":"","seq":1}`, `{"seq":1}`, `{"cmd":"hold","seq":1,"data":[1]}`,
		`{"cmd":"hold","seq":1,"data":"x"}`, `{"cmd":"hold","seq":"one"}`, `nope`, ``,
	} {
		if _, err := DecodeCommand([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err %v", bad, err)
		}
	}
	if _, err := DecodeCommand([]byte(`{"cmd":"hold","seq":1,"data":{"c":"` + strings.Repeat("c", MaxMessageBody) + `"}}`)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized: %v", err)
	}
}

func TestDecodeResult(t *testing.T) {
	r, err := DecodeResult([]byte(`{"seq":4,"code":"200","info":"","data":{"calltype":"3","c":"cc"}}`))
	if err != nil || !r.OK() || r.Err(CmdCall) != nil {
		t.Fatalf("%+v %v", r, err)
	}
	var cr CallResult
	if err := DecodeData(r.Data, &cr); err != nil || cr.CallType != CallInternal || cr.C != "cc" {
		t.Fatalf("%+v %v", cr, err)
	}
	for _, bad := range []string{`{"seq":4}`, `{"code":200}`, `{"seq":4,"code":null}`, `[]`} {
		if _, err := DecodeResult([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err %v", bad, err)
		}
	}
	r, _ = DecodeResult([]byte(`{"seq":4,"code":404,"info":"no call"}`))
	var ce *CommandError
	if !errors.As(r.Err(CmdHold), &ce) || ce.Code != ResultNoSuchCall || ce.Info != "no call" {
		t.Fatalf("%v", r.Err(CmdHold))
	}
	if s, ok := SentenceOf(r.Err(CmdHold), "en"); !ok || s == "" {
		t.Error("no sentence")
	}
	// A monitor refusal with a code other than 200 is a CommandError too.
	if err := Monitor(CmdStartCallMonitor, Result{Seq: 1, Code: 403}); !errors.As(err, &ce) {
		t.Errorf("%v", err)
	}
}

func TestDecodeAccountReplies(t *testing.T) {
	r, err := DecodeAccountReply([]byte(`{"code":"50003","info":"分机号码或密码错误"}`))
	if err != nil {
		t.Fatal(err)
	}
	var ae *AccountError
	if !errors.As(r.Err(), &ae) || ae.Code != AccountBadCredentials {
		t.Fatalf("%v", r.Err())
	}
	if s := (&AccountError{Code: 12345}).Sentence("zh"); !strings.Contains(s, "12345") {
		t.Errorf("unknown code sentence %q", s)
	}
	if s := (&AccountError{Code: AccountBadParams, Info: "callintype"}).Sentence("en"); !strings.Contains(s, "callintype") {
		t.Errorf("50001 sentence does not name the field: %q", s)
	}
	for _, bad := range []string{`{"info":"x"}`, `{"code":null}`, `{"code":"abc"}`, `"x"`, `{"code":200,"data":5}`} {
		r, err := DecodeAccountReply([]byte(bad))
		if err == nil {
			_, err = DecodeUserInfo(r.Data)
		}
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err %v", bad, err)
		}
	}
	u, err := DecodeUserInfo([]byte(`{"inGroups":[{"id":2033,"eid":65656,"name":"g"}],"userData":{"number":1023,"supervisor":"1"}}`))
	if err != nil || u.InGroups[0].ID != "2033" || u.UserData.Number != "1023" || !bool(u.UserData.Supervisor) {
		t.Fatalf("%+v %v", u, err)
	}
	w, err := DecodeWebAPIReply([]byte(`{"status":200,"returnData":{"recordsTotal":"2","data":[{"displayname":"a","number":1,"kefuStatus":"2"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := DecodeMembers(w.ReturnData)
	if err != nil || m.RecordsTotal != 2 || m.Data[0].KefuStatus != KefuBusy || m.Data[0].Number != "1" {
		t.Fatalf("%+v %v", m, err)
	}
	for _, bad := range []string{`{"returnData":[]}`, `{"status":"x"}`} {
		if _, err := DecodeWebAPIReply([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := DecodeMembers([]byte(`{"recordsTotal":-1}`)); !errors.Is(err, ErrMalformed) {
		t.Error("negative total")
	}
	if _, err := DecodeGroups([]byte(`{}`)); !errors.Is(err, ErrMalformed) {
		t.Error("groups as an object")
	}
	var req SearchEpMembersRequest
	if err := DecodeRequest([]byte(`{"un":1023,"pwd":"p","eid":"1","searchGid":2033}`), &req); err != nil || req.PageLength() != DefaultPageLength || req.SearchGid != "2033" {
		t.Fatalf("%+v %v", req, err)
	}
	req.Length = 5000
	if req.PageLength() != MaxPageLength {
		t.Error("page length bound")
	}
	if _, err := ReadBody(strings.NewReader(strings.Repeat("a", 11)), 10); !errors.Is(err, ErrTooLarge) {
		t.Error("ReadBody limit")
	}
	if b, err := ReadBody(strings.NewReader("0123456789"), 10); err != nil || len(b) != 10 {
		t.Error("ReadBody at the limit")
	}
}

func TestScalars(t *testing.T) {
	var s struct {
		A FlexString
		B FlexInt
		C FlexBool
		D Timestamp
		E Timestamp
	}
	if err := json.Unmarshal([]byte(`{"A":101,"B":"60","C":"1","D":"","E":"1564717108"}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.A != "101" || s.B != 60 || !s.C || s.D != 0 || s.E != 1564717108 {
		t.Fatalf("%+v", s)
	}
	out, _ := json.Marshal(s)
	if string(out) != `{"A":"101","B":60,"C":true,"D":"","E":1564717108}` {
		t.Fatalf("%s", out)
	}
	for _, bad := range []string{`{"B":1.5}`, `{"A":{}}`, `{"C":"maybe"}`, `{"B":"1e300"}`, `{"A":[1]}`} {
		if err := json.Unmarshal([]byte(bad), &s); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	var st StatusData
	if err := json.Unmarshal([]byte(`{"status":99999999999}`), &st); !errors.Is(err, ErrMalformed) {
		t.Errorf("out of range status: %v", err)
	}
}

func TestSIPHelpers(t *testing.T) {
	for in, want := range map[string]bool{
		AutoAnswerCallInfo: true, "<sip:pbx>; Answer-After = 0": true, "<sip:pbx>;answer-after=5": false,
		"<sip:answer-after=0>": false, "": false,
	} {
		if IsAutoAnswer(in) != want {
			t.Errorf("IsAutoAnswer(%q) != %v", in, want)
		}
	}
	for in, want := range map[string]bool{"5": true, "#": true, "*": true, "55": false, "": false, "A": false} {
		if ValidDTMF(in) != want {
			t.Errorf("ValidDTMF(%q) != %v", in, want)
		}
	}
	for in, want := range map[string]bool{"1564717108763414conf_1564717149723": true, "": false, "a b": false, "中": false, strings.Repeat("c", MaxCcNumberLength+1): false} {
		if ValidCcNumber(in) != want {
			t.Errorf("ValidCcNumber(%q) != %v", in, want)
		}
	}
	if CommandURI("02566699734") != "sip:pbx@02566699734" || AOR("1023", "0256") != "sip:1023@0256" {
		t.Error("URIs")
	}
	if !IsDigits("0123") || IsDigits("") || IsDigits("12a") || IsDigits("+86") {
		t.Error("IsDigits")
	}
}

func TestSentencesBothLanguages(t *testing.T) {
	errs := []Sentencer{
		&AccountError{Code: AccountServerError}, &RegisterError{Code: 401}, &RegisterError{Code: 403},
		&RegisterError{Code: 404}, &RegisterError{Code: 500}, &CallFailedError{Code: 999},
		&KickedError{Reason: 1}, &CommandError{Code: 400}, &CommandError{Code: 403}, &CommandError{Code: 404},
		&CommandError{Code: 409}, &CommandError{Code: 599}, &MonitorError{Cmd: "x"}, &DecryptError{Err: ErrNotDigits},
	}
	for _, e := range errs {
		zh, en := e.Sentence("zh"), e.Sentence("en")
		if zh == "" || en == "" || zh == en || e.Error() == "" {
			t.Errorf("%T: %q / %q", e, zh, en)
		}
		if !strings.ContainsFunc(zh, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("%T: zh sentence has no Chinese: %q", e, zh)
		}
	}
}
