package sip

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"agentbar/core"
)

// sendRawMessage sends a hand-written MESSAGE over UDP (as a PBX would) and
// returns the status line of the answer.
func sendRawMessage(t *testing.T, to *side, contentType, body string, extra ...string) string {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	me := c.LocalAddr().String()
	req := fmt.Sprintf("MESSAGE %s SIP/2.0\r\n"+
		"Via: SIP/2.0/UDP %s;branch=z9hG4bK%d;rport\r\n"+
		"Max-Forwards: 70\r\n"+
		"From: <sip:pbx@127.0.0.1>;tag=t%d\r\n"+
		"To: <%s>\r\n"+
		"Call-ID: msg-%d@127.0.0.1\r\n"+
		"CSeq: 1 MESSAGE\r\n"+
		"%s"+
		"Content-Type: %s\r\n"+
		"Content-Length: %d\r\n\r\n%s",
		to.uri("bob"), me, time.Now().UnixNano(), time.Now().UnixNano(), to.uri("bob"), time.Now().UnixNano(),
		strings.Join(extra, ""), contentType, len(body), body)
	dst, _ := net.ResolveUDPAddr("udp4", fmt.Sprintf("127.0.0.1:%d", to.port))
	if _, err := c.WriteToUDP([]byte(req), dst); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 4096)
	n, _, err := c.ReadFromUDP(buf)
	if err != nil {
		t.Fatalf("no answer to MESSAGE: %v", err)
	}
	line, _, _ := strings.Cut(string(buf[:n]), "\r\n")
	return line
}

// TestTextMessageIsANotice: a PBX's text message is shown to the agent;
// other content is refused.
func TestTextMessageIsANotice(t *testing.T) {
	bob := newSide(t, "bob", 600, nil)
	if got := sendRawMessage(t, bob, "text/plain;charset=UTF-8", "今天 18:00 系统维护"); !strings.HasPrefix(got, "SIP/2.0 200") {
		t.Fatalf("text message answered %q", got)
	}
	ev := bob.waitEvent(func(ev core.Event) bool { _, ok := ev.(core.Notice); return ok }).(core.Notice)
	if ev.Text != "pbx：今天 18:00 系统维护" {
		t.Errorf("notice %q", ev.Text)
	}
	if got := sendRawMessage(t, bob, "application/json", `{"x":1}`); !strings.HasPrefix(got, "SIP/2.0 415") {
		t.Errorf("json message answered %q", got)
	}
}

// TestLoggedInElsewhereMessageSignsOut: a MESSAGE whose Reason says the seat
// went to another sign-in signs the agent out with that reason and offers
// to sign in again (no automatic sign-in follows).
func TestLoggedInElsewhereMessageSignsOut(t *testing.T) {
	bob := newSide(t, "bob", 600, nil)
	got := sendRawMessage(t, bob, "text/plain", "您的账号已在其他地方登录", "Reason: SIP;cause=403;text=\"Logged In Elsewhere\"\r\n")
	if !strings.HasPrefix(got, "SIP/2.0 200") {
		t.Fatalf("kick answered %q", got)
	}
	ev := bob.waitEvent(func(ev core.Event) bool { _, ok := ev.(core.LoggedOut); return ok }).(core.LoggedOut)
	if !ev.Kicked || !ev.CanRelogin || !strings.Contains(core.Sentence(ev.Err, "zh"), "其他设备") {
		t.Fatalf("signed out with %+v (%s)", ev, core.Sentence(ev.Err, "zh"))
	}
}

// waitEvent returns the first event that matches.
func (s *side) waitEvent(match func(core.Event) bool) core.Event {
	s.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-s.sub.C:
			if match(ev) {
				return ev
			}
		case <-deadline:
			s.t.Fatal("the expected event did not come")
		}
	}
}
