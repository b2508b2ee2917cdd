package phone

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"agentbar/audio"
)

// kamailioConfig is a loopback registrar and record-routing proxy, from
// rig/kamailio/kamailio.cfg without WebSocket and rtpengine.
const kamailioConfig = `#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=2
tcp_children=2
auto_aliases=no
listen=udp:127.0.0.1:%[1]d
listen=tcp:127.0.0.1:%[1]d
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
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("rr", "enable_double_rr", 1)
modparam("tm", "fr_timer", 5000)
modparam("tm", "fr_inv_timer", 30000)

request_route {
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (!sanity_check("17895", "7")) { exit; }
	xlog("L_INFO", "REQ $rm $ru from $si:$sp/$proto\n");
	if (has_totag()) {
		if (loose_route()) { t_relay(); exit; }
		if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
	if (t_precheck_trans()) { t_check_trans(); exit; }
	t_check_trans();
	if (is_method("REGISTER")) { if (!save("location")) { sl_reply_error(); } exit; }
	if (is_method("INVITE|SUBSCRIBE|REFER")) { record_route(); }
	if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
	if (!t_relay()) { sl_reply_error(); }
	exit;
}
`

type kamailio struct {
	*process
	port int
}

func startKamailio(t *testing.T) *kamailio {
	t.Helper()
	dir := t.TempDir()
	k := &kamailio{port: portBlock(t, 1)}
	cfg := filepath.Join(dir, "kamailio.cfg")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(kamailioConfig, k.port)), 0o644); err != nil {
		t.Fatal(err)
	}
	k.process = startProcess(t, "kamailio", dir, "-f", cfg, "-DD", "-E", "-Y", dir, "-m", "64", "-M", "8")
	k.out.waitLine(t, "kamailio", "SO_RCVBUF is finally", 10*time.Second, k.done)
	return k
}

func (k *kamailio) aor(user string) string { return fmt.Sprintf("sip:%s@127.0.0.1:%d", user, k.port) }

func TestKamailioRegistrarAndProxy(t *testing.T) {
	requirePeers(t, "kamailio", "baresip")
	bobRMS := audio.RMSdBFS(audio.SineWave(8000, 440, peerToneAmplitude, time.Second))
	for _, v := range []struct {
		name, transport string
		proxy           bool // the account's domain is not kamailio: reach it as outbound proxy
	}{{"udp", TransportUDP, false}, {"tcp", TransportTCP, false}, {"outbound proxy", TransportUDP, true}} {
		tr := v.transport
		t.Run(v.name, func(t *testing.T) {
			// Not parallel: these measure real-time audio gaps, and three
			// peers at once on two cores starve each other's audio threads.
			k := startKamailio(t)
			bob := startBaresip(t, "bob", toneWAV(t, 440, peerToneAmplitude, 60*time.Second),
				fmt.Sprintf("<%s>;regint=60;answermode=auto;audio_codecs=PCMU", k.aor("bob")))
			bob.out.waitLine(t, "baresip", "200 OK", 10*time.Second, bob.done)
			rig := newAudioRig(t, 1000)
			agent := newTestPhone(t, "agent", tr, func(c *Config) {
				c.URI = k.aor("agent")
				if v.proxy {
					c.URI = "sip:agent@agentbar.invalid"
					c.Proxy = fmt.Sprintf("sip:127.0.0.1:%d", k.port)
				}
				c.Register = true
				c.NewPort = rig.newPort
			})
			agent.ev.wait("Registered", isReg(Registered))

			// agentbar -> kamailio -> baresip, with hold and resume through the proxy.
			call, err := agent.Dial(ctxT(t), "bob")
			if err != nil {
				t.Fatalf("Dial bob via kamailio: %v\n%s", err, k.out)
			}
			rig.listen(t, 500*time.Millisecond)
			checkTone(t, "agentbar via kamailio", rig.listen(t, 3*time.Second), 440, bobRMS)
			if err := call.Hold(ctxT(t)); err != nil {
				t.Fatalf("Hold via kamailio: %v", err)
			}
			if err := call.Resume(ctxT(t)); err != nil {
				t.Fatalf("Resume via kamailio: %v", err)
			}
			rig.listen(t, 500*time.Millisecond)
			checkTone(t, "agentbar after resume", rig.listen(t, 2*time.Second), 440, bobRMS)
			if err := call.Hangup(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			bob.out.waitLine(t, "baresip", "terminated", 5*time.Second, bob.done)
			checkTone(t, "baresip via kamailio", trim(bob.recording(t), 8000, time.Second, 500*time.Millisecond), 1000, rig.sentRMS)

			// baresip -> kamailio -> agentbar.
			bob.command(t, "dial", k.aor("agent"))
			in := agent.nextIncoming()
			if err := in.Call.Answer(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			rig.listen(t, 500*time.Millisecond)
			checkTone(t, "agentbar called via kamailio", rig.listen(t, 2*time.Second), 440, bobRMS)
			bob.command(t, "hangup", "")
			if e := agent.ev.waitState(in.Call.ID(), Ended); !errors.Is(e.Reason, ErrRemoteHangup) {
				t.Fatalf("ended with %v", e.Reason)
			}
		})
	}
}
