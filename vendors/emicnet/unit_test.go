package emicnet

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/emicnet/wire"
)

// recordingSink keeps what the adapter reports.
type recordingSink struct {
	mu      sync.Mutex
	updates []core.Update
}

func (s *recordingSink) Report(u core.Update) {
	s.mu.Lock()
	s.updates = append(s.updates, u)
	s.mu.Unlock()
}

func (s *recordingSink) take() []core.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.updates
	s.updates = nil
	return out
}

// unitAdapter is an adapter that never connects: its events are fed to
// onMessage directly, as core/phone would.
func unitAdapter(t testing.TB, callintype wire.CallInType) (*Adapter, *recordingSink) {
	t.Helper()
	fields := map[string]string{
		fieldAPIURL: "http://127.0.0.1:1", fieldSocketURI: "wss://127.0.0.1:1", fieldSwitchnumber: "02566699734",
		fieldUn: "1023", fieldCallintype: string(callintype),
	}
	if callintype.NeedsNumber() {
		fields[fieldNumber] = "8001"
	}
	a, err := NewAdapter(core.Config{Fields: fields, Secret: "pw", ExtraSecrets: map[string]string{fieldEncryptKey: unitKey}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sink := &recordingSink{}
	a.sink = sink
	a.life, a.cancel = context.WithCancel(context.Background())
	a.gid = "2033"
	t.Cleanup(func() { _ = a.shutdown(context.Background()) })
	return a, sink
}

const unitKey = "0123456789abcdef"

// feed hands a MESSAGE body to the adapter as an event and returns the
// status it answered.
func feed(a *Adapter, body string) int {
	return a.onMessage(phone.Message{ContentType: wire.ContentTypeEvent, Body: []byte(body), From: "sip:pbx@02566699734"})
}

func goldenEvent(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("wire", "testdata", "wire", "events", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// callUpdates keeps the CallUpdates of a batch.
func callUpdates(us []core.Update) []core.CallUpdate {
	var out []core.CallUpdate
	for _, u := range us {
		if c, ok := u.(core.CallUpdate); ok {
			out = append(out, c)
		}
	}
	return out
}

func phoneMessage(contentType, body string) phone.Message {
	return phone.Message{ContentType: contentType, Body: []byte(body)}
}
