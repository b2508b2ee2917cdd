package webrtc

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"

	"agentbar/core/media"
	"agentbar/core/rtpcore"
)

// SDP handling around pion. Two things are done here that pion does not:
//
//   - Directions. pion answers a sendonly offer with sendrecv and stops its
//     transceiver after an inactive one (the next sendrecv offer then finds
//     nothing to send with). Hold is SIP's business, so pion never sees a
//     direction other than sendrecv: remote SDPs are handed to it with
//     sendrecv, and the direction we mean is written into the SDP we send.
//     The session enforces it itself (no RTP out when we must not send, no
//     playback when we must not receive).
//   - Inspection. A peer's SDP is checked before pion gets it: an audio
//     stream with ICE credentials and a DTLS fingerprint, and a codec we
//     have. A plain RTP/AVP offer is refused (488), not half-understood.

// Remote is what the peer's SDP says, as the phone needs it.
type Remote struct {
	// Direction is the peer's direction as its SDP states it.
	Direction media.Direction
	// Codecs are the peer's audio codecs we also have, in its order
	// ("opus", "PCMU", "PCMA").
	Codecs []string
	// DTMF: the peer takes RFC 4733 telephone-events.
	DTMF bool
	// ICELite: the peer is an ICE-lite gateway.
	ICELite bool
}

// InspectSDP reads and checks a peer's SDP (offer or answer) without
// changing anything: ErrMalformedSDP when it cannot be read, ErrNotWebRTC
// when it has no WebRTC audio stream, ErrNoCommonCodec when we share no
// codec with it.
func InspectSDP(body []byte) (Remote, error) {
	s, err := parseSDP(body)
	if err != nil {
		return Remote{}, err
	}
	md := firstAudio(s)
	if md == nil {
		return Remote{}, fmt.Errorf("%w: no active audio stream", ErrNotWebRTC)
	}
	proto := strings.ToUpper(strings.Join(md.MediaName.Protos, "/"))
	if !strings.Contains(proto, "SAVP") || (!strings.Contains(proto, "TLS") && !strings.Contains(proto, "DTLS")) {
		return Remote{}, fmt.Errorf("%w: audio is %s, not DTLS-SRTP", ErrNotWebRTC, proto)
	}
	if !hasAttribute(s, md, "fingerprint") {
		return Remote{}, fmt.Errorf("%w: no DTLS fingerprint", ErrNotWebRTC)
	}
	if !hasAttribute(s, md, "ice-ufrag") || !hasAttribute(s, md, "ice-pwd") {
		return Remote{}, fmt.Errorf("%w: no ICE credentials", ErrNotWebRTC)
	}
	r := Remote{Direction: sdpDirection(s, md), ICELite: hasSessionAttribute(s, "ice-lite")}
	formats := formatNames(md)
	for _, f := range md.MediaName.Formats {
		name := formats[f]
		if strings.HasPrefix(name, "telephone-event/") {
			r.DTMF = true
			continue
		}
		if spec, ok := codecByName(strings.SplitN(name, "/", 2)[0]); ok && !slices.Contains(r.Codecs, spec.name) {
			if clock := strings.SplitN(name, "/", 3); len(clock) > 1 && clock[1] != strconv.Itoa(int(spec.clock)) {
				continue // an "opus/16000" is not RFC 7587 Opus
			}
			r.Codecs = append(r.Codecs, spec.name)
		}
	}
	if len(r.Codecs) == 0 {
		return Remote{}, ErrNoCommonCodec
	}
	return r, nil
}

// parseSDP unmarshals body, lines out of RFC 4566 order too.
func parseSDP(body []byte) (*sdp.SessionDescription, error) {
	s, err := rtpcore.UnmarshalSDP(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedSDP, err)
	}
	if len(s.MediaDescriptions) == 0 {
		return nil, fmt.Errorf("%w: no media line", ErrMalformedSDP)
	}
	return s, nil
}

// firstAudio is the first audio stream that is not rejected (port 0).
func firstAudio(s *sdp.SessionDescription) *sdp.MediaDescription {
	for _, md := range s.MediaDescriptions {
		if strings.EqualFold(md.MediaName.Media, "audio") && md.MediaName.Port.Value != 0 {
			return md
		}
	}
	return nil
}

func hasAttribute(s *sdp.SessionDescription, md *sdp.MediaDescription, key string) bool {
	if _, ok := md.Attribute(key); ok {
		return true
	}
	return hasSessionAttribute(s, key)
}

func hasSessionAttribute(s *sdp.SessionDescription, key string) bool {
	for _, a := range s.Attributes {
		if a.Key == key {
			return true
		}
	}
	return false
}

// sdpDirection is the stream's direction: its own attribute, else the
// session's, else sendrecv (RFC 4566 §6).
func sdpDirection(s *sdp.SessionDescription, md *sdp.MediaDescription) media.Direction {
	for _, attrs := range [][]sdp.Attribute{md.Attributes, s.Attributes} {
		for _, a := range attrs {
			if d, err := media.ParseDirection(a.Key); err == nil {
				return d
			}
		}
	}
	return media.SendRecv
}

// formatNames maps each payload type of md to "name/clock[/channels]",
// name lower case; static types without rtpmap get their RFC 3551 names.
func formatNames(md *sdp.MediaDescription) map[string]string {
	names := map[string]string{"0": "pcmu/8000", "8": "pcma/8000"}
	for _, a := range md.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		pt, rest, ok := strings.Cut(strings.TrimSpace(a.Value), " ")
		if !ok {
			continue
		}
		names[pt] = strings.ToLower(strings.TrimSpace(rest))
	}
	return names
}

// payloadMap is payload type → codec name ("opus", "PCMU", "PCMA",
// "telephone-event/<clock>") for the first audio stream of body.
func payloadMap(body []byte) map[uint8]string {
	s, err := parseSDP(body)
	if err != nil {
		return nil
	}
	md := firstAudio(s)
	if md == nil {
		return nil
	}
	out := map[uint8]string{}
	names := formatNames(md)
	for _, f := range md.MediaName.Formats {
		pt, err := strconv.ParseUint(f, 10, 7)
		if err != nil {
			continue
		}
		name := names[f]
		if strings.HasPrefix(name, "telephone-event/") {
			out[uint8(pt)] = strings.SplitN(name, "/", 3)[0] + "/" + strings.SplitN(name, "/", 3)[1]
			continue
		}
		if spec, ok := codecByName(strings.SplitN(name, "/", 2)[0]); ok {
			out[uint8(pt)] = spec.name
		}
	}
	return out
}

// firstCommonCodec is the first codec of an answer that we have.
func firstCommonCodec(answer []byte, ours []string) (string, bool) {
	r, err := InspectSDP(answer)
	if err != nil {
		return "", false
	}
	for _, c := range r.Codecs {
		if slices.Contains(ours, c) {
			return c, true
		}
	}
	return "", false
}

// sdpOrigin keeps the o= line of what we send: the version goes up only
// when the SDP changes, so a session refresh repeats the same SDP.
type sdpOrigin struct {
	version uint64
	last    []byte // last body without its o= line
}

// rewriteSDP is base with every audio stream set to dir, the DTLS role set
// to role ("" keeps it) and the o= version stamped by origin.
func rewriteSDP(base []byte, dir media.Direction, role string, origin *sdpOrigin) ([]byte, error) {
	s, err := parseSDP(base)
	if err != nil {
		return nil, err
	}
	for _, md := range s.MediaDescriptions {
		if !strings.EqualFold(md.MediaName.Media, "audio") || md.MediaName.Port.Value == 0 {
			continue
		}
		md.Attributes = setDirectionAttribute(md.Attributes, dir)
		useDefaultCandidate(md)
		if role != "" {
			for i, a := range md.Attributes {
				if a.Key == "setup" {
					md.Attributes[i].Value = role
				}
			}
		}
	}
	s.Attributes = dropDirectionAttributes(s.Attributes)
	if origin.version == 0 {
		origin.version = s.Origin.SessionVersion
	}
	s.Origin.SessionVersion = origin.version
	body, err := s.Marshal()
	if err != nil {
		return nil, fmt.Errorf("webrtc: marshal SDP: %w", err)
	}
	without := withoutOrigin(body)
	if origin.last != nil && string(without) != string(origin.last) {
		origin.version++
		s.Origin.SessionVersion = origin.version
		if body, err = s.Marshal(); err != nil {
			return nil, fmt.Errorf("webrtc: marshal SDP: %w", err)
		}
	}
	origin.last = without
	return body, nil
}

func withoutOrigin(body []byte) []byte {
	var out []byte
	for _, line := range strings.SplitAfter(string(body), "\n") {
		if !strings.HasPrefix(line, "o=") {
			out = append(out, line...)
		}
	}
	return out
}

// useDefaultCandidate puts the default candidate's address in c= and m=
// (RFC 8839 §4.2.1.2; JSEP does it once gathering is complete, pion does
// not): a c=0.0.0.0 would read as RFC 2543 hold to a gateway that removes
// ICE, such as rtpengine. The default is a relay candidate if there is
// one, else server-reflexive, else host.
func useDefaultCandidate(md *sdp.MediaDescription) {
	best, bestRank := [2]string{}, -1
	for _, a := range md.Attributes {
		if a.Key != "candidate" {
			continue
		}
		// foundation component transport priority address port typ type ...
		f := strings.Fields(a.Value)
		if len(f) < 8 || f[1] != "1" || !strings.EqualFold(f[2], "udp") || f[6] != "typ" {
			continue
		}
		if ip := net.ParseIP(f[4]); ip == nil || ip.To4() == nil {
			continue
		}
		rank := map[string]int{"host": 0, "prflx": 0, "srflx": 1, "relay": 2}[f[7]]
		if rank > bestRank {
			best, bestRank = [2]string{f[4], f[5]}, rank
		}
	}
	if bestRank < 0 {
		return
	}
	port, err := strconv.Atoi(best[1])
	if err != nil || port <= 0 || port > 65535 {
		return
	}
	md.MediaName.Port = sdp.RangedPort{Value: port}
	md.ConnectionInformation = &sdp.ConnectionInformation{NetworkType: "IN", AddressType: "IP4", Address: &sdp.Address{Address: best[0]}}
}

// transportKey names the ICE and DTLS parameters of the first audio stream:
// when it changes, the peer restarted ICE or changed certificate.
func transportKey(body []byte) string {
	s, err := parseSDP(body)
	if err != nil {
		return ""
	}
	md := firstAudio(s)
	if md == nil {
		return ""
	}
	get := func(key string) string {
		if v, ok := md.Attribute(key); ok {
			return v
		}
		for _, a := range s.Attributes {
			if a.Key == key {
				return a.Value
			}
		}
		return ""
	}
	return get("ice-ufrag") + " " + get("ice-pwd") + " " + strings.ToUpper(get("fingerprint"))
}

// setupRole is the a=setup of the first audio stream.
func setupRole(body []byte) string {
	s, err := parseSDP(body)
	if err != nil {
		return ""
	}
	if md := firstAudio(s); md != nil {
		if v, ok := md.Attribute("setup"); ok {
			return v
		}
	}
	for _, a := range s.Attributes {
		if a.Key == "setup" {
			return a.Value
		}
	}
	return ""
}

// mediaCount is the number of m-lines of body.
func mediaCount(body []byte) int {
	s, err := parseSDP(body)
	if err != nil {
		return -1
	}
	return len(s.MediaDescriptions)
}

// withDirection rewrites the direction of every audio stream of body to
// dir: what we send says what we mean, whatever pion wrote.
func withDirection(body []byte, dir media.Direction) ([]byte, error) {
	s, err := parseSDP(body)
	if err != nil {
		return nil, err
	}
	for _, md := range s.MediaDescriptions {
		if !strings.EqualFold(md.MediaName.Media, "audio") || md.MediaName.Port.Value == 0 {
			continue
		}
		md.Attributes = setDirectionAttribute(md.Attributes, dir)
	}
	s.Attributes = dropDirectionAttributes(s.Attributes)
	out, err := s.Marshal()
	if err != nil {
		return nil, fmt.Errorf("webrtc: marshal SDP: %w", err)
	}
	return out, nil
}

// forPion is body as pion can take it: every direction turned into
// sendrecv (see the top of this file), and a BUNDLE group when the peer sent
// none. Gateways such as rtpengine offer one audio stream without a group,
// and pion answers a stream outside the remote's (empty) group with port 0,
// rejecting it.
func forPion(body []byte) ([]byte, error) {
	s, err := parseSDP(body)
	if err != nil {
		return nil, err
	}
	for _, md := range s.MediaDescriptions {
		if strings.EqualFold(md.MediaName.Media, "audio") && md.MediaName.Port.Value != 0 {
			md.Attributes = setDirectionAttribute(md.Attributes, media.SendRecv)
		}
	}
	s.Attributes = dropDirectionAttributes(s.Attributes)
	if !hasSessionAttribute(s, "group") {
		var mids []string
		for i, md := range s.MediaDescriptions {
			mid, ok := md.Attribute("mid")
			if !ok {
				mid = strconv.Itoa(i)
				md.Attributes = append(md.Attributes, sdp.NewAttribute("mid", mid))
			}
			if md.MediaName.Port.Value != 0 {
				mids = append(mids, mid)
			}
		}
		s.Attributes = append(s.Attributes, sdp.NewAttribute("group", "BUNDLE "+strings.Join(mids, " ")))
	}
	out, err := s.Marshal()
	if err != nil {
		return nil, fmt.Errorf("webrtc: marshal SDP: %w", err)
	}
	return out, nil
}

func setDirectionAttribute(attrs []sdp.Attribute, dir media.Direction) []sdp.Attribute {
	out := make([]sdp.Attribute, 0, len(attrs)+1)
	placed := false
	for _, a := range attrs {
		if _, err := media.ParseDirection(a.Key); err == nil {
			if !placed {
				out = append(out, sdp.NewPropertyAttribute(dir.String()))
				placed = true
			}
			continue
		}
		out = append(out, a)
	}
	if !placed {
		out = append(out, sdp.NewPropertyAttribute(dir.String()))
	}
	return out
}

func dropDirectionAttributes(attrs []sdp.Attribute) []sdp.Attribute {
	return slices.DeleteFunc(attrs, func(a sdp.Attribute) bool {
		_, err := media.ParseDirection(a.Key)
		return err == nil
	})
}
