package emicnet

import (
	"testing"

	"agentbar/vendors/emicnet/wire"
)

// FuzzOnMessage: whatever the platform sends as an event, the adapter
// answers a status, never panics, and keeps its state consistent (the
// event decoders' own fuzz targets are in package wire).
func FuzzOnMessage(f *testing.F) {
	for _, name := range []string{
		"callEvent.newPBXCall", "callEvent.answeredPBXCall", "callEvent.endPBXCall", "callEvent.cancelPBXCall",
		"callEvent.calloutResponse", "callEvent.calloutResponse.503", "callEvent.callinFaildResponse",
		"statusChanged.1", "kickedOffLine.895", "repCallStatus.start", "repCallStatus.end",
	} {
		f.Add([]byte(goldenEvent(f, name)), uint8(0))
	}
	f.Add([]byte(`{"event":"callEvent","type":"callinResponse","data":{"a":"200","c":"k","n":"1"}}`), uint8(1))
	f.Add([]byte(`{"event":"callEvent","type":"newPBXCall","data":{"a":"180","c":"k"}}`), uint8(2))
	modes := []wire.CallInType{wire.CallInVoIP, wire.CallInCallback, wire.CallInSIPPhone}
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		a, sink := unitAdapter(t, modes[int(mode)%len(modes)])
		if mode&4 != 0 {
			a.mu.Lock()
			a.pending = &pendingDial{tag: "t", shown: "1"}
			a.mu.Unlock()
		}
		for range 2 { // twice: the second sees the state the first left
			code := feed(a, string(body))
			if code != 200 && code != 400 {
				t.Fatalf("answered %d", code)
			}
		}
		_ = sink.take()
		_ = a.CheckSeatState()
		a.mu.Lock()
		for c, r := range a.calls {
			if r.cc != c || r.state == 0 {
				t.Fatalf("call %q tracked as %+v", c, r)
			}
		}
		a.mu.Unlock()
	})
}
