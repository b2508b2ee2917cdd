package wire

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// seedCorpus adds every golden wire file to a fuzz corpus.
func seedCorpus(f *testing.F, dir string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "wire", dir, "*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"event":"callEvent","type":"x","data":{"c":1,"callTime":"1.0"}}`))
}

// wellBehaved: a decoder either succeeds or fails with the package's errors.
func wellBehaved(t *testing.T, err error) {
	if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
		t.Fatalf("error outside the contract: %v", err)
	}
}

// FuzzDecodeEvent: whatever the platform sends, decoding and the typed
// readers return data or ErrMalformed, never panic.
func FuzzDecodeEvent(f *testing.F) {
	seedCorpus(f, "events")
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeEvent(b)
		wellBehaved(t, err)
		if err != nil {
			return
		}
		_, err = e.CallEvent()
		wellBehaved(t, err)
		_, err = e.StatusChanged()
		wellBehaved(t, err)
		_, err = e.KickedOffLine()
		wellBehaved(t, err)
		_, err = e.RepCallStatus()
		wellBehaved(t, err)
	})
}

// FuzzDecodeCommand: the simulator's side.
func FuzzDecodeCommand(f *testing.F) {
	seedCorpus(f, "commands")
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeCommand(b)
		wellBehaved(t, err)
		if err != nil {
			return
		}
		for _, v := range []any{&CallData{}, &CcData{}, &TransferData{}, &DTMFData{}, &StatusData{}} {
			wellBehaved(t, DecodeData(c.Data, v))
		}
	})
}

// FuzzDecodeResult: the adapter's side of a command.
func FuzzDecodeResult(f *testing.F) {
	seedCorpus(f, "results")
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeResult(b)
		wellBehaved(t, err)
		if err != nil {
			return
		}
		for _, v := range []any{&CallResult{}, &TransferResult{}, &MonitorResult{}} {
			wellBehaved(t, DecodeData(r.Data, v))
		}
		if err := Monitor(CmdStartCallMonitor, r); err != nil {
			var ce *CommandError
			var me *MonitorError
			if !errors.As(err, &ce) && !errors.As(err, &me) {
				wellBehaved(t, err)
			}
		}
	})
}

// FuzzDecodeAccountReply: getUser's answer and its data.
func FuzzDecodeAccountReply(f *testing.F) {
	seedCorpus(f, "")
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeAccountReply(b)
		wellBehaved(t, err)
		if err == nil && r.OK() {
			_, err = DecodeUserInfo(r.Data)
			wellBehaved(t, err)
		}
	})
}

// FuzzDecodeWebAPIReply: webApiHandler's answers.
func FuzzDecodeWebAPIReply(f *testing.F) {
	seedCorpus(f, "")
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeWebAPIReply(b)
		wellBehaved(t, err)
		if err != nil {
			return
		}
		_, err = DecodeGroups(r.ReturnData)
		wellBehaved(t, err)
		_, err = DecodeMembers(r.ReturnData)
		wellBehaved(t, err)
	})
}

// FuzzDecodeRequest: the simulator's HTTP side.
func FuzzDecodeRequest(f *testing.F) {
	seedCorpus(f, "")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v := range []any{&GetUserRequest{}, &GetUser2Request{}, &GetGroupsRequest{}, &SearchEpMembersRequest{}} {
			wellBehaved(t, DecodeRequest(b, v))
		}
	})
}

// FuzzDecrypt: any text and key either decrypt to digits or fail with the
// package's errors; digits re-encrypt to a string that decrypts the same.
func FuzzDecrypt(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), "opwmRvGhOcGMXRZSp_moOQ")
	f.Add([]byte("0123456789abcdef"), "")
	f.Fuzz(func(t *testing.T, key []byte, s string) {
		n, err := Decrypt(key, s)
		if err != nil {
			var de *DecryptError
			if !errors.Is(err, ErrBadKey) && !errors.As(err, &de) {
				t.Fatalf("error outside the contract: %v", err)
			}
			return
		}
		if !IsDigits(n) {
			t.Fatalf("decrypted %q without an error", n)
		}
		enc, err := Encrypt(key, n)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := Decrypt(key, enc); err != nil || back != n {
			t.Fatalf("%q → %q → %q %v", n, enc, back, err)
		}
	})
}
