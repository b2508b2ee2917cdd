package udesk

import (
	"testing"

	"agentbar/vendors/udesk/wire"
)

// FuzzOnEvent: whatever the platform sends, decoding and mapping it into
// the engine's updates never panics (the frame decoder's own fuzz target is
// wire.FuzzDecodeServerFrame).
func FuzzOnEvent(f *testing.F) {
	for _, seed := range []string{
		`{"Event":"AdvancedCallStatusChanged","Code":"0000","Data":{"AdvancedCallStatus":"Consultation","CallID":"c","CallAuthority":{"AllowEndConsultation":true}}}`,
		`{"Event":"Delivered","Code":"0000","Data":{"CallID":"c","CustomerInfo":{"TelNumber":"138"},"CallAuthority":""}}`,
		`{"Event":"ConnectionCleared","Code":"0000","Data":{"CallID":"c"}}`,
		`{"Event":"GetState","Code":"0000","Data":{"CallID":"c","AdvancedCallStatus":"Held","CurState":"onBreak","CurSubStateId":"101"}}`,
		`{"Event":"AgentStateChanged","Code":"0000","Data":[{"CurState":"neaten"}]}`,
		`{"Event":"PhoneModeChanged","Code":"0000","Data":[{"CurContact":"cellphone","CurNumber":"138"}]}`,
		`{"Event":"Held","Code":"2004","Message":"x","Visible":true}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := wire.DecodeServerFrame(b)
		if err != nil || !fr.IsEvent() {
			return
		}
		a, s, sink := goldenAdapter(t, wire.ModeCellphone)
		a.onEvent(s, fr)
		a.onEvent(s, fr) // twice: the second sees the state the first left
		_ = sink.take()
	})
}

func BenchmarkOnEventCallStatus(b *testing.B) {
	t := &testing.T{}
	a, s, sink := goldenAdapter(t, wire.ModeVoip)
	fr, err := wire.DecodeServerFrame([]byte(`{"Event":"AdvancedCallStatusChanged","Code":"0000","Data":{"AdvancedCallStatus":"Established","CallDirection":"Inbound","CallID":"c1","CallType":"In","CallAuthority":{"AllowHangup":true,"AllowHold":true,"AllowTransfer":true},"CustomerInfo":{"TelNumber":"13912345678","City":"南京"}}}`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		a.onEvent(s, fr)
		sink.take()
	}
}
