package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDecodeServerFrame(t *testing.T) {
	cases := []struct {
		name, in string
		err      error
		event    string
		id       int64
	}{
		{"reply", `{"Id":3,"Code":"0000","Data":null,"Message":"","Visible":false}`, nil, "", 3},
		{"event", `{"Event":"Held","Code":"0000","Data":{"CallID":"c"}}`, nil, "Held", 0},
		{"numeric code", `{"Id":1,"Code":0,"Visible":"true"}`, nil, "", 1},
		{"neither", `{"Code":"0000"}`, ErrMalformedFrame, "", 0},
		{"both", `{"Id":1,"Event":"Held"}`, ErrMalformedFrame, "", 0},
		{"array", `[1,2]`, ErrMalformedFrame, "", 0},
		{"garbage", `{"Id":`, ErrMalformedFrame, "", 0},
		{"bad bool", `{"Id":1,"Visible":"maybe"}`, ErrMalformedFrame, "", 0},
		{"long name", `{"Event":"` + strings.Repeat("E", 65) + `"}`, ErrMalformedFrame, "", 0},
		{"too large", `{"Event":"x","Data":"` + strings.Repeat("a", MaxFrameSize) + `"}`, ErrFrameTooLarge, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := DecodeServerFrame([]byte(c.in))
			if !errors.Is(err, c.err) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if err == nil && (f.Event != c.event || f.Id != c.id) {
				t.Fatalf("got %+v", f)
			}
		})
	}
}

func TestDecodeRequest(t *testing.T) {
	good := `{"Id":9,"Method":"HoldAsync","Params":{"CallId":"c1"}}`
	r, err := DecodeRequest([]byte(good))
	if err != nil || r.Id != 9 || r.Method != MethodHold {
		t.Fatalf("%+v %v", r, err)
	}
	for _, bad := range []string{
		`{"Id":0,"Method":"HoldAsync"}`, `{"Id":1}`, `{"Id":1,"Method":"HoldAsync","Params":[1]}`,
		`{"Id":1,"Method":"HoldAsync","Params":"x"}`, `nope`,
	} {
		if _, err := DecodeRequest([]byte(bad)); !errors.Is(err, ErrMalformedFrame) {
			t.Errorf("%s: err %v", bad, err)
		}
	}
}

func TestDecodeToken(t *testing.T) {
	for _, in := range []string{
		`{"data":{"appId":"a1","timestamp":"1700000000","token":"t"}}`,
		`{"appId":"a1","timestamp":1700000000,"token":"t"}`,
	} {
		tok, err := DecodeToken([]byte(in))
		if err != nil || tok.AppId != "a1" || tok.Timestamp != "1700000000" || tok.Token != "t" {
			t.Fatalf("%s: %+v %v", in, tok, err)
		}
	}
	for _, bad := range []string{`{"data":{"appId":"a"}}`, `[]`, `{"data":5}`, ``} {
		if _, err := DecodeToken([]byte(bad)); !errors.Is(err, ErrMalformedToken) {
			t.Errorf("%q: err %v", bad, err)
		}
	}
}

func TestScalars(t *testing.T) {
	var s struct {
		A FlexString
		B NumOrString
		C FlexBool
		D FlexInt
	}
	if err := json.Unmarshal([]byte(`{"A":101,"B":"101","C":"1","D":"60"}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.A != "101" || s.B != "101" || !s.C || s.D != 60 {
		t.Fatalf("%+v", s)
	}
	out, _ := json.Marshal(s)
	if string(out) != `{"A":"101","B":101,"C":true,"D":60}` {
		t.Fatalf("%s", out)
	}
	for _, v := range []NumOrString{"idle", "0101", "", "1234567890123456"} {
		b, _ := json.Marshal(v)
		if b[0] != '"' {
			t.Errorf("%q encoded as %s, want a string", v, b)
		}
	}
	if err := json.Unmarshal([]byte(`{"D":1.5}`), &s); !errors.Is(err, ErrMalformedFrame) {
		t.Errorf("1.5 as an integer: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"A":{}}`), &s); !errors.Is(err, ErrMalformedFrame) {
		t.Errorf("object as a string: %v", err)
	}
}

func TestOptAuthority(t *testing.T) {
	var e CallEvent
	for in, present := range map[string]bool{`{"CallAuthority":""}`: false, `{"CallAuthority":null}`: false, `{"CallAuthority":{"AllowHold":"true"}}`: true} {
		e = CallEvent{}
		if err := json.Unmarshal([]byte(in), &e); err != nil {
			t.Fatal(err)
		}
		if (e.CallAuthority.A != nil) != present {
			t.Fatalf("%s: present %v", in, e.CallAuthority.A != nil)
		}
		if present && !bool(e.CallAuthority.A.AllowHold) {
			t.Error("AllowHold lost")
		}
	}
	if err := json.Unmarshal([]byte(`{"CallAuthority":5}`), &e); !errors.Is(err, ErrMalformedFrame) {
		t.Errorf("number as authority: %v", err)
	}
}

func TestDecodeListItem(t *testing.T) {
	var c AgentStateChange
	for _, in := range []string{`[{"CurState":"busy"}]`, `{"CurState":"busy"}`} {
		c = AgentStateChange{}
		ok, err := DecodeListItem(json.RawMessage(in), &c)
		if !ok || err != nil || c.CurState != "busy" {
			t.Fatalf("%s: %v %v %+v", in, ok, err, c)
		}
	}
	if ok, err := DecodeListItem(json.RawMessage(`[]`), &c); ok || err != nil {
		t.Fatal("empty list")
	}
	if _, err := DecodeListItem(json.RawMessage(`"x"`), &c); !errors.Is(err, ErrMalformedFrame) {
		t.Fatal(err)
	}
}

// FuzzDecodeServerFrame: whatever the server sends, decoding returns a frame
// or an error, never panics; a decoded frame is a reply or an event.
func FuzzDecodeServerFrame(f *testing.F) {
	f.Add([]byte(`{"Id":3,"Code":"0000","Data":null,"Message":"","Visible":false}`))
	f.Add([]byte(`{"Event":"AdvancedCallStatusChanged","Code":"0000","Data":{"CallAuthority":{"AllowHold":fasle}}}`))
	f.Add([]byte(`{"Event":"Delivered","Data":{"CallAuthority":"","DisplayNum":null}}`))
	f.Add([]byte(`{"Event":"AgentStateChanged","Data":[{"CurState":"onBreak","CurStateSubId":101}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := DecodeServerFrame(b)
		if err != nil {
			return
		}
		if fr.IsEvent() == (fr.Id > 0) {
			t.Fatalf("frame is neither or both: %+v", fr)
		}
		// Every payload type must survive whatever Data holds.
		var ev CallEvent
		_ = DecodeData(fr.Data, &ev)
		var st State
		_ = DecodeData(fr.Data, &st)
		var adv AdvancedCallStatus
		_ = DecodeData(fr.Data, &adv)
		var ch AgentStateChange
		_, _ = DecodeListItem(fr.Data, &ch)
	})
}

// FuzzDecodeRequest: the simulator's side of the same promise.
func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"Id":1,"Method":"ConnectAsync","Params":{"AppId":"a","AgentId":"1","Timestamp":"1","Token":"t"}}`))
	f.Add([]byte(`{"Id":2,"Method":"SetAgentStateAsync","Params":{"State":"onBreak","SubState":101}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeRequest(b)
		if err != nil {
			return
		}
		if r.Id <= 0 || r.Method == "" {
			t.Fatalf("accepted %+v", r)
		}
		var p AgentStateParams
		_ = json.Unmarshal(r.Params, &p)
	})
}

// FuzzDecodeToken: the customer's backend is outside input too.
func FuzzDecodeToken(f *testing.F) {
	f.Add([]byte(`{"data":{"appId":"a1","timestamp":"1700000000","token":"t"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, err := DecodeToken(b)
		if err == nil && (tok.AppId == "" || tok.Token == "" || tok.Timestamp == "") {
			t.Fatalf("accepted %+v", tok)
		}
	})
}

func BenchmarkDecodeServerFrame(b *testing.B) {
	frame := []byte(`{"Event":"AdvancedCallStatusChanged","Code":"0000","Data":{"AdvancedCallStatus":"Established","CallAuthority":{"AllowHold":true,"AllowHangup":true},"CallID":"ea648a5d","CustomerInfo":{"TelNumber":"15712886965","City":"北京"}},"Message":"","Visible":false}`)
	b.ReportAllocs()
	for b.Loop() {
		f, err := DecodeServerFrame(frame)
		if err != nil {
			b.Fatal(err)
		}
		var adv AdvancedCallStatus
		if err := DecodeData(f.Data, &adv); err != nil {
			b.Fatal(err)
		}
	}
}

func TestServerFrameEncoding(t *testing.T) {
	b, err := json.Marshal(ServerFrame{Id: 4, Envelope: Envelope{Code: CodeOK}})
	if err != nil || string(b) != `{"Id":4,"Code":"0000","Data":null,"Message":"","Visible":false}` {
		t.Fatalf("%s %v", b, err)
	}
	b, _ = json.Marshal(ServerFrame{Event: EventHeld, Envelope: Envelope{Code: CodeOK, Data: json.RawMessage(`{}`)}})
	if string(b) != `{"Event":"Held","Code":"0000","Data":{},"Message":"","Visible":false}` {
		t.Fatalf("%s", b)
	}
}
