package phone

import "github.com/emiago/sipgo/sip"

// MaxMessageBody bounds the body of a MESSAGE, both ways: a larger one that
// arrives is answered 413 without reaching Config.OnMessage, SendMessage
// refuses to send one (ErrMessageTooLarge). sipgo itself never delivers a
// message above 64 KiB on a stream or 32 KiB in a datagram (it drops them
// unanswered), so the bound sits below both to be the one that answers.
const MaxMessageBody = 16 << 10

// maxQueuedMessages is how many MESSAGEs may wait for Config.OnMessage;
// beyond that a flood is answered 503 at once.
const maxQueuedMessages = 256

// Message is a MESSAGE request (RFC 3428) that reached the phone, for
// Config.OnMessage.
type Message struct {
	From        string // the sender's URI, without parameters, e.g. sip:pbx@02566699734
	To          string // the URI it was addressed to, without parameters
	ContentType string // the Content-Type header as sent, "" when absent
	Body        []byte // at most MaxMessageBody bytes
	CallID      string // its Call-ID
	CSeq        uint32 // its CSeq number
	Source      string // host:port it came from (over WebSocket, the server's socket)
	// Header returns any header of the request by name (any case), the
	// first when repeated, "" when absent.
	Header func(name string) string
}

// MessageResult is the final response to SendMessage. A non-2xx answer is
// not an error: Code says what the server made of the MESSAGE.
type MessageResult struct {
	Code        int    // SIP status, e.g. 200
	Reason      string // reason phrase as received
	ContentType string // the response's Content-Type, "" when absent
	Body        []byte
	// Header returns any header of the response by name (any case), the
	// first when repeated, "" when absent. Never nil once SendMessage has
	// returned without error.
	Header func(name string) string
}

// newMessage is what OnMessage sees of req.
func newMessage(req *sip.Request) Message {
	headers := snapshotHeaders(req)
	m := Message{
		Body:   req.Body(),
		Source: req.Source(),
		Header: headers.get,
	}
	if from := req.From(); from != nil {
		m.From = addressOnly(from.Address)
	}
	if to := req.To(); to != nil {
		m.To = addressOnly(to.Address)
	}
	if ct := req.ContentType(); ct != nil {
		m.ContentType = ct.Value()
	}
	if id := req.CallID(); id != nil {
		m.CallID = string(*id)
	}
	if cseq := req.CSeq(); cseq != nil {
		m.CSeq = cseq.SeqNo
	}
	return m
}

// onMessage is sipgo's handler of MESSAGE (only when Config.OnMessage is
// set). It hands the request to the inbox, which puts it back in the order
// it was read, and waits for the answer: sipgo ends the transaction when
// this returns.
func (p *Phone) onMessage(req *sip.Request, tx sip.ServerTransaction) {
	item, accepted := p.inbox.attach(req, tx)
	if !accepted {
		p.respond(tx, req, 503, reasonPhrase(503), nil, sip.NewHeader("Retry-After", "1"))
		p.log.Warn("MESSAGE refused: too many waiting", "from", req.Source())
		return
	}
	select {
	case <-item.done:
	case <-p.life.Done():
		if p.inbox.withdraw(item) {
			p.respond(tx, req, 480, reasonPhrase(480), nil)
			return
		}
		<-item.done // being answered right now
	}
}

// deliverMessages runs the inbox: each MESSAGE, in the order read, is
// screened, given to Config.OnMessage and answered. Runs until done is
// closed.
func (p *Phone) deliverMessages(done <-chan struct{}) {
	for {
		item, ok := p.inbox.next(done)
		if !ok {
			return
		}
		p.answerMessage(item.req, item.tx)
		close(item.done)
	}
}

func (p *Phone) answerMessage(req *sip.Request, tx sip.ServerTransaction) {
	code := p.screenMessage(req)
	if code == 0 {
		code = p.cfg.OnMessage(newMessage(req))
		if code < 200 || code > 699 {
			p.log.Warn("OnMessage returned a status that is not final; answering 500", "status", code)
			code = 500
		}
	}
	p.respond(tx, req, code, reasonPhrase(code), nil, sip.NewHeader("User-Agent", p.cfg.UserAgent))
}

// screenMessage is the answer to a MESSAGE that must not reach OnMessage,
// 0 for one that may.
func (p *Phone) screenMessage(req *sip.Request) int {
	if req.From() == nil || req.To() == nil || req.CallID() == nil || req.CSeq() == nil {
		return 400
	}
	if len(req.Body()) > MaxMessageBody {
		p.log.Info("MESSAGE refused: body too large", "bytes", len(req.Body()), "from", req.Source())
		return 413
	}
	if cl := req.ContentLength(); cl != nil && int(*cl) != len(req.Body()) {
		return 400
	}
	if req.To().Params.Has("tag") && p.callFor(req) == nil {
		return 481 // inside a dialog we do not have
	}
	return 0
}
