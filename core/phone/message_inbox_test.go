package phone

import (
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

// inboxNext runs next with a bound, for the unit tests below.
func inboxNext(t *testing.T, b *messageInbox) *inboxItem {
	t.Helper()
	stop := make(chan struct{})
	timer := time.AfterFunc(waitTimeout, func() { close(stop) })
	defer timer.Stop()
	it, ok := b.next(stop)
	if !ok {
		t.Fatal("inbox: nothing came out")
	}
	return it
}

func fakeMessage(i int) *sip.Request {
	return sip.NewRequest(sip.MESSAGE, sip.Uri{Scheme: "sip", User: itoa(i), Host: "127.0.0.1"})
}

// The inbox's corner cases, driven by hand: who comes first, who never
// comes, who comes late.
func TestMessageInbox(t *testing.T) {
	var tx sip.ServerTransaction // never touched by the inbox

	t.Run("read order whatever order the handlers attach in", func(t *testing.T) {
		b := newMessageInbox()
		reqs := []*sip.Request{fakeMessage(0), fakeMessage(1), fakeMessage(2)}
		for _, r := range reqs {
			b.arrived(r)
		}
		for _, i := range []int{2, 0, 1} {
			if _, ok := b.attach(reqs[i], tx); !ok {
				t.Fatal("refused")
			}
		}
		for i := range reqs {
			if it := inboxNext(t, b); it.req != reqs[i] {
				t.Fatalf("item %d is %s", i, it.req.Recipient.User)
			}
		}
	})

	t.Run("handler before the read hook", func(t *testing.T) {
		b := newMessageInbox()
		first, second := fakeMessage(0), fakeMessage(1)
		b.arrived(first)
		b.attach(second, tx) // its goroutine ran before the hook saw it
		b.arrived(second)
		b.attach(first, tx)
		if inboxNext(t, b).req != first || inboxNext(t, b).req != second {
			t.Fatal("out of order")
		}
		if len(b.queue) != 0 || len(b.items) != 0 {
			t.Fatalf("left behind: %d queued, %d items", len(b.queue), len(b.items))
		}
	})

	t.Run("one that never gets a handler is given up", func(t *testing.T) {
		b := newMessageInbox()
		b.gapWait = 50 * time.Millisecond
		ghost, real := fakeMessage(0), fakeMessage(1)
		b.arrived(ghost) // a retransmission sipgo absorbed
		b.arrived(real)
		b.attach(real, tx)
		start := time.Now()
		if it := inboxNext(t, b); it.req != real {
			t.Fatal("the ghost came out")
		}
		if waited := time.Since(start); waited < 40*time.Millisecond {
			t.Fatalf("gave up the head after %v, want gapWait", waited)
		}
		// Its handler comes after all: it goes to the back, not lost.
		late := fakeMessage(2)
		b.arrived(late)
		b.attach(late, tx)
		b.attach(ghost, tx)
		if inboxNext(t, b).req != late || inboxNext(t, b).req != ghost {
			t.Fatal("the late one is not behind the others")
		}
	})

	t.Run("withdraw", func(t *testing.T) {
		b := newMessageInbox()
		r := fakeMessage(0)
		b.arrived(r)
		it, _ := b.attach(r, tx)
		if !b.withdraw(it) || b.withdraw(it) {
			t.Fatal("withdraw: want true once, then false")
		}
		stop := make(chan struct{})
		close(stop)
		if _, ok := b.next(stop); ok {
			t.Fatal("a withdrawn item came out")
		}
	})

	t.Run("backlog bound", func(t *testing.T) {
		b := newMessageInbox()
		for i := range maxQueuedMessages {
			if _, ok := b.attach(fakeMessage(i), tx); !ok {
				t.Fatalf("item %d refused", i)
			}
		}
		over := fakeMessage(maxQueuedMessages)
		b.arrived(over)
		if _, ok := b.attach(over, tx); ok {
			t.Fatal("the one over the bound was queued")
		}
		if _, queued := b.items[over]; queued || len(b.queue) != maxQueuedMessages {
			t.Fatalf("the refused one stays: %d queued", len(b.queue))
		}
	})
}

// FuzzIncomingMessage feeds whatever a peer may send as a MESSAGE through
// the screening and what OnMessage is given: no panics, nothing above
// MaxMessageBody through, every header found as sipgo reads it.
func FuzzIncomingMessage(f *testing.F) {
	for _, s := range []string{
		"MESSAGE sip:alice@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:pbx@x>;tag=1\r\nTo: <sip:alice@x>\r\nCall-ID: 1\r\nCSeq: 1 MESSAGE\r\nContent-Type: application/emicnet-event+json\r\nX-Emic-CcNumber: 42\r\nContent-Length: 2\r\n\r\n{}",
		"MESSAGE sip:alice@127.0.0.1 SIP/2.0\r\nf: <sip:pbx@x>;tag=1\r\nt: <sip:alice@x>;tag=2\r\ni: 1\r\nCSeq: 1 MESSAGE\r\nl: 0\r\n\r\n",
		"MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5\r\n\r\nhello",
	} {
		f.Add([]byte(s))
	}
	p, err := New(Config{URI: "sip:alice@127.0.0.1", OnMessage: func(Message) int { return 200 }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := sip.ParseMessage(data)
		if err != nil {
			return
		}
		req, ok := msg.(*sip.Request)
		if !ok {
			return
		}
		code := p.screenMessage(req)
		if code != 0 && (code < 400 || code > 499) {
			t.Fatalf("screened with %d", code)
		}
		m := newMessage(req)
		if code == 0 && len(m.Body) > MaxMessageBody {
			t.Fatalf("a %d-byte body let through", len(m.Body))
		}
		for _, h := range req.Headers() {
			if got, want := m.Header(h.Name()), req.GetHeader(h.Name()).Value(); got != want {
				t.Fatalf("Header(%q) = %q, the request has %q", h.Name(), got, want)
			}
		}
	})
}
