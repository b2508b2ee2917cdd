package phone

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"agentbar/audio"
)

// Tests against SIP programs nobody here wrote: baresip, SIPp (Debian
// sip-tester) and Kamailio. They run only with AGENTBAR_PEERS_IT=1 and skip,
// saying why, when a program is missing.

var peerPackages = map[string]string{"baresip": "baresip-core", "sipp": "sip-tester", "kamailio": "kamailio",
	"rtpengine": "rtpengine-daemon", "chromium": "chromium", "node": "nodejs", "npm": "npm"}

func requirePeers(t *testing.T, programs ...string) {
	t.Helper()
	if os.Getenv("AGENTBAR_PEERS_IT") != "1" {
		t.Skip("real-peer test: set AGENTBAR_PEERS_IT=1 to run it (needs baresip-core, sip-tester, kamailio)")
	}
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s is not installed: apt-get install %s", p, peerPackages[p])
		}
	}
}

// nextPortBlock hands out blocks below Linux's ephemeral range, so that
// ports the kernel picks for ":0" never collide with them.
var nextPortBlock atomic.Int32

// portBlock returns the first of n consecutive free UDP+TCP ports on 127.0.0.1.
func portBlock(t *testing.T, n int) int {
	t.Helper()
	for range 200 {
		// Add returns the end of the block it reserves.
		base := 20000 + (os.Getpid()%50)*200 + int(nextPortBlock.Add(int32(n))) - n
		if base+n > 32000 {
			break
		}
		if portsFree(base, n) {
			return base
		}
	}
	t.Fatal("no free port block")
	return 0
}

func portsFree(base, n int) bool {
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for p := base; p < base+n; p++ {
		u, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
		if err != nil {
			return false
		}
		closers = append(closers, u)
		l, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
		if err != nil {
			return false
		}
		closers = append(closers, l)
	}
	return true
}

// toneWAV writes d of a sine at freq (peak amplitude) as 8 kHz mono.
func toneWAV(t *testing.T, freq, amplitude float64, d time.Duration) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("tone%.0f.wav", freq))
	w := &audio.WAV{Format: audio.WAVFormat{SampleRate: 8000, Channels: 1}, Samples: audio.SineWave(8000, freq, amplitude, d)}
	if err := audio.WriteWAVFile(path, w); err != nil {
		t.Fatal(err)
	}
	return path
}

// process is a peer program under test, stopped at cleanup.
type process struct {
	name string
	cmd  *exec.Cmd
	out  *lineLog
	done chan struct{}
}

// lineLog keeps a program's output and lets a test wait for a line.
type lineLog struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{}
}

func (l *lineLog) consume(r io.Reader) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		l.mu.Lock()
		l.lines = append(l.lines, s.Text())
		close(l.changed)
		l.changed = make(chan struct{})
		l.mu.Unlock()
	}
}

func (l *lineLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// waitLine waits for a line containing s.
func (l *lineLog) waitLine(t *testing.T, name, s string, within time.Duration, exited <-chan struct{}) {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		for _, line := range l.lines {
			if strings.Contains(line, s) {
				l.mu.Unlock()
				return
			}
		}
		changed := l.changed
		l.mu.Unlock()
		select {
		case <-changed:
		case <-exited:
			t.Fatalf("%s exited before printing %q:\n%s", name, s, l)
		case <-deadline.C:
			t.Fatalf("%s did not print %q within %v:\n%s", name, s, within, l)
		}
	}
}

func startProcess(t *testing.T, name string, dir string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdin = nil
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &process{name: name, cmd: cmd, out: &lineLog{changed: make(chan struct{})}, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	consumed := make(chan struct{})
	go func() { defer close(consumed); p.out.consume(r) }()
	go func() {
		cmd.Wait()
		w.Close()
		<-consumed
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// stop ends the process (TERM, then KILL) and waits for it.
func (p *process) stop(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
		return
	case <-time.After(3 * time.Second):
	}
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// wait waits for the process to exit by itself and returns its exit code.
func (p *process) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(within):
		t.Fatalf("%s still running after %v:\n%s", p.name, within, p.out)
		return -1
	}
}

// baresip is a headless baresip: plays a WAV as its microphone, records
// what it hears (sndfile), auto-answers, ctrl_tcp for commands.
type baresip struct {
	*process
	dir      string
	user     string
	sipPort  int
	ctrlPort int
}

func startBaresip(t *testing.T, user, wav, account string) *baresip {
	t.Helper()
	return startBaresipWith(t, user, wav, account, 8000)
}

// startBaresipWith runs baresip with its sound at rate (8000, or 48000 for
// Opus, whose module it then loads).
func startBaresipWith(t *testing.T, user, wav, account string, rate int) *baresip {
	t.Helper()
	base := portBlock(t, 24) // SIP (and SIP/TLS at +1), ctrl, cons, 20 RTP ports
	b := &baresip{dir: t.TempDir(), user: user, sipPort: base, ctrlPort: base + 2}
	if err := os.MkdirAll(filepath.Join(b.dir, "rec"), 0o755); err != nil {
		t.Fatal(err)
	}
	codecModule := ""
	if rate == 48000 {
		codecModule = "module\t\t\topus.so"
	}
	config := fmt.Sprintf(`poll_method		epoll
net_interface		127.0.0.1
sip_listen		127.0.0.1:%[1]d
call_local_timeout	120
call_max_calls		4
audio_source		aufile,%[2]s
audio_player		alsa,null
audio_alert		alsa,null
ausrc_srate		%[8]d
ausrc_channels		1
auplay_srate		%[8]d
auplay_channels		1
audio_buffer		20-160
rtp_ports		%[3]d-%[4]d
jitter_buffer_delay	5-10
module_path		/usr/lib/baresip/modules
module			g711.so
%[9]s
module			aufile.so
module			alsa.so
module			sndfile.so
module_tmp		account.so
module_app		menu.so
module_app		ctrl_tcp.so
module			cons.so
ctrl_tcp_listen		127.0.0.1:%[5]d
cons_listen		127.0.0.1:%[6]d
snd_path		%[7]s
`, b.sipPort, wav, base+4, base+23, b.ctrlPort, base+3, filepath.Join(b.dir, "rec"), rate, codecModule)
	if account == "" {
		account = fmt.Sprintf("<sip:%s@127.0.0.1:%d>;regint=0;answermode=auto;audio_codecs=PCMU", user, b.sipPort)
	}
	for name, body := range map[string]string{"config": config, "accounts": account + "\n", "contacts": ""} {
		if err := os.WriteFile(filepath.Join(b.dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b.process = startProcess(t, "baresip", b.dir, "-4", "-f", b.dir)
	b.out.waitLine(t, "baresip", "baresip is ready", 10*time.Second, b.done)
	return b
}

func (b *baresip) uri() string { return fmt.Sprintf("sip:%s@127.0.0.1:%d", b.user, b.sipPort) }

// command sends one ctrl_tcp command (a JSON netstring) and returns the reply.
func (b *baresip) command(t *testing.T, command, params string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", b.ctrlPort), 5*time.Second)
	if err != nil {
		t.Fatalf("baresip ctrl: %v", err)
	}
	defer conn.Close()
	msg, _ := json.Marshal(map[string]string{"command": command, "params": params, "token": "t"})
	if _, err := fmt.Fprintf(conn, "%d:%s,", len(msg), msg); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	n := 0
	if _, err := fmt.Fscanf(r, "%d:", &n); err != nil {
		t.Fatalf("baresip ctrl reply: %v\n%s", err, b.out)
	}
	reply := make([]byte, n)
	if _, err := io.ReadFull(r, reply); err != nil {
		t.Fatal(err)
	}
	return string(reply)
}

// recording returns what baresip heard in its last call (sndfile *-dec.wav).
func (b *baresip) recording(t *testing.T) []int16 {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(b.dir, "rec", "*-dec.wav"))
	if len(files) == 0 {
		t.Fatalf("baresip recorded nothing in %s:\n%s", b.dir, b.out)
	}
	sort.Slice(files, func(i, j int) bool {
		a, _ := os.Stat(files[i])
		c, _ := os.Stat(files[j])
		return a.ModTime().Before(c.ModTime())
	})
	w, err := audio.ReadWAVFile(files[len(files)-1])
	if err != nil {
		t.Fatal(err)
	}
	return w.Mono()
}

// trim drops the first and last part of a recording (call set-up, jitter
// buffer fill, hang-up).
func trim(pcm []int16, rate int, head, tail time.Duration) []int16 {
	h, tl := int(head.Seconds()*float64(rate)), int(tail.Seconds()*float64(rate))
	if h+tl >= len(pcm) {
		return nil
	}
	return pcm[h : len(pcm)-tl]
}

var _ = context.Background
