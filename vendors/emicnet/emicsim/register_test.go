package emicsim

import (
	"testing"

	"agentbar/core/phone"
	"agentbar/vendors/emicnet/wire"
)

// TestRegisterAndStatus: REGISTER over WSS with the Emicnet headers, the
// online notice, changeStaus and its statusChanged, and the refusals.
func TestRegisterAndStatus(t *testing.T) {
	s := newSim(t, simConfig(), simOptions())
	a := s.signIn("8001", clientOpts{gid: salesGid})
	a.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatBusy})
	if st := a.status(); st != wire.SeatBusy {
		t.Fatalf("after changeStaus(2): %d", st)
	}
	if ag, _ := s.cc.Agent("8001"); ag.State.Kind.String() != "busy" {
		t.Fatalf("center state %v", ag.State)
	}
	a.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatIdle})
	if st := a.status(); st != wire.SeatIdle {
		t.Fatalf("after changeStaus(1): %d", st)
	}
	if r := a.cmd(wire.CmdChangeStaus, wire.StatusData{Status: 0}); r.Code != wire.ResultBadRequest {
		t.Errorf("changeStaus(0): %+v", r)
	}
	st := s.front.State()
	if len(st.Seats) == 0 || st.Seats[0].Un != "8001" || !st.Seats[0].Registered || st.Seats[0].Gid != salesGid || st.Seats[0].Callintype != wire.CallInVoIP {
		t.Errorf("state %+v", st.Seats)
	}

	refusals := []struct {
		name string
		un   string
		o    clientOpts
	}{
		{"wrong password", "8002", clientOpts{pwd: "nope"}},
		{"a group the seat is not in", "8002", clientOpts{gid: serviceGid}},
		{"callback without a number", "8002", clientOpts{callintype: wire.CallInCallback}},
		{"unknown callintype", "8002", clientOpts{callintype: "3", number: "1"}},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			c, reg := s.connect(r.un, r.o)
			defer c.close()
			if reg.State != phone.RegistrationFailed {
				t.Fatalf("registration %v", reg)
			}
			if s.front.Registered(r.un) {
				t.Fatal("registered anyway")
			}
		})
	}

	// Commands that the front refuses.
	if code, _ := a.cmdRaw("text/plain", []byte("hello")); code != 415 {
		t.Errorf("text/plain command: SIP %d", code)
	}
	if code, _ := a.cmdRaw(wire.ContentTypeCommand, []byte(`{"cmd":"hold"}`)); code != 400 {
		t.Errorf("command without seq: SIP %d", code)
	}
	if r := a.cmd("fly", nil); r.Code != wire.ResultUnknownCmd {
		t.Errorf("unknown command: %+v", r)
	}
	if r := a.cmd(wire.CmdHold, wire.CcData{C: "1564717108763414conf_1564717149723"}); r.Code != wire.ResultNoSuchCall {
		t.Errorf("hold of no call: %+v", r)
	}
	if r := a.cmd(wire.CmdHold, map[string]any{"c": []int{1}}); r.Code != wire.ResultBadRequest {
		t.Errorf("hold with a bad c: %+v", r)
	}
	if r := a.cmd(wire.CmdSendDTMF, wire.DTMFData{C: "x", DTMF: "12"}); r.Code != wire.ResultBadRequest {
		t.Errorf("two digits: %+v", r)
	}
	a.quiet()
}
