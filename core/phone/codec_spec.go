package phone

import "strings"

// codecSpec is one voice codec as it appears in SDP.
type codecSpec struct {
	name  string // RTP encoding name as in rtpmap, upper case: PCMU
	pt    uint8  // payload type (the static one in our offers; the peer's when negotiated)
	clock int    // RTP clock rate
}

// codecByName knows the codecs with a static payload type (RFC 3551), the
// only ones plain SIP accounts here use. G722's RTP clock is 8000 although
// it samples at 16 kHz (RFC 3551 §4.5.2).
func codecByName(name string) (codecSpec, bool) {
	switch strings.ToUpper(name) {
	case "PCMU":
		return codecSpec{"PCMU", 0, 8000}, true
	case "PCMA":
		return codecSpec{"PCMA", 8, 8000}, true
	case "G722":
		return codecSpec{"G722", 9, 8000}, true
	}
	return codecSpec{}, false
}

// codecByStaticPT names a static payload type an SDP used without rtpmap.
func codecByStaticPT(pt uint8) (codecSpec, bool) {
	switch pt {
	case 0:
		return codecByName("PCMU")
	case 8:
		return codecByName("PCMA")
	case 9:
		return codecByName("G722")
	}
	return codecSpec{}, false
}

// telephoneEventPT is the payload type we offer for RFC 4733 events.
const telephoneEventPT = 101
