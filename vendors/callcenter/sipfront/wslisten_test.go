package sipfront

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// The WebSocket listener hands sipgo only connections whose upgrade
// request has arrived, replays that request, reports each closing once,
// and drops connections that stall or speak something else.
func TestWSListenerHandshake(t *testing.T) {
	const upgrade = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n"
	serverTLS, _ := testTLS(t)
	tests := []struct {
		name     string
		tls      bool
		send     string // "" = say nothing
		accepted bool
	}{
		{"upgrade request", false, upgrade, true},
		{"upgrade request over TLS", true, upgrade, true},
		{"stalled client", false, "", false},
		{"stalled TLS client", true, "", false},
		{"not HTTP", false, "REGISTER sip:x SIP/2.0\r\n\r\n", false},
		{"endless head", false, "GET / HTTP/1.1\r\n" + string(bytes.Repeat([]byte("X-Pad: aaaaaaaaaaaaaaaa\r\n"), 1000)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			closed := make(chan string, 2)
			var cfg *tls.Config
			if tt.tls {
				cfg = serverTLS
			}
			l, err := listenWS(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, "ws", cfg, 300*time.Millisecond,
				func(network, raddr string) { closed <- network + " " + raddr })
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			raw, err := net.Dial("tcp", l.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			client := raw
			if tt.tls && tt.send != "" {
				tc := tls.Client(raw, &tls.Config{InsecureSkipVerify: true})
				if err := tc.Handshake(); err != nil {
					t.Fatal(err)
				}
				client = tc
			}
			if tt.send != "" {
				go func() { _, _ = client.Write([]byte(tt.send)) }()
			}
			accepted := make(chan net.Conn, 1)
			go func() {
				if c, err := l.Accept(); err == nil {
					accepted <- c
				}
			}()
			if !tt.accepted {
				// The listener closes it: the client reads EOF (or a reset).
				_ = raw.SetReadDeadline(time.Now().Add(5 * time.Second))
				var ne net.Error
				if _, err := io.ReadAll(raw); errors.As(err, &ne) && ne.Timeout() {
					t.Fatal("connection left open")
				}
				select {
				case <-accepted:
					t.Fatal("a bad connection was handed over")
				default:
				}
				return
			}
			var c net.Conn
			select {
			case c = <-accepted:
			case <-time.After(5 * time.Second):
				t.Fatal("nothing accepted")
			}
			head := make([]byte, len(upgrade))
			if _, err := io.ReadFull(c, head); err != nil || string(head) != upgrade {
				t.Fatalf("replayed %q, %v", head, err)
			}
			c.Close()
			c.Close()
			if got, want := <-closed, "ws "+raw.LocalAddr().String(); got != want {
				t.Errorf("closing reported as %q, want %q", got, want)
			}
			select {
			case again := <-closed:
				t.Errorf("closing reported twice (%s)", again)
			default:
			}
		})
	}
}

func TestRequestHeadComplete(t *testing.T) {
	tests := []struct {
		in            string
		complete, bad bool
	}{
		{"", false, false},
		{"GE", false, false},
		{"GET / HTTP/1.1\r\n", false, false},
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", true, false},
		{"POST / HTTP/1.1\r\n\r\n", false, true},
		{"\x16\x03\x01", false, true}, // a TLS hello on the plain port
	}
	for _, tt := range tests {
		complete, bad := requestHeadComplete([]byte(tt.in))
		if complete != tt.complete || bad != tt.bad {
			t.Errorf("%q: complete %v bad %v, want %v %v", tt.in, complete, bad, tt.complete, tt.bad)
		}
	}
}

func FuzzRequestHeadComplete(f *testing.F) {
	f.Add([]byte("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Add([]byte("GET"))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		complete, bad := requestHeadComplete(b)
		if complete && bad {
			t.Fatal("complete and bad at once")
		}
		if complete != (!bad && bytes.Contains(b, []byte("\r\n\r\n"))) {
			t.Fatalf("complete %v for %q", complete, b)
		}
	})
}
