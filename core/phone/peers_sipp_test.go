package phone

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"agentbar/audio"
)

// sipp runs one SIPp instance on its own ports.
type sipp struct {
	*process
	port, mediaPort int
}

func startSipp(t *testing.T, dir string, args ...string) *sipp {
	t.Helper()
	base := portBlock(t, 8)
	s := &sipp{port: base, mediaPort: base + 2}
	all := append([]string{"-i", "127.0.0.1", "-p", fmt.Sprint(s.port), "-mi", "127.0.0.1", "-mp", fmt.Sprint(s.mediaPort),
		"-m", "1", "-nostdin", "-timeout", "40s", "-timeout_error", "-trace_err", "-error_file", filepath.Join(dir, "errors.log")}, args...)
	s.process = startProcess(t, "sipp", dir, all...)
	return s
}

func (s *sipp) uri(user string) string { return fmt.Sprintf("sip:%s@127.0.0.1:%d", user, s.port) }

// finished waits for SIPp to end and checks it counted the call a success.
func (s *sipp) finished(t *testing.T, dir string) {
	t.Helper()
	if code := s.wait(t, 40*time.Second); code != 0 {
		errs, _ := os.ReadFile(filepath.Join(dir, "errors.log"))
		t.Fatalf("sipp exit code %d (0 = the call went as scripted)\nerrors:\n%s", code, errs)
	}
}

// rtpPCMUpcap writes d of a tone as an RTP/PCMU pcap for SIPp's
// play_pcap_audio (Ethernet, IPv4, UDP, RTP every 20 ms).
func rtpPCMUpcap(t *testing.T, freq float64, d time.Duration) string {
	t.Helper()
	pcm := audio.SineWave(8000, freq, peerToneAmplitude, d)
	var b bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&b, le, []uint32{0xa1b2c3d4})
	binary.Write(&b, le, []uint16{2, 4})
	binary.Write(&b, le, []uint32{0, 0, 65535, 1})
	payload := make([]byte, 160)
	for i := 0; (i+1)*160 <= len(pcm); i++ {
		if _, err := (audio.PCMU{}).Encode(pcm[i*160:(i+1)*160], payload); err != nil {
			t.Fatal(err)
		}
		rtp := make([]byte, 12, 12+160)
		rtp[0] = 0x80
		if i == 0 {
			rtp[1] = 0x80
		}
		binary.BigEndian.PutUint16(rtp[2:], uint16(i))
		binary.BigEndian.PutUint32(rtp[4:], uint32(i*160))
		binary.BigEndian.PutUint32(rtp[8:], 0x1234abcd)
		rtp = append(rtp, payload...)
		udp := make([]byte, 8, 8+len(rtp))
		binary.BigEndian.PutUint16(udp[0:], 40000)
		binary.BigEndian.PutUint16(udp[2:], 40002)
		binary.BigEndian.PutUint16(udp[4:], uint16(8+len(rtp)))
		udp = append(udp, rtp...)
		ip := []byte{0x45, 0, 0, 0, byte(i >> 8), byte(i), 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1}
		binary.BigEndian.PutUint16(ip[2:], uint16(20+len(udp)))
		binary.BigEndian.PutUint16(ip[10:], ipChecksum(ip))
		frame := append(append(make([]byte, 12), 0x08, 0x00), append(ip, udp...)...)
		us := i * 20000
		binary.Write(&b, le, []uint32{uint32(us / 1e6), uint32(us % 1e6), uint32(len(frame)), uint32(len(frame))})
		b.Write(frame)
	}
	path := filepath.Join(t.TempDir(), "tone.pcap")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func ipChecksum(h []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(h); i += 2 {
		sum += uint32(h[i])<<8 | uint32(h[i+1])
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

func TestSIPp(t *testing.T) {
	requirePeers(t, "sipp")

	t.Run("stock uas with RTP echo", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s := startSipp(t, dir, "-sn", "uas", "-rtp_echo")
		rig := newAudioRig(t, 1000)
		p := newTestPhone(t, "agent", TransportUDP, func(c *Config) { c.NewPort = rig.newPort })
		call, err := p.Dial(ctxT(t), s.uri("service"))
		if err != nil {
			t.Fatalf("Dial: %v\n%s", err, s.out)
		}
		rig.listen(t, 500*time.Millisecond)
		checkTone(t, "agentbar hears its own echo", rig.listen(t, 2*time.Second), 1000, rig.sentRMS)
		if err := call.Hangup(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		s.finished(t, dir)
	})

	t.Run("re-INVITE then BYE from the far end", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		scenario, err := os.ReadFile("testdata/sipp/uas_play_reinvite_bye.xml")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "uas.xml")
		pcap := rtpPCMUpcap(t, 1500, 4*time.Second)
		if err := os.WriteFile(path, bytes.ReplaceAll(scenario, []byte("@PCAP@"), []byte(pcap)), 0o644); err != nil {
			t.Fatal(err)
		}
		s := startSipp(t, dir, "-sf", path)
		rig := newAudioRig(t, 1000)
		p := newTestPhone(t, "agent", TransportUDP, func(c *Config) { c.NewPort = rig.newPort })
		call, err := p.Dial(ctxT(t), s.uri("service"))
		if err != nil {
			t.Fatalf("Dial: %v\n%s", err, s.out)
		}
		rig.listen(t, 300*time.Millisecond)
		checkTone(t, "agentbar hears the pcap", rig.listen(t, 2*time.Second), 1500, audio.RMSdBFS(audio.SineWave(8000, 1500, peerToneAmplitude, time.Second)))
		ended := p.ev.waitState(call.ID(), Ended)
		if !errors.Is(ended.Reason, ErrRemoteHangup) {
			t.Fatalf("ended with %v, want the far end's BYE", ended.Reason)
		}
		s.finished(t, dir)
	})

	t.Run("busy", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s := startSipp(t, dir, "-sf", scenarioPath(t, "uas_busy.xml"))
		p := newTestPhone(t, "agent", TransportUDP, nil)
		_, err := p.Dial(ctxT(t), s.uri("service"))
		var ce *CallError
		if !errors.As(err, &ce) || ce.Code != 486 || ce.Sentence("zh") != "对方忙" {
			t.Fatalf("Dial = %v, want 486 (对方忙)", err)
		}
		s.finished(t, dir)
	})

	t.Run("cancel before answer", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s := startSipp(t, dir, "-sf", scenarioPath(t, "uas_ring_cancel.xml"))
		p := newTestPhone(t, "agent", TransportUDP, nil)
		res := p.dialAsync(ctxT(t), s.uri("service"))
		ringing := p.ev.wait("RemoteRinging", func(e Event) bool {
			c, ok := e.(CallStateChanged)
			return ok && c.State == RemoteRinging
		}).(CallStateChanged)
		if err := ringing.Call.Hangup(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		if r := waitDial(t, res); !errors.Is(r.err, ErrCanceled) {
			t.Fatalf("Dial = %v, want ErrCanceled", r.err)
		}
		s.finished(t, dir)
	})

	t.Run("digest challenge", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s := startSipp(t, dir, "-sf", scenarioPath(t, "uas_auth.xml"))
		p := newTestPhone(t, "1001", TransportUDP, func(c *Config) { c.Password = "s3cret" })
		call, err := p.Dial(ctxT(t), s.uri("service"))
		if err != nil {
			t.Fatalf("Dial with digest: %v\n%s", err, s.out)
		}
		if err := call.Hangup(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		s.finished(t, dir)
	})

	t.Run("stock uac calls agentbar", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		p := newTestPhone(t, "agent", TransportUDP, func(c *Config) { c.AutoAnswer = true })
		target := strings.TrimPrefix(p.Contact(), "sip:agent@")
		s := startSipp(t, dir, "-sn", "uac", "-s", "agent", "-d", "2000", "-rtp_echo", target)
		in := p.nextIncoming()
		p.ev.waitState(in.Call.ID(), Talking)
		if e := p.ev.waitState(in.Call.ID(), Ended); !errors.Is(e.Reason, ErrRemoteHangup) {
			t.Fatalf("ended with %v, want SIPp's BYE", e.Reason)
		}
		s.finished(t, dir)
	})
}

func scenarioPath(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "sipp", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
