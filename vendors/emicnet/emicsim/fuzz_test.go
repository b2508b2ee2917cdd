package emicsim

import (
	"testing"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// FuzzCommand: whatever command body a seat sends, the front answers it
// with a result of the contract (on a real center, not started: no SIP).
func FuzzCommand(f *testing.F) {
	for _, seed := range []string{
		`{"cmd":"call","seq":1,"data":{"number":"13800000001","n":"13800000001"}}`,
		`{"cmd":"call","seq":2,"data":{"number":"8002"}}`,
		`{"cmd":"changeStaus","seq":3,"data":{"status":"2"}}`,
		`{"cmd":"hold","seq":4,"data":{"c":"1564717108763414conf_1564717149723"}}`,
		`{"cmd":"transferPBXCall","seq":5,"data":{"gid":"2034","number":"8003","c":"x"}}`,
		`{"cmd":"sendDTMF","seq":6,"data":{"c":"x","dtmf":"#"}}`,
		`{"cmd":"startCallMonitor","seq":7,"data":{"c":"x"}}`,
		`{"cmd":"terminateCall","seq":8,"data":{"c":"x"}}`,
		`{"cmd":"fly","seq":9}`,
	} {
		f.Add([]byte(seed), true)
	}
	cfg := simConfig()
	cfg.Logger = nil
	cc, err := callcenter.New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	defer cc.Close()
	o := simOptions()
	front, err := New(cc, o)
	if err != nil {
		f.Fatal(err)
	}
	defer front.Close()
	if err := cc.SignIn("8000"); err != nil {
		f.Fatal(err)
	}
	codes := map[wire.FlexInt]bool{wire.CodeOK: true, wire.ResultBadRequest: true, wire.ResultForbidden: true,
		wire.ResultNoSuchCall: true, wire.ResultWrongState: true, wire.ResultServerError: true, wire.ResultUnknownCmd: true}
	f.Fuzz(func(t *testing.T, body []byte, supervisor bool) {
		cmd, err := wire.DecodeCommand(body)
		if err != nil {
			return
		}
		front.mu.Lock()
		s := front.seatLocked("8000")
		s.sess = &session{source: "fuzz", supervisor: supervisor, callintype: wire.CallInVoIP, announced: true}
		front.mu.Unlock()
		r := front.command(s, cmd)
		if !codes[r.Code] {
			t.Fatalf("%s: result code %d outside the contract", body, r.Code)
		}
		if r.Code != wire.CodeOK && r.Info == "" {
			t.Fatalf("%s: refusal without info", body)
		}
		if wire.MonitorCommands[cmd.Cmd] && r.OK() {
			var m wire.MonitorResult
			if err := wire.DecodeData(r.Data, &m); err != nil || (m.Result != wire.MonitorSucceeded && r.Info == "") {
				t.Fatalf("%s: monitor result %s %v", body, r.Data, err)
			}
		}
		// Leave nothing behind for the next input.
		if ci, ok := cc.CallOf("8000"); ok {
			_ = cc.LegFailed(ci.ID, "8000", callcenter.FailRejected)
			_ = cc.LegHangup(ci.ID, "8000")
		}
	})
}
