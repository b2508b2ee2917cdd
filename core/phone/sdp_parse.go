package phone

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"

	"agentbar/core/media"
	"agentbar/core/rtpcore"
)

// remoteFormat is one payload format of the peer's audio stream.
type remoteFormat struct {
	pt    uint8
	name  string // upper case, "" when unknown (dynamic without rtpmap)
	clock int
}

// remoteMedia is what we use from the peer's SDP: its first audio stream.
type remoteMedia struct {
	ip      net.IP // nil when the peer wants nothing sent (c=0.0.0.0)
	port    int
	rtcp    *net.UDPAddr // from a=rtcp; nil = port+1
	rtcpMux bool
	formats []remoteFormat // audio formats in the peer's order, telephone-event left out
	dtmfPT  uint8          // telephone-event/8000, 0 = none
	dir     media.Direction

	// lines and audioIndex let an answer mirror every m-line of the offer
	// (RFC 3264 §6: one answer line per offer line, rejected ones with port 0).
	lines      []sdp.MediaName
	audioIndex int
}

// parseSDP reads the peer's SDP. Malformed text is ErrMalformedSDP; an SDP
// that parses but offers no usable plain-RTP audio is ErrNoCommonCodec (488).
func parseSDP(body []byte) (*remoteMedia, error) {
	s, err := rtpcore.UnmarshalSDP(body) // lines out of RFC 4566 order too
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedSDP, err)
	}
	r := &remoteMedia{audioIndex: -1, dir: media.SendRecv}
	sessionDir, hasSessionDir := directionAttribute(s.Attributes)
	for i, md := range s.MediaDescriptions {
		r.lines = append(r.lines, md.MediaName)
		if r.audioIndex >= 0 || !strings.EqualFold(md.MediaName.Media, "audio") {
			continue
		}
		if md.MediaName.Port.Value == 0 || !plainRTP(md.MediaName.Protos) {
			continue
		}
		r.audioIndex = i
		if err := r.readAudio(s, md); err != nil {
			return nil, err
		}
		if d, ok := directionAttribute(md.Attributes); ok {
			r.dir = d
		} else if hasSessionDir {
			r.dir = sessionDir
		}
	}
	if r.audioIndex < 0 {
		if len(r.lines) == 0 {
			return nil, fmt.Errorf("%w: no media line", ErrMalformedSDP)
		}
		return nil, fmt.Errorf("%w: no plain RTP audio stream offered", ErrNoCommonCodec)
	}
	if r.ip == nil {
		// c=0.0.0.0 (RFC 2543 hold): the peer receives nothing.
		send, _ := directionBits(r.dir)
		r.dir = directionFromBits(send, false)
	}
	return r, nil
}

func plainRTP(protos []string) bool {
	p := strings.ToUpper(strings.Join(protos, "/"))
	return p == "RTP/AVP" || p == "RTP/AVPF"
}

func directionAttribute(attrs []sdp.Attribute) (media.Direction, bool) {
	for _, a := range attrs {
		switch a.Key {
		case "sendrecv":
			return media.SendRecv, true
		case "sendonly":
			return media.SendOnly, true
		case "recvonly":
			return media.RecvOnly, true
		case "inactive":
			return media.Inactive, true
		}
	}
	return media.SendRecv, false
}

func (r *remoteMedia) readAudio(s *sdp.SessionDescription, md *sdp.MediaDescription) error {
	conn := md.ConnectionInformation
	if conn == nil {
		conn = s.ConnectionInformation
	}
	if conn == nil || conn.Address == nil {
		return fmt.Errorf("%w: audio stream without c= line", ErrMalformedSDP)
	}
	if !strings.EqualFold(conn.AddressType, "IP4") {
		return fmt.Errorf("%w: media address type %s is not supported (IPv4 only)", ErrNoCommonCodec, conn.AddressType)
	}
	host := conn.Address.Address
	if i := strings.IndexByte(host, '/'); i >= 0 { // multicast TTL
		host = host[:i]
	}
	ip := net.ParseIP(host).To4()
	if ip == nil {
		// An FQDN is legal but not worth a resolver in the media path.
		return fmt.Errorf("%w: media address %q is not an IPv4 address", ErrNoCommonCodec, host)
	}
	if !ip.IsUnspecified() {
		r.ip = ip
	}
	r.port = md.MediaName.Port.Value
	if r.port < 1 || r.port > 65535 {
		return fmt.Errorf("%w: media port %d", ErrMalformedSDP, r.port)
	}

	rtpmaps := map[uint8]remoteFormat{}
	for _, a := range md.Attributes {
		switch a.Key {
		case "rtpmap":
			if f, ok := parseRtpmap(a.Value); ok {
				rtpmaps[f.pt] = f
			}
		case "rtcp-mux":
			r.rtcpMux = true
		case "rtcp":
			r.rtcp = parseRTCPAttribute(a.Value, r.ip)
		}
	}
	for _, f := range md.MediaName.Formats {
		n, err := strconv.ParseUint(f, 10, 7)
		if err != nil {
			return fmt.Errorf("%w: payload type %q", ErrMalformedSDP, f)
		}
		pt := uint8(n)
		format, mapped := rtpmaps[pt]
		if !mapped {
			format = remoteFormat{pt: pt}
			if spec, ok := codecByStaticPT(pt); ok {
				format.name, format.clock = spec.name, spec.clock
			}
		}
		if format.name == "TELEPHONE-EVENT" {
			if format.clock == 8000 && r.dtmfPT == 0 {
				r.dtmfPT = pt
			}
			continue
		}
		r.formats = append(r.formats, format)
	}
	return nil
}

// parseRtpmap reads "0 PCMU/8000" or "101 telephone-event/8000".
func parseRtpmap(v string) (remoteFormat, bool) {
	ptText, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return remoteFormat{}, false
	}
	pt, err := strconv.ParseUint(ptText, 10, 7)
	if err != nil {
		return remoteFormat{}, false
	}
	parts := strings.Split(strings.TrimSpace(rest), "/")
	if len(parts) < 2 {
		return remoteFormat{}, false
	}
	clock, err := strconv.Atoi(parts[1])
	if err != nil || clock <= 0 {
		return remoteFormat{}, false
	}
	return remoteFormat{pt: uint8(pt), name: strings.ToUpper(parts[0]), clock: clock}, true
}

// parseRTCPAttribute reads RFC 3605 "a=rtcp:53020 [IN IP4 126.16.64.4]".
func parseRTCPAttribute(v string, fallback net.IP) *net.UDPAddr {
	fields := strings.Fields(v)
	if len(fields) == 0 {
		return nil
	}
	port, err := strconv.Atoi(fields[0])
	if err != nil || port < 1 || port > 65535 {
		return nil
	}
	ip := fallback
	if len(fields) == 4 && strings.EqualFold(fields[2], "IP4") {
		if parsed := net.ParseIP(fields[3]).To4(); parsed != nil {
			ip = parsed
		}
	}
	if ip == nil {
		return nil
	}
	return &net.UDPAddr{IP: ip, Port: port}
}
