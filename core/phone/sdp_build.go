package phone

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"

	"github.com/pion/sdp/v3"

	"agentbar/core/media"
)

// localMedia is what our SDP says about our audio stream.
type localMedia struct {
	ip      net.IP
	port    int
	codecs  []codecSpec // formats in our order of preference
	dtmfPT  uint8       // telephone-event payload type, 0 = none
	dir     media.Direction
	rtcpMux bool

	// mirror is the offer we answer (nil when we offer): every other m-line
	// is answered with port 0.
	mirror *remoteMedia
}

// sdpOrigin is one call's o= line. The version goes up only when what we
// say changes (RFC 3264 §8), so a session refresh repeats the same SDP.
type sdpOrigin struct {
	id      uint64
	version uint64
	last    []byte // last body, o= line excluded
}

func newSDPOrigin() *sdpOrigin {
	// NTP-style numbers are customary; any unique 62-bit number will do.
	id := rand.Uint64() >> 2
	return &sdpOrigin{id: id, version: id}
}

// next returns the SDP for l, bumping the version when it differs from the
// previous one.
func (o *sdpOrigin) next(l localMedia) ([]byte, error) {
	s := buildSessionDescription(o.id, o.version, l)
	body, err := s.Marshal()
	if err != nil {
		return nil, fmt.Errorf("phone: marshal SDP: %w", err)
	}
	withoutOrigin := stripOrigin(body)
	if o.last != nil && !bytes.Equal(withoutOrigin, o.last) {
		o.version++
		s.Origin.SessionVersion = o.version
		if body, err = s.Marshal(); err != nil {
			return nil, fmt.Errorf("phone: marshal SDP: %w", err)
		}
	}
	o.last = withoutOrigin
	return body, nil
}

// stripOrigin drops the o= line, the one line that differs between two
// otherwise identical SDPs.
func stripOrigin(body []byte) []byte {
	lines := bytes.SplitAfter(body, []byte("\n"))
	out := make([]byte, 0, len(body))
	for _, l := range lines {
		if bytes.HasPrefix(l, []byte("o=")) {
			continue
		}
		out = append(out, l...)
	}
	return out
}

func buildSessionDescription(id, version uint64, l localMedia) *sdp.SessionDescription {
	ip := l.ip.String()
	s := &sdp.SessionDescription{
		Version: 0,
		Origin: sdp.Origin{
			Username:       "-",
			SessionID:      id,
			SessionVersion: version,
			NetworkType:    "IN",
			AddressType:    "IP4",
			UnicastAddress: ip,
		},
		SessionName: "agentbar",
		ConnectionInformation: &sdp.ConnectionInformation{
			NetworkType: "IN",
			AddressType: "IP4",
			Address:     &sdp.Address{Address: ip},
		},
		TimeDescriptions: []sdp.TimeDescription{{Timing: sdp.Timing{StartTime: 0, StopTime: 0}}},
	}
	audio := audioDescription(l)
	if l.mirror == nil {
		s.MediaDescriptions = []*sdp.MediaDescription{audio}
		return s
	}
	for i, line := range l.mirror.lines {
		if i == l.mirror.audioIndex {
			s.MediaDescriptions = append(s.MediaDescriptions, audio)
			continue
		}
		rejected := line
		rejected.Port = sdp.RangedPort{Value: 0}
		if len(rejected.Formats) == 0 {
			rejected.Formats = []string{"0"}
		}
		s.MediaDescriptions = append(s.MediaDescriptions, &sdp.MediaDescription{MediaName: rejected})
	}
	return s
}

func audioDescription(l localMedia) *sdp.MediaDescription {
	md := &sdp.MediaDescription{
		MediaName: sdp.MediaName{
			Media:  "audio",
			Port:   sdp.RangedPort{Value: l.port},
			Protos: []string{"RTP", "AVP"},
		},
	}
	for _, c := range l.codecs {
		pt := strconv.Itoa(int(c.pt))
		md.MediaName.Formats = append(md.MediaName.Formats, pt)
		md.Attributes = append(md.Attributes, sdp.NewAttribute("rtpmap", fmt.Sprintf("%s %s/%d", pt, c.name, c.clock)))
	}
	if l.dtmfPT != 0 {
		pt := strconv.Itoa(int(l.dtmfPT))
		md.MediaName.Formats = append(md.MediaName.Formats, pt)
		md.Attributes = append(md.Attributes,
			sdp.NewAttribute("rtpmap", pt+" telephone-event/8000"),
			sdp.NewAttribute("fmtp", pt+" 0-16"))
	}
	md.Attributes = append(md.Attributes, sdp.NewAttribute("ptime", "20"))
	if l.rtcpMux {
		md.Attributes = append(md.Attributes, sdp.NewPropertyAttribute("rtcp-mux"))
	} else {
		md.Attributes = append(md.Attributes, sdp.NewAttribute("rtcp", strconv.Itoa(l.port+1)))
	}
	md.Attributes = append(md.Attributes, sdp.NewPropertyAttribute(directionAttributeName(l.dir)))
	return md
}
