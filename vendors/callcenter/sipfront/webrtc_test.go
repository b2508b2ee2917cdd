package sipfront

import (
	"context"
	"testing"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// agentbar over WSS with WebRTC media (Opus) and over WS (PCMU only, DTMF
// by INFO), as a JsSIP-style gateway serves them: a queue call offered and
// answered with audio both ways, hold and resume, RFC 4733 digits, a blind
// transfer to the WS colleague, INFO digits, and an outbound call placed
// over WSS.
func TestWebRTCAgentsOverWebSocket(t *testing.T) {
	c := newWSCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, c.webRTCFields("wss", nil))
	b := c.agent("8003", "agent-pw", 1200, c.webRTCFields("ws", map[string]string{"codecs": "PCMU", "dtmf_mode": "info"}))
	if got := c.binding("8001"); got.Transport != "wss" {
		t.Fatalf("8001 registered over %q, want wss", got.Transport)
	}
	if got := c.binding("8003"); got.Transport != "ws" {
		t.Fatalf("8003 registered over %q, want ws", got.Transport)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// A queue call: 8001 signed in first, it is offered a WebRTC leg.
	id, call := answered(t, c, a, "02512345678")
	if l := c.leg("8001"); l.Media != "webrtc" || l.Codec != "opus" || l.Transport != "wss" || l.Inbound {
		t.Fatalf("8001's leg %+v, want an offered WebRTC leg with Opus over WSS", l)
	}
	settle(1500 * time.Millisecond)
	expectTones(t, "agent (its headset)", a.ear.last(time.Second), []float64{customerHz}, []float64{agentHz})
	expectTones(t, "customer (center's truth)", c.heard(id, callcenter.SimulatedCustomer), []float64{agentHz}, []float64{customerHz})

	t.Run("hold and resume", func(t *testing.T) {
		c, a := c.in(t), a.in(t)
		if err := a.e.Hold(ctx, call); err != nil {
			t.Fatal(err)
		}
		a.waitCallID(call, core.CallHeld)
		c.waitEvent("hold in the mix", func(ev callcenter.Event) bool {
			m, ok := ev.(callcenter.MixChanged)
			return ok && m.Call == id && m.Mix.System.Kind == callcenter.SoundMusic
		})
		settle(1200 * time.Millisecond)
		pcm := c.heard(id, callcenter.SimulatedCustomer)
		expectTones(t, "customer on hold", pcm, nil, []float64{agentHz})
		if lvl := audio.RMSdBFS(pcm); lvl < -40 {
			t.Errorf("customer on hold hears %.1f dBFS, want music", lvl)
		}
		if err := a.e.Resume(ctx, call); err != nil {
			t.Fatal(err)
		}
		a.waitCallID(call, core.CallTalking)
		settle(1200 * time.Millisecond)
		expectTones(t, "customer after resume", c.heard(id, callcenter.SimulatedCustomer), []float64{agentHz}, nil)
		expectTones(t, "agent after resume", a.ear.last(time.Second), []float64{customerHz}, nil)
	})

	t.Run("RFC 4733 digits", func(t *testing.T) {
		c, a := c.in(t), a.in(t)
		if err := a.e.SendDTMF(ctx, call, "7#"); err != nil {
			t.Fatal(err)
		}
		for _, want := range "7#" {
			c.waitEvent("digit "+string(want), func(ev callcenter.Event) bool {
				d, ok := ev.(callcenter.DTMFReceived)
				return ok && d.From == "8001" && d.Digits == string(want)
			})
		}
	})

	t.Run("blind transfer to the WS colleague", func(t *testing.T) {
		c, a, b := c.in(t), a.in(t), b.in(t)
		if err := a.e.Transfer(ctx, call, core.Target{Kind: core.TargetAgent, ID: "8003"}); err != nil {
			t.Fatal(err)
		}
		if end := a.waitCallID(call, core.CallEnded); end.EndReason != core.EndTransferred {
			t.Errorf("transferring agent's call ended %s", end.EndReason)
		}
		ring := b.waitCall(core.CallRinging)
		if err := b.e.Answer(ctx, ring.ID); err != nil {
			t.Fatal(err)
		}
		b.waitCallID(ring.ID, core.CallTalking)
		c.waitAgent("8003", callcenter.Talking) // the center has the answer too
		if l := c.leg("8003"); l.Media != "webrtc" || l.Codec != "PCMU" || l.Transport != "ws" {
			t.Fatalf("8003's leg %+v, want WebRTC with PCMU over WS", l)
		}
		settle(1500 * time.Millisecond)
		expectTones(t, "colleague", b.ear.last(time.Second), []float64{customerHz}, []float64{agentHz})
		expectTones(t, "customer", c.heard(id, callcenter.SimulatedCustomer), []float64{1200}, []float64{agentHz})
		// Digits by SIP INFO, one request each.
		if err := b.e.SendDTMF(ctx, ring.ID, "5"); err != nil {
			t.Fatal(err)
		}
		c.waitEvent("INFO digit", func(ev callcenter.Event) bool {
			d, ok := ev.(callcenter.DTMFReceived)
			return ok && d.From == "8003" && d.Digits == "5"
		})
		if err := b.e.Hangup(ctx, ring.ID); err != nil {
			t.Fatal(err)
		}
		ended := c.waitEvent("end", func(ev callcenter.Event) bool { e, ok := ev.(callcenter.CallEnded); return ok && e.Call.ID == id }).(callcenter.CallEnded)
		if ended.CDR.HangupBy != callcenter.RoleAgent || ended.CDR.Agent != "8003" {
			t.Errorf("CDR %+v", ended.CDR)
		}
	})

	t.Run("the agent dials out over WSS", func(t *testing.T) {
		c, a := c.in(t), a.in(t)
		c.waitAgent("8001", callcenter.Ready)
		out, err := a.e.Dial(ctx, core.DialOptions{Target: "13912345678"})
		if err != nil {
			t.Fatal(err)
		}
		a.waitCallID(out, core.CallTalking)
		ci, ok := c.cc.CallOf("8001")
		if !ok || ci.Direction != callcenter.Outbound {
			t.Fatalf("center's call %+v", ci)
		}
		if l := c.leg("8001"); l.Media != "webrtc" || !l.Inbound || l.Codec != "opus" {
			t.Fatalf("8001's leg %+v, want its own WebRTC INVITE with Opus", l)
		}
		settle(1500 * time.Millisecond)
		expectTones(t, "agent", a.ear.last(time.Second), []float64{ci.Customer.Voice.ToneHz}, []float64{agentHz})
		expectTones(t, "callee (center's truth)", c.heard(ci.ID, callcenter.SimulatedCustomer), []float64{agentHz}, nil)
		if err := a.e.Hangup(ctx, out); err != nil {
			t.Fatal(err)
		}
		c.waitEvent("end", func(ev callcenter.Event) bool { e, ok := ev.(callcenter.CallEnded); return ok && e.Call.ID == ci.ID })
	})
}
