package phone

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"agentbar/audio"
)

// The WebRTC peers: Kamailio with SIP over WebSocket and rtpengine (ICE +
// DTLS-SRTP on the WebRTC legs, plain RTP on the others), from
// rig/kamailio/kamailio.cfg and rig/rtpengine/rtpengine.conf, on ports of
// their own so tests can run side by side.

// kamailioWSConfig: %[1]d SIP/UDP, %[2]d SIP over WebSocket, %[3]d
// rtpengine's control port. Unlike the rig's, re-INVITEs of a call that
// rtpengine bridges go through rtpengine too (hold across the bridge); the
// Record-Route of such a call carries ";rtpe=1" so in-dialog requests know.
const kamailioWSConfig = `#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=2
tcp_children=2
auto_aliases=no
listen=udp:127.0.0.1:%[1]d
listen=tcp:127.0.0.1:%[2]d
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605

mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "nathelper.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
loadmodule "rtpengine.so"
modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:%[3]d")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")
modparam("rr", "enable_double_rr", 1)
modparam("tm", "fr_timer", 5000)
modparam("tm", "fr_inv_timer", 30000)
modparam("websocket", "keepalive_timeout", %[4]d)

request_route {
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (!sanity_check("17895", "7")) { exit; }
	xlog("L_INFO", "REQ $rm $ru from $si:$sp/$proto\n");
	if ($proto == "ws" || $proto == "wss") {
		force_rport();
		if (is_method("REGISTER")) { fix_nated_register(); }
		else if (!add_contact_alias()) { sl_send_reply("400", "Bad Contact"); exit; }
	}
	if (has_totag()) {
		if (loose_route()) {
			if (!isdsturiset()) { handle_ruri_alias(); }
			if (check_route_param("rtpe=1")) {
				if (is_method("BYE")) { rtpengine_delete(); }
				else if (is_method("INVITE") && has_body("application/sdp")) {
					if ($proto == "ws" || $proto == "wss") {
						setflag(1);
						rtpengine_offer("RTP/AVP ICE=remove DTLS=off rtcp-mux-demux replace-origin replace-session-connection");
					} else {
						setflag(2);
						rtpengine_offer("UDP/TLS/RTP/SAVPF ICE=force rtcp-mux-offer generate-mid SDES-off replace-origin replace-session-connection");
					}
				}
			}
			t_on_reply("MANAGE_REPLY");
			t_relay();
			exit;
		}
		if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("CANCEL")) {
		rtpengine_delete();
		if (t_check_trans()) { t_relay(); }
		exit;
	}
	if (t_precheck_trans()) { t_check_trans(); exit; }
	t_check_trans();
	if (is_method("REGISTER")) {
		if (!save("location")) { sl_reply_error(); }
		exit;
	}
	if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
	if (is_method("INVITE") && has_body("application/sdp")) {
		if (($proto == "ws" || $proto == "wss") && !($du =~ "transport=ws")) {
			setflag(1);
			add_rr_param(";rtpe=1");
			rtpengine_offer("RTP/AVP ICE=remove DTLS=off rtcp-mux-demux replace-origin replace-session-connection");
		} else if ($proto == "udp" && ($du =~ "transport=ws" || $ru =~ "transport=ws")) {
			setflag(2);
			add_rr_param(";rtpe=1");
			rtpengine_offer("UDP/TLS/RTP/SAVPF ICE=force rtcp-mux-offer generate-mid SDES-off replace-origin replace-session-connection");
		}
	}
	if (is_method("INVITE|SUBSCRIBE|MESSAGE")) { record_route(); }
	xlog("L_INFO", "ROUTE $rm to $ru via $du\n");
	t_on_reply("MANAGE_REPLY");
	if (!t_relay()) { sl_reply_error(); }
	exit;
}

onreply_route[MANAGE_REPLY] {
	xlog("L_INFO", "REPLY $rs $rr for $rm from $si:$sp/$proto\n");
	if (nat_uac_test(64)) { add_contact_alias(); }
	if (has_body("application/sdp")) {
		if (isflagset(1)) { rtpengine_answer("UDP/TLS/RTP/SAVPF ICE=force rtcp-mux-require replace-origin replace-session-connection"); }
		else if (isflagset(2)) { rtpengine_answer("RTP/AVP ICE=remove DTLS=off rtcp-mux-demux replace-origin replace-session-connection"); }
	}
}

event_route[xhttp:request] {
	if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
		if (ws_handle_handshake()) { exit; }
	}
	xhttp_reply("404", "Not Found", "", "");
}
`

// kamailioWS is Kamailio with SIP over WebSocket and rtpengine.
type kamailioWS struct {
	*process
	dir       string
	udp, ws   int
	ng        int
	keepAlive time.Duration
}

// startKamailioWS runs Kamailio talking to the rtpengine at control port
// ng. Its own WebSocket keep-alive (a Ping frame, which sipgo cannot read)
// comes after keepAlive of silence on a socket.
func startKamailioWS(t *testing.T, ng int, keepAlive time.Duration) *kamailioWS {
	t.Helper()
	if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so"); err != nil {
		t.Skip("Kamailio's websocket module is not installed: apt-get install kamailio-websocket-modules")
	}
	base := portBlock(t, 2)
	k := &kamailioWS{dir: t.TempDir(), udp: base, ws: base + 1, ng: ng, keepAlive: keepAlive}
	k.start(t)
	return k
}

func (k *kamailioWS) start(t *testing.T) {
	t.Helper()
	cfg := filepath.Join(k.dir, "kamailio.cfg")
	body := fmt.Sprintf(kamailioWSConfig, k.udp, k.ws, k.ng, int(k.keepAlive/time.Second))
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	k.process = startProcess(t, "kamailio", k.dir, "-f", cfg, "-DD", "-E", "-Y", k.dir, "-m", "64", "-M", "8")
	k.out.waitLine(t, "kamailio", "SO_RCVBUF is finally", 10*time.Second, k.done)
}

// restart stops Kamailio (every socket closes, registrations are lost) and
// starts it again on the same ports once they are free.
func (k *kamailioWS) restart(t *testing.T) {
	t.Helper()
	k.process.stop(t)
	k.start(t)
}

func (k *kamailioWS) url() string { return fmt.Sprintf("ws://127.0.0.1:%d", k.ws) }

func (k *kamailioWS) aor(user string) string { return fmt.Sprintf("sip:%s@127.0.0.1:%d", user, k.udp) }

// rtpengine runs in userspace (no kernel module), as rig/rtpengine does.
type rtpengine struct {
	*process
	ng int
}

func startRTPEngine(t *testing.T) *rtpengine {
	t.Helper()
	dir := t.TempDir()
	control := portBlock(t, 2)
	media := portBlock(t, 60)
	conf := fmt.Sprintf(`[rtpengine]
table = -1
interface = 127.0.0.1
listen-ng = 127.0.0.1:%d
listen-cli = 127.0.0.1:%d
port-min = %d
port-max = %d
timeout = 60
foreground = true
log-stderr = true
log-level = 6
`, control, control+1, media, media+59)
	path := filepath.Join(dir, "rtpengine.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &rtpengine{ng: control}
	r.process = startProcess(t, "rtpengine", dir, "--config-file="+path)
	r.out.waitLine(t, "rtpengine", "Startup complete", 10*time.Second, r.done)
	return r
}

// wsAgent is agentbar registered to Kamailio over WebSocket with WebRTC
// media, its headset a tone of freq.
func wsAgent(t *testing.T, k *kamailioWS, user string, freq float64, mod func(*Config), hooks func(*testHooks)) (*testPhone, *audioRig) {
	t.Helper()
	rig := newAudioRig(t, freq)
	p := newTestPhoneWith(t, user, "", func(c *Config) {
		c.URI = "sip:" + user + "@127.0.0.1"
		c.Transport = ""
		c.WebSocketURL = k.url()
		c.Media = MediaWebRTC
		c.Register = true
		c.Expiry = 300 * time.Second
		c.NewPort = rig.newPort
		if mod != nil {
			mod(c)
		}
	}, hooks)
	p.ev.wait("Registered over WebSocket", isReg(Registered))
	return p, rig
}

// agentbar (SIP over WebSocket, WebRTC media) through Kamailio, rtpengine
// bridging to baresip (UDP, plain RTP): audio both ways, both directions,
// hold and resume, DTMF.
func TestWebRTCThroughKamailioToBaresip(t *testing.T) {
	requirePeers(t, "kamailio", "rtpengine", "baresip")
	for _, codec := range []string{"PCMU", "opus"} {
		t.Run(codec, func(t *testing.T) {
			// Not parallel: it measures real-time audio gaps.
			rtpe := startRTPEngine(t)
			k := startKamailioWS(t, rtpe.ng, 180*time.Second)
			bobRMS := audio.RMSdBFS(audio.SineWave(8000, 440, peerToneAmplitude, time.Second))
			rate := 8000
			if codec == "opus" {
				rate = 48000
			}
			bob := startBaresipWith(t, "bob", toneWAVAt(t, 440, peerToneAmplitude, 90*time.Second, rate),
				fmt.Sprintf("<%s>;regint=300;answermode=auto;audio_codecs=%s", k.aor("bob"), codec), rate)
			bob.out.waitLine(t, "baresip", "200 OK", 10*time.Second, bob.done)
			agent, rig := wsAgent(t, k, "agent", 1000, nil, nil)

			started := time.Now()
			call, err := agent.Dial(ctxT(t), "bob")
			if err != nil {
				t.Fatalf("Dial bob: %v\n%s\n%s\n%s", err, k.out, rtpe.out, bob.out)
			}
			if got := call.rtcCodec(); !strings.EqualFold(got, codec) {
				t.Errorf("codec %q, want %s", got, codec)
			}
			first := call.FirstPacket()
			select {
			case <-first:
				t.Logf("INVITE to first audio: %v", time.Since(started))
			case <-time.After(waitTimeout):
				t.Fatalf("no audio from bob: %+v\n%s\n%s\n%s", call.Quality(), rtpe.out, bob.out, k.out)
			}
			rig.listen(t, 500*time.Millisecond)
			checkTone(t, "agentbar hears baresip through rtpengine", rig.listen(t, 3*time.Second), 440, bobRMS)

			if err := call.SendDTMF(ctxT(t), "5"); err != nil {
				t.Fatalf("DTMF: %v", err)
			}
			bob.out.waitLine(t, "baresip", "received event: '5'", 5*time.Second, bob.done)

			if err := call.Hold(ctxT(t)); err != nil {
				t.Fatalf("Hold through rtpengine: %v\n%s", err, k.out)
			}
			rig.listen(t, 500*time.Millisecond)
			if err := call.Resume(ctxT(t)); err != nil {
				t.Fatalf("Resume through rtpengine: %v\n%s", err, k.out)
			}
			// The jitter buffer settles on baresip's restarted stream.
			rig.listen(t, time.Second)
			checkTone(t, "agentbar after resume", rig.listen(t, 2*time.Second), 440, bobRMS)
			t.Logf("after resume: %+v", call.Quality())
			if err := call.Hangup(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			bob.out.waitLine(t, "baresip", "terminated", 5*time.Second, bob.done)
			checkTone(t, "baresip hears agentbar through rtpengine", trim(to8k(t, bob.recording(t), rate), 8000, 1500*time.Millisecond, 500*time.Millisecond), 1000, rig.sentRMS)

			// baresip calls agentbar.
			bob.command(t, "dial", "sip:agent@127.0.0.1:"+fmt.Sprint(k.udp))
			in := agent.nextIncoming()
			if err := in.Call.Answer(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			rig.listen(t, 500*time.Millisecond)
			checkTone(t, "agentbar called by baresip", rig.listen(t, 2*time.Second), 440, bobRMS)
			bob.command(t, "hangup", "")
			if e := agent.ev.waitState(in.Call.ID(), Ended); !errors.Is(e.Reason, ErrRemoteHangup) {
				t.Fatalf("ended with %v", e.Reason)
			}
		})
	}
}

// toneWAVAt writes d of a sine at freq as mono WAV at rate.
func toneWAVAt(t *testing.T, freq, amplitude float64, d time.Duration, rate int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("tone%.0f-%d.wav", freq, rate))
	w := &audio.WAV{Format: audio.WAVFormat{SampleRate: rate, Channels: 1}, Samples: audio.SineWave(rate, freq, amplitude, d)}
	if err := audio.WriteWAVFile(path, w); err != nil {
		t.Fatal(err)
	}
	return path
}

// to8k resamples a recording made at rate to 8 kHz for checkTone.
func to8k(t *testing.T, pcm []int16, rate int) []int16 {
	t.Helper()
	if rate == 8000 {
		return pcm
	}
	r, err := audio.NewResampler(rate, 8000)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int16, r.OutputLen(len(pcm)))
	return out[:r.Process(pcm, out)]
}

// cutter is a TCP relay between the phone and Kamailio's WebSocket that
// can cut every connection in its middle, as a NAT or a Wi-Fi change does.
type cutter struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	done   chan struct{}
}

func startCutter(t *testing.T, target string) *cutter {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &cutter{ln: ln, target: target, done: make(chan struct{})}
	go c.serve()
	t.Cleanup(func() { ln.Close(); <-c.done; c.cut() })
	return c
}

func (c *cutter) serve() {
	defer close(c.done)
	for {
		in, err := c.ln.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp4", c.target)
		if err != nil {
			in.Close()
			continue
		}
		c.mu.Lock()
		c.conns = append(c.conns, in, out)
		c.mu.Unlock()
		go func() { io.Copy(out, in); out.Close() }()
		go func() { io.Copy(in, out); in.Close() }()
	}
}

// cut closes every connection relayed so far.
func (c *cutter) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
}

func (c *cutter) url() string { return "ws://" + c.ln.Addr().String() }

// The WebSocket to Kamailio fails in the middle of a WebRTC call to
// baresip (through rtpengine): the socket is cut, or Kamailio restarts.
// The phone registers again; the call keeps its audio (media never went
// through the socket) and hanging up still reaches baresip.
func TestWebSocketFailuresThroughKamailio(t *testing.T) {
	requirePeers(t, "kamailio", "rtpengine", "baresip")
	bobRMS := audio.RMSdBFS(audio.SineWave(8000, 440, peerToneAmplitude, time.Second))
	for _, failure := range []string{"socket cut", "Kamailio restarted"} {
		t.Run(failure, func(t *testing.T) {
			// Not parallel: it measures real-time audio gaps.
			rtpe := startRTPEngine(t)
			k := startKamailioWS(t, rtpe.ng, 180*time.Second)
			bob := startBaresip(t, "bob", toneWAV(t, 440, peerToneAmplitude, 90*time.Second),
				fmt.Sprintf("<%s>;regint=300;answermode=auto;audio_codecs=PCMU", k.aor("bob")))
			bob.out.waitLine(t, "baresip", "200 OK", 10*time.Second, bob.done)
			relay := startCutter(t, fmt.Sprintf("127.0.0.1:%d", k.ws))
			agent, rig := wsAgent(t, k, "agent", 1000, func(c *Config) { c.WebSocketURL = relay.url() },
				func(h *testHooks) { h.wsWatchEvery = 100 * time.Millisecond })
			call, err := agent.Dial(ctxT(t), "bob")
			if err != nil {
				t.Fatal(err)
			}
			rig.listen(t, 500*time.Millisecond)
			checkTone(t, "before", rig.listen(t, time.Second), 440, bobRMS)

			var back time.Time
			switch failure {
			case "socket cut":
				relay.cut()
				back = time.Now()
			case "Kamailio restarted":
				k.restart(t)
				back = time.Now()
				// bob registers again at his own pace; agentbar must not wait for him.
			}
			agent.ev.waitN(2, "registered again", isReg(Registered))
			t.Logf("%s: registered again %v later", failure, time.Since(back))
			if took := time.Since(back); took > 2*time.Second {
				t.Errorf("registered again %v after the server was reachable, want within 2 s", took)
			}
			checkTone(t, "after: "+failure, rig.listen(t, 2*time.Second), 440, bobRMS)
			if s := call.State(); s != Talking {
				t.Fatalf("call %v after %s", s, failure)
			}
			if err := call.Hangup(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			bob.out.waitLine(t, "baresip", "terminated", 5*time.Second, bob.done)
		})
	}
}

// Kamailio pings an idle WebSocket (a Ping frame with a payload, which
// sipgo's reader cannot take); our CRLF keep-alives keep the socket busy so
// that it never does: the phone stays on its first socket.
func TestKeepAliveKeepsKamailioPingsAway(t *testing.T) {
	requirePeers(t, "kamailio", "rtpengine")
	rtpe := startRTPEngine(t)
	k := startKamailioWS(t, rtpe.ng, 3*time.Second)
	agent, _ := wsAgent(t, k, "agent", 1000, func(c *Config) { c.KeepAlive = 300 * time.Millisecond },
		func(h *testHooks) { h.wsWatchEvery = 100 * time.Millisecond })
	first := agent.ws.peerOrEmpty()
	<-time.After(7 * time.Second) // two of Kamailio's keep-alive periods and more
	if n := agent.ev.count(isReg(Registered)); n != 1 {
		t.Errorf("registered %d times in 7 s: the socket was lost\n%s", n, k.out)
	}
	if got := agent.ws.peerOrEmpty(); got != first {
		t.Errorf("socket %q, then %q", first, got)
	}
}

func (w *wsLink) peerOrEmpty() string {
	p, _, _ := w.state()
	return p
}
