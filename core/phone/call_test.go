package phone

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"agentbar/core/media"
)

var transports = []string{TransportUDP, TransportTCP}

func TestCallAnswerAndHangup(t *testing.T) {
	for _, tr := range transports {
		for _, hangupBy := range []string{"caller", "callee"} {
			t.Run(tr+"/"+hangupBy, func(t *testing.T) {
				alice := newTestPhone(t, "alice", tr, nil)
				bob := newTestPhone(t, "bob", tr, nil)
				out, in := connect(t, alice, bob)
				if out.State() != Talking || in.State() != Talking {
					t.Fatalf("states %v / %v, want Talking", out.State(), in.State())
				}
				if in.Direction() != Inbound || out.Direction() != Outbound {
					t.Fatalf("directions %v / %v", out.Direction(), in.Direction())
				}
				hanger, other, otherPhone := out, in, bob
				if hangupBy == "callee" {
					hanger, other, otherPhone = in, out, alice
				}
				if err := hanger.Hangup(ctxT(t)); err != nil {
					t.Fatalf("Hangup: %v", err)
				}
				ended := otherPhone.ev.waitState(other.ID(), Ended)
				if !errors.Is(ended.Reason, ErrRemoteHangup) {
					t.Fatalf("other side ended with %v, want ErrRemoteHangup", ended.Reason)
				}
				if hanger.Err() != nil {
					t.Fatalf("our side ended with %v, want nil", hanger.Err())
				}
				if err := hanger.Hangup(ctxT(t)); !errors.Is(err, ErrCallEnded) {
					t.Fatalf("second Hangup: %v, want ErrCallEnded", err)
				}
			})
		}
	}
}

func TestCancelBeforeAnswer(t *testing.T) {
	for _, how := range []string{"hangup", "context"} {
		t.Run(how, func(t *testing.T) {
			alice := newTestPhone(t, "alice", TransportUDP, nil)
			bob := newTestPhone(t, "bob", TransportUDP, nil)
			ctx, cancel := context.WithCancel(ctxT(t))
			defer cancel()
			res := alice.dialAsync(ctx, bob.Contact())
			in := bob.nextIncoming()
			dialing := alice.ev.waitState(in.Call.ID(), Dialing)
			if how == "hangup" {
				if err := dialing.Call.Hangup(ctxT(t)); err != nil {
					t.Fatalf("Hangup: %v", err)
				}
			} else {
				cancel()
			}
			r := waitDial(t, res)
			if !errors.Is(r.err, ErrCanceled) || r.call != nil {
				t.Fatalf("Dial = %v, %v; want ErrCanceled", r.call, r.err)
			}
			ended := bob.ev.waitState(in.Call.ID(), Ended)
			if !errors.Is(ended.Reason, ErrCallerCanceled) {
				t.Fatalf("callee ended with %v, want ErrCallerCanceled", ended.Reason)
			}
			alice.ev.waitState(in.Call.ID(), Ended)
			if err := in.Call.Answer(ctxT(t)); !errors.Is(err, ErrCallEnded) {
				t.Fatalf("Answer after CANCEL: %v, want ErrCallEnded", err)
			}
		})
	}
}

func TestRejectAndDoNotDisturb(t *testing.T) {
	tests := []struct {
		name     string
		busyCode int
		dnd      bool
		reject   int // code given to Reject; -1 = do not reject (DND)
		want     int
		sentence string
	}{
		{"reject 486", 0, false, 486, 486, "对方忙"},
		{"reject 603", 0, false, 603, 603, "对方拒接"},
		{"reject default busy code", 603, false, 0, 603, "对方拒接"},
		{"hangup ringing", 0, false, -2, 486, "对方忙"},
		{"dnd 486", 0, true, -1, 486, "对方忙"},
		{"dnd 603", 603, true, -1, 603, "对方拒接"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alice := newTestPhone(t, "alice", TransportUDP, nil)
			bob := newTestPhone(t, "bob", TransportUDP, func(c *Config) { c.BusyCode = tt.busyCode })
			bob.SetDoNotDisturb(tt.dnd)
			res := alice.dialAsync(ctxT(t), bob.Contact())
			if !tt.dnd {
				in := bob.nextIncoming()
				var err error
				if tt.reject == -2 {
					err = in.Call.Hangup(ctxT(t))
				} else {
					err = in.Call.Reject(ctxT(t), tt.reject)
				}
				if err != nil {
					t.Fatalf("reject: %v", err)
				}
				if e := bob.ev.waitState(in.Call.ID(), Ended); e.Reason != nil {
					t.Fatalf("rejected call ended with %v, want nil", e.Reason)
				}
			}
			r := waitDial(t, res)
			var ce *CallError
			if !errors.As(r.err, &ce) || ce.Code != tt.want {
				t.Fatalf("Dial error %v, want CallError %d", r.err, tt.want)
			}
			if got := ce.Sentence("zh"); got != tt.sentence {
				t.Fatalf("sentence %q, want %q", got, tt.sentence)
			}
			if tt.dnd && bob.ev.count(func(e Event) bool { _, ok := e.(IncomingCall); return ok }) != 0 {
				t.Fatal("DND let an IncomingCall through")
			}
		})
	}
}

func TestHoldResumeBothWays(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			alice := newTestPhone(t, "alice", tr, nil)
			bob := newTestPhone(t, "bob", tr, nil)
			out, in := connect(t, alice, bob)
			id := out.ID()
			step := func(name string, act func() error, aliceState, bobState CallState, aliceDir, bobDir media.Direction) {
				t.Helper()
				if err := act(); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				alice.ev.waitN(1, name, func(e Event) bool { return out.State() == aliceState })
				bob.ev.waitN(1, name, func(e Event) bool { return in.State() == bobState })
				if got := out.mediaDirection(); got != aliceDir {
					t.Fatalf("%s: alice media %v, want %v", name, got, aliceDir)
				}
				if got := in.mediaDirection(); got != bobDir {
					t.Fatalf("%s: bob media %v, want %v", name, got, bobDir)
				}
			}
			step("alice holds", func() error { return out.Hold(ctxT(t)) }, Held, RemoteHeld, media.SendOnly, media.RecvOnly)
			step("bob holds too", func() error { return in.Hold(ctxT(t)) }, Held, Held, media.Inactive, media.Inactive)
			step("alice resumes", func() error { return out.Resume(ctxT(t)) }, RemoteHeld, Held, media.RecvOnly, media.SendOnly)
			step("bob resumes", func() error { return in.Resume(ctxT(t)) }, Talking, Talking, media.SendRecv, media.SendRecv)
			step("bob holds", func() error { return in.Hold(ctxT(t)) }, RemoteHeld, Held, media.RecvOnly, media.SendOnly)
			step("bob resumes", func() error { return in.Resume(ctxT(t)) }, Talking, Talking, media.SendRecv, media.SendRecv)
			if err := out.Hold(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			if err := out.Hold(ctxT(t)); err != nil {
				t.Fatalf("second Hold: %v, want nil (already held)", err)
			}
			alice.ev.waitState(id, Held)
			bob.ev.waitState(id, RemoteHeld)
		})
	}
}

func TestCallWaiting(t *testing.T) {
	alice := newTestPhone(t, "alice", TransportUDP, nil)
	bob := newTestPhone(t, "bob", TransportUDP, nil)
	carol := newTestPhone(t, "carol", TransportUDP, nil)
	withBob, bobLeg := connect(t, alice, bob)
	res := carol.dialAsync(ctxT(t), alice.Contact())
	second := alice.nextIncoming()
	if withBob.State() != Talking {
		t.Fatalf("first call %v while the second rings, want Talking", withBob.State())
	}
	if err := second.Call.Answer(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if r := waitDial(t, res); r.err != nil {
		t.Fatal(r.err)
	}
	alice.ev.waitState(withBob.ID(), Held)
	bob.ev.waitState(bobLeg.ID(), RemoteHeld)
	alice.ev.waitState(second.Call.ID(), Talking)
	if n := len(alice.Calls()); n != 2 {
		t.Fatalf("alice has %d calls, want 2", n)
	}
}

func TestBlindTransfer(t *testing.T) {
	alice := newTestPhone(t, "alice", TransportUDP, nil)
	bob := newTestPhone(t, "bob", TransportUDP, nil)
	carol := newTestPhone(t, "carol", TransportUDP, func(c *Config) { c.AutoAnswer = true })
	out, in := connect(t, alice, bob)
	if err := out.Transfer(ctxT(t), carol.Contact()); err != nil {
		t.Fatalf("Transfer: %v", err)
	}
	e := alice.ev.waitState(out.ID(), Ended)
	if !errors.Is(e.Reason, ErrTransferred) && !errors.Is(e.Reason, ErrRemoteHangup) {
		t.Fatalf("transferor's leg ended with %v", e.Reason)
	}
	bob.ev.wait("TransferRequested", func(e Event) bool { _, ok := e.(TransferRequested); return ok })
	if e := bob.ev.waitState(in.ID(), Ended); !errors.Is(e.Reason, ErrTransferred) {
		t.Fatalf("transferee's old leg ended with %v, want ErrTransferred", e.Reason)
	}
	newCall := carol.nextIncoming()
	carol.ev.waitState(newCall.Call.ID(), Talking)
	bob.ev.waitState(newCall.Call.ID(), Talking)
	alice.ev.wait("final TransferProgress", func(e Event) bool {
		tp, ok := e.(TransferProgress)
		return ok && tp.Final && tp.Code == 200
	})
}

func TestTransferToNowhereFails(t *testing.T) {
	alice := newTestPhone(t, "alice", TransportUDP, nil)
	bob := newTestPhone(t, "bob", TransportUDP, nil)
	dave := newTestPhone(t, "dave", TransportUDP, func(c *Config) { c.BusyCode = 486 })
	dave.SetDoNotDisturb(true)
	out, _ := connect(t, alice, bob)
	err := out.Transfer(ctxT(t), dave.Contact())
	var ce *CallError
	if !errors.Is(err, ErrTransferFailed) || !errors.As(err, &ce) || ce.Code != 486 {
		t.Fatalf("Transfer = %v, want ErrTransferFailed with 486", err)
	}
	if out.State() != Talking {
		t.Fatalf("call after failed transfer: %v, want Talking", out.State())
	}
}

func TestDTMFOverInfo(t *testing.T) {
	info := func(c *Config) { c.DTMFMode = DTMFInfo }
	alice := newTestPhone(t, "alice", TransportUDP, info)
	bob := newTestPhone(t, "bob", TransportUDP, info)
	out, in := connect(t, alice, bob)
	if err := out.SendDTMF(ctxT(t), "1#9*"); err != nil {
		t.Fatal(err)
	}
	for i, want := range "1#9*" {
		got := bob.ev.waitN(i+1, "digit", func(e Event) bool { _, ok := e.(DTMFReceived); return ok }).(DTMFReceived)
		if got.Digit != want || got.Call != in {
			t.Fatalf("digit %d: %q on %v, want %q", i, got.Digit, got.Call.ID(), want)
		}
	}
	if err := in.SendDTMF(ctxT(t), "a"); err != nil {
		t.Fatal(err)
	}
	if got := alice.ev.wait("digit", func(e Event) bool { _, ok := e.(DTMFReceived); return ok }).(DTMFReceived); got.Digit != 'A' {
		t.Fatalf("digit %q, want A", got.Digit)
	}
	if err := out.SendDTMF(ctxT(t), "5x"); !errors.Is(err, ErrInvalidDigit) {
		t.Fatalf("SendDTMF(5x) = %v, want ErrInvalidDigit", err)
	}
}

func TestCloseHangsUpEverything(t *testing.T) {
	alice := newTestPhone(t, "alice", TransportUDP, nil)
	bob := newTestPhone(t, "bob", TransportUDP, nil)
	carol := newTestPhone(t, "carol", TransportUDP, nil)
	talking, _ := connect(t, alice, bob)
	ringing := carol.dialAsync(ctxT(t), alice.Contact())
	in := alice.nextIncoming()
	if err := alice.Close(ctxT(t)); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if e := alice.ev.waitState(talking.ID(), Ended); !errors.Is(e.Reason, ErrClosed) {
		t.Fatalf("talking call ended with %v, want ErrClosed", e.Reason)
	}
	if e := alice.ev.waitState(in.Call.ID(), Ended); !errors.Is(e.Reason, ErrClosed) {
		t.Fatalf("ringing call ended with %v, want ErrClosed", e.Reason)
	}
	if e := bob.ev.waitState(talking.ID(), Ended); !errors.Is(e.Reason, ErrRemoteHangup) {
		t.Fatalf("bob's call ended with %v", e.Reason)
	}
	var ce *CallError
	if r := waitDial(t, ringing); !errors.As(r.err, &ce) || ce.Code != 480 {
		t.Fatalf("carol's Dial = %v, want 480", r.err)
	}
	select {
	case <-alice.ev.closed:
	case <-time.After(waitTimeout):
		t.Fatal("Events not closed by Close")
	}
	if _, err := alice.Dial(ctxT(t), bob.Contact()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Dial after Close: %v", err)
	}
}

func TestDetectedLocalAddress(t *testing.T) {
	// No LocalIP: the SIP socket binds every address and Via, Contact and
	// SDP carry the address of the route to the account's host.
	alice := newTestPhone(t, "alice", TransportUDP, func(c *Config) { c.LocalIP = nil })
	bob := newTestPhone(t, "bob", TransportUDP, func(c *Config) { c.LocalIP = nil })
	if !strings.HasPrefix(alice.Contact(), "sip:alice@127.0.0.1:") {
		t.Fatalf("Contact %q, want the loopback route's address", alice.Contact())
	}
	out, in := connect(t, alice, bob)
	if err := out.Hold(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	bob.ev.waitState(in.ID(), RemoteHeld)
	if err := in.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	alice.ev.waitState(out.ID(), Ended)
}
