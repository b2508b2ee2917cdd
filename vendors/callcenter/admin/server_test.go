package admin

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/vendors/callcenter"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newServer(t *testing.T) (*Server, *callcenter.Center, *callcenter.FakeClock) {
	t.Helper()
	clock := callcenter.NewFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	cfg := callcenter.DemoConfig("a", "s")
	cfg.Clock = clock
	cc, err := callcenter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(cc, Options{Fronts: func() any { return map[string]int{"bindings": 0} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
		cc.Close()
	})
	return s, cc, clock
}

func call(t *testing.T, s *Server, method, path, body string, header ...string) (int, map[string]any, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return res.StatusCode, m, string(raw)
}

func TestAdminEndpoint(t *testing.T) {
	s, cc, clock := newServer(t)
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"customer calls", "POST", "/admin/customer", `{"number":"13912345678","trunk":"02512345678","patience":"5s","voice":{"tone_hz":500}}`, 201},
		{"bad customer", "POST", "/admin/customer", `{"number":"abc"}`, 400},
		{"unknown field", "POST", "/admin/customer", `{"number":"1390000","colour":"red"}`, 400},
		{"trailing data", "POST", "/admin/customer", `{"number":"1390000"} {}`, 400},
		{"unknown trunk", "POST", "/admin/customer", `{"number":"1390000","trunk":"999"}`, 400},
		{"fault", "POST", "/admin/fault", `{"kind":"delay","args":{"method":"REGISTER","for":"2s"}}`, 200},
		{"bad fault", "POST", "/admin/fault", `{"kind":"meteor"}`, 400},
		{"arrivals", "POST", "/admin/arrivals", `{"per_minute":3}`, 200},
		{"arrivals missing", "POST", "/admin/arrivals", `{}`, 400},
		{"break unknown agent", "POST", "/admin/agent", `{"agent":"9999","state":"busy"}`, 404},
		{"offline agent", "POST", "/admin/agent", `{"agent":"8002","state":"ready"}`, 409},
		{"monitor idle agent", "POST", "/admin/monitor", `{"supervisor":"8000","agent":"8001","mode":"listen"}`, 409},
		{"monitor by an agent", "POST", "/admin/monitor", `{"supervisor":"8001","agent":"8002","mode":"listen"}`, 409},
		{"wrong method", "GET", "/admin/fault", ``, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, raw := call(t, s, tt.method, tt.path, tt.body); code != tt.want {
				t.Fatalf("%s %s: %d %s, want %d", tt.method, tt.path, code, raw, tt.want)
			}
		})
	}
	if cc.Faults().Delay("REGISTER") != 2*time.Second {
		t.Error("the fault knob did not reach the center")
	}
	code, m, raw := call(t, s, "GET", "/admin/state", "")
	if code != 200 || m["fronts"] == nil || len(m["calls"].([]any)) != 1 || m["arrivals_per_minute"].(float64) != 3 {
		t.Fatalf("state %d %s", code, raw)
	}
	call(t, s, "DELETE", "/admin/fault?kind=delay", "")
	if cc.Faults().Delay("REGISTER") != 0 {
		t.Error("DELETE did not clear the knob")
	}
	clock.Advance(6 * time.Second) // the customer's patience
	code, _, raw = call(t, s, "GET", "/admin/cdrs", "")
	var cdrs []callcenter.CDR
	if err := json.Unmarshal([]byte(raw), &cdrs); err != nil || code != 200 || len(cdrs) != 1 || cdrs[0].Result != callcenter.ResultAbandoned {
		t.Fatalf("cdrs %d %s", code, raw)
	}
	if code, _, _ := call(t, s, "GET", "/admin/state", "", "Origin", "https://evil.example"); code != 403 {
		t.Errorf("cross-origin request answered %d", code)
	}
	if code, _, _ := call(t, s, "GET", "/admin/state", "", "Origin", "http://127.0.0.1:3000"); code != 200 {
		t.Errorf("loopback origin answered %d", code)
	}
}

func TestAdminListensOnLoopbackOnly(t *testing.T) {
	cc, _ := callcenter.New(callcenter.DemoConfig("a", "s"))
	defer cc.Close()
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "localhost-ish"} {
		if s, err := Start(cc, Options{Addr: addr}); err == nil {
			s.Close()
			t.Errorf("listened on %s", addr)
		}
	}
	if _, err := Start(cc, Options{Addr: "0.0.0.0:0"}); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("error %v", err)
	}
}

func FuzzDecodeCustomer(f *testing.F) {
	f.Add([]byte(`{"number":"13912345678","patience":"5s","voice":{"tone_hz":500},"digits":"12","score":"1","script":[{"kind":"say","for":2},{"kind":"hangup"}]}`))
	f.Add([]byte(`{"number":"1","patience":1e400}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeCustomer(body)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("error %v does not wrap ErrBadRequest", err)
			}
			return
		}
		// Whatever decodes either validates or is refused by the center
		// with ErrInvalidScript; it never panics.
		cc, _ := callcenter.New(callcenter.DemoConfig("a", "s"))
		defer cc.Close()
		if _, err := cc.CustomerCall(req.Customer, ""); err != nil && !errors.Is(err, callcenter.ErrInvalidScript) && !errors.Is(err, callcenter.ErrInvalidConfig) {
			t.Fatalf("customer %+v: %v", req.Customer, err)
		}
	})
}
