package wire

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"agentbar/vendors/udesk/internal/seedjs"
)

var update = flag.Bool("update", false, "rewrite testdata/wire from testdata/seed")

// seedDocument is the vendor document the payloads come from; the check that
// they are verbatim runs where it exists (UDESK_SEED overrides the path).
func seedDocument(t *testing.T) string {
	path := os.Getenv("UDESK_SEED")
	if path == "" {
		path = "/work/shared/seeds/002_5223352f0643a7ea.txt"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("vendor document not here (%v)", err)
	}
	return string(b)
}

// seedFiles lists the verbatim payloads: methods' replies and calls, events.
func seedFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "seed", pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed files %s (%v)", pattern, err)
	}
	return files
}

// wirePath is where the JSON form of a seed payload lives.
func wirePath(seedPath string) string {
	rel := strings.TrimPrefix(seedPath, filepath.Join("..", "testdata", "seed")+string(filepath.Separator))
	rel = strings.TrimSuffix(rel, ".js") + ".json"
	return filepath.Join("..", "testdata", "wire", rel)
}

func TestSeedPayloadsAreVerbatim(t *testing.T) {
	doc := seedDocument(t)
	files := append(seedFiles(t, "methods/*.js"), seedFiles(t, "events/*.js")...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
			if !strings.Contains(doc, line) {
				t.Errorf("%s: line %q is not in the vendor document", f, line)
			}
		}
		// A call file may gather example lines the document separates.
		if !strings.HasSuffix(f, ".call.js") && !strings.Contains(doc, strings.TrimRight(string(b), "\n")) {
			t.Errorf("%s: not a contiguous excerpt of the vendor document", f)
		}
	}
	if n := len(seedFiles(t, "methods/*.reply.js")); n != 36 {
		t.Errorf("%d method replies, the document has 36 examples", n)
	}
	if n := len(seedFiles(t, "events/*.js")); n != 14 {
		t.Errorf("%d events, the document has 14", n)
	}
}

// TestWireJSONIsTheSeed: every JSON payload under testdata/wire is exactly
// the seedjs conversion of the document's example (run with -update to
// rewrite them).
func TestWireJSONIsTheSeed(t *testing.T) {
	files := append(seedFiles(t, "methods/*.reply.js"), seedFiles(t, "events/*.js")...)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := seedjs.ToJSON(string(src))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		dst := wirePath(f)
		if *update {
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(dst)
		if err != nil {
			t.Fatalf("%s: %v (run go test -update)", dst, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the conversion of %s:\n%s", dst, f, got)
		}
	}
}

// replyData says which Data type each method's reply carries.
var replyData = map[string]func() any{
	MethodGetPhoneModes:         func() any { return &[]PhoneMode{} },
	MethodGetAgentStates:        func() any { return &[]AgentStateOption{} },
	MethodGetWebPhoneInfo:       func() any { return &TerminalInfo{} },
	MethodGetCallInWrapUpTime:   func() any { return &WrapUp{} },
	MethodGetSpNumbers:          func() any { return &[]string{} },
	MethodGetCurrentSpNumber:    func() any { s := ""; return &s },
	MethodGetAgentTerminalInfo:  func() any { return &TerminalInfo{} },
	MethodGetIvrNodes:           func() any { return &[]IvrNode{} },
	MethodGetQueuesAgents:       func() any { return &[]Queue{} },
	MethodGetOtherAgents:        func() any { return &[]OtherAgent{} },
	MethodGetNumberPoolAndSpNum: func() any { return &PoolList{} },
}

// eventData says which Data type each event carries; list items are arrays.
var eventData = map[string]func() any{
	EventAgentStateChanged:         func() any { return &[]AgentStateChange{} },
	EventPhoneModeChanged:          func() any { return &[]PhoneModeChange{} },
	EventPhoneStateChanged:         func() any { return &[]PhoneStateChange{} },
	EventReady:                     func() any { return &[]ReadyInfo{} },
	EventAdvancedCallStatusChanged: func() any { return &AdvancedCallStatus{} },
	EventGetState:                  func() any { return &State{} },
}

// methodOf reads "03_MakeCallAsync.reply.json" → MakeCallAsync.
func methodOf(path string) string {
	base := filepath.Base(path)
	base = base[strings.IndexByte(base, '_')+1:]
	name, _, _ := strings.Cut(base, ".")
	return name
}

// TestGoldenRoundTrip decodes every documented payload with the contract's
// types and encodes it again: the result must be the same JSON, so every
// documented field is carried and the simulator, which encodes with these
// types, can produce each example exactly.
func TestGoldenRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "wire", "methods", "*.reply.json"))
	events, _ := filepath.Glob(filepath.Join("..", "testdata", "wire", "events", "*.json"))
	if len(files) != 36 || len(events) != 14 {
		t.Fatalf("%d replies and %d events under testdata/wire", len(files), len(events))
	}
	for _, f := range append(files, events...) {
		name := methodOf(f)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var env Envelope
			if env, err = DecodeEnvelope(raw); err != nil {
				t.Fatal(err)
			}
			if !env.OK() || bool(env.Visible) {
				t.Fatalf("documented example is not a plain success: %+v", env)
			}
			newData := replyData[name]
			if strings.Contains(f, "events") {
				newData = eventData[name]
				if CallEvents[name] {
					newData = func() any { return &CallEvent{} }
				}
			}
			out := env
			if newData != nil {
				v := newData()
				if err := DecodeData(env.Data, v); err != nil {
					t.Fatal(err)
				}
				out.Data = MustData(v)
			}
			again, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			assertSameJSON(t, raw, again)
		})
	}
}

func assertSameJSON(t *testing.T, want, got []byte) {
	t.Helper()
	var a, b any
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("JSON differs\nwant %s\ngot  %s", want, got)
	}
}
