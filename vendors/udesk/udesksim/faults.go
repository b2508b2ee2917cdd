package udesksim

import (
	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// onFault carries out the center's one-shot knobs on this front.
func (f *Front) onFault(ft callcenter.Fault) {
	switch x := ft.(type) {
	case callcenter.Drop:
		f.mu.Lock()
		if d := x.Silence.D(); d > 0 {
			f.silentUntil = f.opts.Now().Add(d)
		}
		var victims []*session
		for agent, s := range f.sessions {
			if x.Agent == "" || x.Agent == agent {
				victims = append(victims, s)
			}
		}
		f.mu.Unlock()
		for _, s := range victims {
			s.abort() // no close frame: the connection is just gone
		}
	case callcenter.Restart:
		f.restart(x.Downtime.D())
	case callcenter.ExpireToken:
		f.mu.Lock()
		f.tokenNotBefore[x.Agent] = f.opts.Now()
		var victims []*session
		for agent, s := range f.sessions {
			if x.Agent == "" || x.Agent == agent {
				victims = append(victims, s)
			}
		}
		f.mu.Unlock()
		for _, s := range victims {
			s.close(wire.CloseTokenExpired, "token expired")
		}
	case callcenter.Malformed:
		frame := malformedFrames[x.What]
		if frame == nil {
			frame = malformedFrames["garbage"]
		}
		_ = f.Inject(x.Agent, frame)
	}
}

// malformedFrames are what the malformed knob sends: bytes that are not
// JSON, a frame of the wrong shape, an event whose Data is of wrong types.
var malformedFrames = map[string][]byte{
	"garbage":    []byte("\x00\x01 not json {"),
	"bad_header": []byte(`{"Event": 5, "Id": "x"}`),
	"bad_sdp":    []byte(`{"Event":"Delivered","Code":"0000","Data":{"CallID":7,"CustomerInfo":"nope"}}`),
}
