package udesksim

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.uber.org/goleak"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// clock is a settable time for token tests.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func startFront(t *testing.T, o Options) (*Front, *fakeCenter) {
	t.Helper()
	fc := newFakeCenter()
	if o.AppSecret == "" {
		o.AppSecret = "secret"
	}
	f, err := New(fc, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Error(err)
		}
		fc.cc.Close()
	})
	return f, fc
}

func TestNewNeedsASecret(t *testing.T) {
	if _, err := New(newFakeCenter(), Options{}); err == nil {
		t.Fatal("a front without AppSecret")
	}
}

func TestTokens(t *testing.T) {
	c := &clock{now: time.Unix(1_700_000_000, 0)}
	f, _ := startFront(t, Options{AppId: "app", Now: c.Now, TokenTTL: time.Minute})
	ts := strconv.FormatInt(c.now.Unix(), 10)
	good := f.sign("8001", ts)
	cases := []struct {
		name                  string
		app, agent, ts, token string
		advance               time.Duration
		want                  wire.FlexString
	}{
		{"good", "app", "8001", ts, good, 0, wire.CodeOK},
		{"other app", "x", "8001", ts, good, 0, wire.CodeTokenInvalid},
		{"other agent", "app", "8002", ts, good, 0, wire.CodeTokenInvalid},
		{"forged", "app", "8001", ts, "00" + good[2:], 0, wire.CodeTokenInvalid},
		{"bad timestamp", "app", "8001", "soon", f.sign("8001", "soon"), 0, wire.CodeTokenInvalid},
		{"too old", "app", "8001", ts, good, 2 * time.Minute, wire.CodeTokenExpired},
	}
	for _, k := range cases {
		t.Run(k.name, func(t *testing.T) {
			c.now = time.Unix(1_700_000_000, 0).Add(k.advance)
			if got := f.checkToken(k.app, k.agent, k.ts, k.token); got != k.want {
				t.Fatalf("code %s, want %s", got, k.want)
			}
		})
	}
	c.now = time.Unix(1_700_000_000, 0)
	f.onFault(callcenter.ExpireToken{Agent: "8001"})
	if got := f.checkToken("app", "8001", ts, good); got != wire.CodeTokenExpired {
		t.Fatalf("after a forced expiry: %s", got)
	}
}

func get(t *testing.T, url string, header map[string]string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestTokenBackend(t *testing.T) {
	f, _ := startFront(t, Options{AppId: "app", RequireKey: true})
	defer http.DefaultClient.CloseIdleConnections()
	if code, _ := get(t, f.TokenURL()+"?appId=app&agentId=8001", nil); code != http.StatusUnauthorized {
		t.Fatalf("no key: %d", code)
	}
	if code, _ := get(t, f.TokenURL()+"?appId=nope&agentId=8001", nil); code != http.StatusNotFound {
		t.Fatalf("unknown app: %d", code)
	}
	code, body := get(t, f.TokenURL()+"?appId=app&agentId=8001", map[string]string{"Authorization": "Bearer pw"})
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	tok, err := wire.DecodeToken(body)
	if err != nil || f.checkToken(string(tok.AppId), "8001", string(tok.Timestamp), tok.Token) != wire.CodeOK {
		t.Fatalf("%+v %v", tok, err)
	}
}

func TestQueriesOverHTTP(t *testing.T) {
	f, _ := startFront(t, Options{AppId: "app"})
	defer http.DefaultClient.CloseIdleConnections()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	post := func(method, token string) (int, wire.Envelope) {
		req, _ := http.NewRequest(http.MethodPost, f.HttpDomain()+"/"+method, strings.NewReader("{}"))
		req.Header.Set(wire.HeaderAppId, "app")
		req.Header.Set(wire.HeaderAgentId, "8001")
		req.Header.Set(wire.HeaderTimestamp, ts)
		req.Header.Set(wire.HeaderToken, token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		env, err := wire.DecodeEnvelope(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		return resp.StatusCode, env
	}
	if code, env := post(wire.MethodGetPhoneModes, f.sign("8001", ts)); code != 200 || !env.OK() {
		t.Fatalf("%d %+v", code, env)
	}
	if code, env := post(wire.MethodGetPhoneModes, "bad"); code != 401 || env.Code != wire.CodeTokenInvalid {
		t.Fatalf("%d %+v", code, env)
	}
	if code, env := post(wire.MethodHold, f.sign("8001", ts)); code != 404 || env.Code != wire.CodeUnknownMethod {
		t.Fatalf("a command over HTTP: %d %+v", code, env)
	}
}

// dial opens a raw socket to the front.
func dial(t *testing.T, f *Front) *websocket.Conn {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(f.Domain(), nil)
	if resp != nil {
		resp.Body.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func send(t *testing.T, ws *websocket.Conn, id int64, method string, params any) {
	t.Helper()
	b, _ := json.Marshal(params)
	if params == nil {
		b = nil
	}
	if err := ws.WriteJSON(wire.Request{Id: id, Method: method, Params: b}); err != nil {
		t.Fatal(err)
	}
}

// replyTo reads frames until the reply to id (events are skipped).
func replyTo(t *testing.T, ws *websocket.Conn, id int64) wire.ServerFrame {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		f, err := wire.DecodeServerFrame(b)
		if err != nil {
			t.Fatal(err)
		}
		if f.Id == id {
			return f
		}
	}
}

func TestSocketSignIn(t *testing.T) {
	f, fc := startFront(t, Options{AppId: "app"})
	ws := dial(t, f)
	send(t, ws, 1, wire.MethodGetPhoneModes, nil)
	if r := replyTo(t, ws, 1); r.Code != wire.CodeNotConnected {
		t.Fatalf("before ConnectAsync: %+v", r)
	}
	// Garbage and unknown methods do not end the socket.
	if err := ws.WriteMessage(websocket.TextMessage, []byte("{nope")); err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	send(t, ws, 2, wire.MethodConnect, wire.ConnectParams{AppId: "app", AgentId: "8001", Timestamp: ts, Token: "forged"})
	if r := replyTo(t, ws, 2); r.Code != wire.CodeTokenInvalid {
		t.Fatalf("forged token: %+v", r)
	}
	send(t, ws, 3, wire.MethodConnect, wire.ConnectParams{AppId: "app", AgentId: "8001", Timestamp: ts, Token: f.sign("8001", ts)})
	if r := replyTo(t, ws, 3); !r.OK() {
		t.Fatalf("connect: %+v", r)
	}
	if got := fc.took(); got != "SignIn(8001); SetAgentDevice(8001,front,)" {
		t.Fatalf("center asked %q", got)
	}
	send(t, ws, 4, "DanceAsync", nil)
	if r := replyTo(t, ws, 4); r.Code != wire.CodeUnknownMethod {
		t.Fatalf("unknown method: %+v", r)
	}
	// A second socket of the same agent closes the first with 4001.
	ws2 := dial(t, f)
	send(t, ws2, 1, wire.MethodConnect, wire.ConnectParams{AppId: "app", AgentId: "8001", Timestamp: ts, Token: f.sign("8001", ts)})
	if r := replyTo(t, ws2, 1); !r.OK() {
		t.Fatalf("second connect: %+v", r)
	}
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue
		}
		if !websocket.IsCloseError(err, wire.CloseElsewhere) {
			t.Fatalf("first socket ended with %v, want close 4001", err)
		}
		break
	}
	if err := f.Inject("8001", []byte(`{"Event":"Probe","Code":"0000"}`)); err != nil {
		t.Fatal(err)
	}
	if err := f.Inject("8009", nil); err == nil {
		t.Fatal("inject to nobody")
	}
}
