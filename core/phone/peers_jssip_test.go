package phone

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"agentbar/audio"
	"agentbar/core/webrtc"
)

// JsSIP in headless Chromium with a fake microphone: the browser phone bars
// agentbar replaces speak exactly this. The page (testdata/webrtc/phone.html,
// from rig/web) reports what the browser hears; JsSIP's browser bundle is
// built at test time with npm and esbuild, into a temporary folder.

// buildJsSIP installs jssip and esbuild into dir and bundles JsSIP for the
// browser (the npm tarball ships none).
func buildJsSIP(t *testing.T, dir string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for _, args := range [][]string{
		{"npm", "install", "--silent", "--no-audit", "--no-fund", "--no-save", "jssip@3", "esbuild@0.23"},
		{"npx", "--no-install", "esbuild", "node_modules/jssip/lib/JsSIP.js", "--bundle", "--minify", "--format=iife", "--global-name=JsSIP", "--outfile=jssip.min.js"},
	} {
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("cannot build JsSIP's bundle (%s: %v); is the npm registry reachable?\n%s", strings.Join(args[:2], " "), err, out)
		}
	}
}

// webPeer serves the page and JsSIP, and collects what the page reports.
type webPeer struct {
	dir string
	log *lineLog
	url string
}

func startWebPeer(t *testing.T) *webPeer {
	t.Helper()
	w := &webPeer{dir: t.TempDir(), log: &lineLog{changed: make(chan struct{})}}
	page, err := os.ReadFile(filepath.Join("testdata", "webrtc", "phone.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.dir, "phone.html"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	buildJsSIP(t, w.dir)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /log", func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.log.consume(strings.NewReader(string(b) + "\n"))
	})
	mux.Handle("GET /", http.FileServer(http.Dir(w.dir)))
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	w.url = "http://" + ln.Addr().String() + "/phone.html"
	return w
}

// browser is one headless Chromium on the page with query, its microphone
// a WAV file.
type browser struct {
	*process
	page *webPeer
}

func (w *webPeer) open(t *testing.T, query, micWAV string) *browser {
	t.Helper()
	profile := t.TempDir()
	// The flags of rig/web/chrome.sh: loopback candidates, no mDNS hiding,
	// no background networking.
	b := &browser{page: w, process: startProcess(t, "chromium", profile,
		"--headless=new", "--no-sandbox", "--user-data-dir="+profile,
		"--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--use-file-for-fake-audio-capture="+micWAV,
		"--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
		"--autoplay-policy=no-user-gesture-required", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-default-apps", "--proxy-server=http://127.0.0.1:9",
		"--enable-logging=stderr", "--v=0", w.url+"?"+query)}
	return b
}

// waitMatch waits for a page report, from line from on, that match accepts;
// it returns the line's index.
func (l *lineLog) waitMatch(t *testing.T, what string, from int, within time.Duration, match func(string) bool) int {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		for i := from; i < len(l.lines); i++ {
			if match(l.lines[i]) {
				l.mu.Unlock()
				return i
			}
		}
		changed := l.changed
		l.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("the page reported no %s within %v:\n%s", what, within, l)
		}
	}
}

func (l *lineLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

// peak reads "remote peak Hz 1001.9 dB -23.5".
func peak(line string) (hz, db float64, ok bool) {
	f := strings.Fields(line)
	if len(f) != 6 || f[0] != "remote" || f[1] != "peak" {
		return 0, 0, false
	}
	hz, err1 := strconv.ParseFloat(f[3], 64)
	db, err2 := strconv.ParseFloat(f[5], 64)
	return hz, db, err1 == nil && err2 == nil
}

// hears waits until the browser reports freq (±1 %, well above the noise)
// three times in a row, from line from on.
func (l *lineLog) hears(t *testing.T, freq float64, from int) {
	t.Helper()
	run := 0
	i := l.waitMatch(t, fmt.Sprintf("%.0f Hz three times in a row", freq), from, 15*time.Second, func(line string) bool {
		hz, db, ok := peak(line)
		if !ok {
			return false
		}
		if math.Abs(hz-freq)/freq <= 0.01 && db > -60 {
			run++
		} else {
			run = 0
		}
		return run == 3
	})
	l.mu.Lock()
	t.Logf("the browser reports %q (want %.0f Hz ±1 %%)", l.lines[i], freq)
	l.mu.Unlock()
}

// hearsNothing waits for a report of silence (the call held).
func (l *lineLog) hearsNothing(t *testing.T, from int) {
	t.Helper()
	l.waitMatch(t, "silence", from, 15*time.Second, func(line string) bool {
		_, db, ok := peak(line)
		return ok && db < -90
	})
}

func requireBrowser(t *testing.T) {
	t.Helper()
	requirePeers(t, "kamailio", "rtpengine", "chromium", "node", "npm")
}

// agentbar and JsSIP in Chromium through Kamailio (WebSocket both; the
// media goes straight between them, ICE + DTLS-SRTP + Opus): both call
// directions, audio both ways measured, hold and resume from each side,
// DTMF from the browser.
func TestJsSIPInChromium(t *testing.T) {
	requireBrowser(t)
	rtpe := startRTPEngine(t)
	k := startKamailioWS(t, rtpe.ng, 180*time.Second)
	web := startWebPeer(t)
	mic := toneWAVAt(t, 2000, peerToneAmplitude, 60*time.Second, 48000)
	browserRMS := rmsOf(2000)
	agent, rig := wsAgent(t, k, "agent", 1000, nil, nil)
	ws := "ws=" + k.url()

	t.Run("the browser calls agentbar", func(t *testing.T) {
		b := web.open(t, ws+"&user=dave&call=sip:agent@127.0.0.1&dtmf=42&hold=2500", mic)
		in := agent.nextIncoming()
		started := time.Now()
		if err := in.Call.Answer(ctxT(t)); err != nil {
			t.Fatalf("Answer: %v\n%s", err, b.page.log)
		}
		select {
		case <-in.Call.FirstPacket():
			t.Logf("answer to first audio from the browser: %v", time.Since(started))
		case <-time.After(waitTimeout):
			t.Fatalf("no audio from the browser\n%s", b.page.log)
		}
		if c := in.Call.rtcCodec(); c != "opus" {
			t.Errorf("codec %q, want opus", c)
		}
		rig.listen(t, 500*time.Millisecond)
		checkTone(t, "agentbar hears the browser", rig.listen(t, time.Second), 2000, browserRMS)
		web.log.hears(t, 1000, 0)
		// DTMF from JsSIP (RFC 4733 through RTCDTMFSender).
		for i, want := range "42" {
			got := agent.ev.waitN(i+1, "digit from the browser", func(e Event) bool { _, ok := e.(DTMFReceived); return ok }).(DTMFReceived)
			if got.Digit != want {
				t.Errorf("digit %d from the browser: %q, want %q", i, got.Digit, want)
			}
		}
		// JsSIP holds (sendonly) and resumes.
		agent.ev.waitState(in.Call.ID(), RemoteHeld)
		agent.ev.waitN(2, "the browser resumes", func(e Event) bool {
			s, ok := e.(CallStateChanged)
			return ok && s.Call == in.Call && s.State == Talking
		})
		// agentbar holds and resumes.
		if err := in.Call.Hold(ctxT(t)); err != nil {
			t.Fatalf("Hold: %v", err)
		}
		web.log.hearsNothing(t, web.log.count())
		if err := in.Call.Resume(ctxT(t)); err != nil {
			t.Fatalf("Resume: %v", err)
		}
		web.log.hears(t, 1000, web.log.count())
		rig.listen(t, 500*time.Millisecond)
		checkTone(t, "agentbar after resume", rig.listen(t, time.Second), 2000, browserRMS)
		if err := in.Call.Hangup(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		web.log.waitMatch(t, "the call ended", 0, 5*time.Second, func(l string) bool { return strings.HasPrefix(l, "ended") })
		b.stop(t)
	})

	t.Run("agentbar calls the browser", func(t *testing.T) {
		from := web.log.count()
		b := web.open(t, ws+"&user=erin", mic)
		web.log.waitMatch(t, "registration", from, 15*time.Second, func(l string) bool { return l == "registered" })
		call, err := agent.Dial(ctxT(t), "erin")
		if err != nil {
			t.Fatalf("Dial the browser: %v\n%s", err, web.log)
		}
		rig.listen(t, 500*time.Millisecond)
		checkTone(t, "agentbar hears the browser it called", rig.listen(t, time.Second), 2000, browserRMS)
		web.log.hears(t, 1000, from)
		if err := call.Hangup(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		web.log.waitMatch(t, "the call ended", from, 5*time.Second, func(l string) bool { return strings.HasPrefix(l, "ended") })
		b.stop(t)
	})

	// Media that cannot connect: a clear reason within 10 s, the call ended
	// on both sides (the page sees our BYE).
	for _, tt := range []struct {
		name          string
		local, remote func([]byte) []byte
		want          error
	}{
		// Neither side can reach the other (as behind two firewalls).
		{"ICE cannot connect", unreachableSDP, unreachableSDP, webrtc.ErrICEFailed},
		{"DTLS fingerprint mismatch", forgedFingerprint, nil, webrtc.ErrDTLSFailed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			broken, _ := wsAgent(t, k, "broken", 1000, nil, func(h *testHooks) {
				h.mangleLocalSDP, h.mangleRemoteSDP = tt.local, tt.remote
				h.rtcConnectTimeout = 8 * time.Second
			})
			from := web.log.count()
			b := web.open(t, ws+"&user=fred", mic)
			web.log.waitMatch(t, "registration", from, 15*time.Second, func(l string) bool { return l == "registered" })
			started := time.Now()
			call, err := broken.Dial(ctxT(t), "fred")
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			end := broken.ev.waitState(call.ID(), Ended)
			if took := time.Since(started); took > 10*time.Second {
				t.Errorf("ended after %v, want within 10 s", took)
			}
			if !errors.Is(end.Reason, tt.want) {
				t.Errorf("ended with %v, want %v", end.Reason, tt.want)
			}
			web.log.waitMatch(t, "the call ended", from, 5*time.Second, func(l string) bool {
				return strings.HasPrefix(l, "ended") || strings.HasPrefix(l, "failed")
			})
			b.stop(t)
		})
	}
}

func rmsOf(freq float64) float64 {
	return rmsDBFS(freq, peerToneAmplitude)
}

// rmsDBFS is the level of a sine of amplitude at 8 kHz.
func rmsDBFS(freq, amplitude float64) float64 {
	return audio.RMSdBFS(audio.SineWave(8000, freq, amplitude, time.Second))
}
