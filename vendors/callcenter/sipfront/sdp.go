package sipfront

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"

	"agentbar/audio"
	"agentbar/core/media"
)

// The center speaks G.711 with RFC 4733 telephone-events.
const (
	ptPCMU   = 0
	ptPCMA   = 8
	ptEvents = 101
)

// remoteSDP is what the center uses of an endpoint's SDP.
type remoteSDP struct {
	addr    *net.UDPAddr // where to send RTP; IP unspecified = nothing (old-style hold)
	formats []uint8      // audio payload types in the endpoint's order
	codecPT uint8        // the first of them we speak
	codec   audio.Codec
	dtmfPT  uint8 // telephone-event/8000, 0 = none
	dir     media.Direction
}

// parseSDP reads an offer or answer: the first audio m-line with RTP/AVP.
func parseSDP(body []byte) (*remoteSDP, error) {
	var s sdp.SessionDescription
	if err := s.Unmarshal(body); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	var md *sdp.MediaDescription
	for _, m := range s.MediaDescriptions {
		if strings.EqualFold(m.MediaName.Media, "audio") && m.MediaName.Port.Value > 0 {
			md = m
			break
		}
	}
	if md == nil {
		return nil, fmt.Errorf("%w: no audio stream", ErrBadSDP)
	}
	conn := md.ConnectionInformation
	if conn == nil {
		conn = s.ConnectionInformation
	}
	if conn == nil || conn.Address == nil {
		return nil, fmt.Errorf("%w: no connection address", ErrBadSDP)
	}
	ip := net.ParseIP(conn.Address.Address)
	if ip == nil {
		return nil, fmt.Errorf("%w: connection address %q is not an IP", ErrBadSDP, conn.Address.Address)
	}
	r := &remoteSDP{addr: &net.UDPAddr{IP: ip, Port: md.MediaName.Port.Value}, dir: media.SendRecv}
	names := map[uint8]string{ptPCMU: "PCMU/8000", ptPCMA: "PCMA/8000"}
	for _, a := range md.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		ptText, name, ok := strings.Cut(a.Value, " ")
		pt, err := strconv.ParseUint(ptText, 10, 7)
		if ok && err == nil {
			names[uint8(pt)] = strings.ToUpper(strings.TrimSpace(name))
		}
	}
	for _, f := range md.MediaName.Formats {
		pt, err := strconv.ParseUint(f, 10, 7)
		if err != nil {
			continue
		}
		r.formats = append(r.formats, uint8(pt))
		name := names[uint8(pt)]
		switch {
		case strings.HasPrefix(name, "TELEPHONE-EVENT/8000"):
			if r.dtmfPT == 0 {
				r.dtmfPT = uint8(pt)
			}
		case r.codec == nil && strings.HasPrefix(name, "PCMU/8000"):
			r.codecPT, r.codec = uint8(pt), audio.PCMU{}
		case r.codec == nil && strings.HasPrefix(name, "PCMA/8000"):
			r.codecPT, r.codec = uint8(pt), audio.PCMA{}
		}
	}
	if r.codec == nil {
		return nil, ErrNoCodec
	}
	for _, attrs := range [][]sdp.Attribute{s.Attributes, md.Attributes} {
		for _, a := range attrs {
			if d, err := media.ParseDirection(a.Key); err == nil {
				r.dir = d
			}
		}
	}
	return r, nil
}

// held reports whether the endpoint puts us on hold with this SDP.
func (r *remoteSDP) held() bool {
	return !r.dir.Receives() || r.addr.IP.IsUnspecified()
}

// params turns a negotiated SDP into the media session's parameters; our
// direction mirrors theirs.
func (r *remoteSDP) params() media.Params {
	return media.Params{Remote: r.addr, PayloadType: r.codecPT, Codec: r.codec,
		DTMFPayloadType: r.dtmfPT, Direction: r.dir.Reverse()}
}

// sdpVersion numbers our SDP bodies (o= line); any increasing number will do.
type sdpOrigin struct {
	id, version uint64
}

// buildSDP writes our offer or answer. pt and dtmf choose what an answer
// carries; an offer lists PCMU, PCMA and telephone-event.
func buildSDP(o *sdpOrigin, addr *net.UDPAddr, dir media.Direction, answer *remoteSDP) []byte {
	o.version++
	ip := addr.IP.String()
	formats := []string{strconv.Itoa(ptPCMU), strconv.Itoa(ptPCMA), strconv.Itoa(ptEvents)}
	maps := []string{"a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16"}
	if answer != nil {
		formats = []string{strconv.Itoa(int(answer.codecPT))}
		maps = []string{fmt.Sprintf("a=rtpmap:%d %s/8000", answer.codecPT, answer.codec.Name())}
		if answer.dtmfPT != 0 {
			formats = append(formats, strconv.Itoa(int(answer.dtmfPT)))
			maps = append(maps, fmt.Sprintf("a=rtpmap:%d telephone-event/8000", answer.dtmfPT),
				fmt.Sprintf("a=fmtp:%d 0-16", answer.dtmfPT))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "v=0\r\no=callcenter %d %d IN IP4 %s\r\ns=agentbar simulated call center\r\nc=IN IP4 %s\r\nt=0 0\r\n", o.id, o.version, ip, ip)
	fmt.Fprintf(&b, "m=audio %d RTP/AVP %s\r\n", addr.Port, strings.Join(formats, " "))
	for _, m := range maps {
		b.WriteString(m + "\r\n")
	}
	fmt.Fprintf(&b, "a=ptime:20\r\na=%s\r\n", dir)
	return []byte(b.String())
}
