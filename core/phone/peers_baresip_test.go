package phone

import (
	"errors"
	"testing"
	"time"

	"agentbar/audio"
)

// peerToneAmplitude is the peak of the tones peers play.
const peerToneAmplitude = 0.5

// listenFor is how long each direction of a real-peer call is measured.
const listenFor = 10 * time.Second

func TestBaresip(t *testing.T) {
	requirePeers(t, "baresip")
	farRMS := audio.RMSdBFS(audio.SineWave(8000, 440, peerToneAmplitude, time.Second))

	t.Run("agentbar calls baresip", func(t *testing.T) {
		// Not parallel: it measures real-time audio gaps.
		far := startBaresip(t, "far", toneWAV(t, 440, peerToneAmplitude, 60*time.Second), "")
		rig := newAudioRig(t, 1000)
		p := newTestPhone(t, "agent", TransportUDP, func(c *Config) { c.NewPort = rig.newPort })
		call, err := p.Dial(ctxT(t), far.uri())
		if err != nil {
			t.Fatalf("Dial: %v\n%s", err, far.out)
		}
		rig.listen(t, 500*time.Millisecond)
		checkTone(t, "agentbar", rig.listen(t, listenFor), 440, farRMS)
		if err := call.Hangup(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		far.out.waitLine(t, "baresip", "terminated", 5*time.Second, far.done)
		checkTone(t, "baresip", trim(far.recording(t), 8000, time.Second, 500*time.Millisecond), 1000, rig.sentRMS)
	})

	t.Run("baresip calls agentbar", func(t *testing.T) {
		// Not parallel: it measures real-time audio gaps.
		near := startBaresip(t, "near", toneWAV(t, 440, peerToneAmplitude, 60*time.Second), "")
		rig := newAudioRig(t, 1000)
		p := newTestPhone(t, "agent", TransportUDP, func(c *Config) { c.NewPort = rig.newPort })
		near.command(t, "dial", p.Contact())
		in := p.nextIncoming()
		if err := in.Call.Answer(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		rig.listen(t, 500*time.Millisecond)
		checkTone(t, "agentbar", rig.listen(t, listenFor), 440, farRMS)
		near.command(t, "hangup", "")
		ended := p.ev.waitState(in.Call.ID(), Ended)
		if !errors.Is(ended.Reason, ErrRemoteHangup) {
			t.Fatalf("ended with %v, want ErrRemoteHangup", ended.Reason)
		}
		near.out.waitLine(t, "baresip", "terminated", 5*time.Second, near.done)
		checkTone(t, "baresip", trim(near.recording(t), 8000, time.Second, 500*time.Millisecond), 1000, rig.sentRMS)
	})
}
