package sipfront

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pion/sdp/v3"

	"agentbar/core/webrtc"
)

// classifyOffer tells a WebRTC offer (its audio is DTLS-SRTP:
// UDP/TLS/RTP/SAVPF) from a plain RTP one and checks it the way its kind
// will be answered: ErrBadSDP for what cannot be read, ErrNoCodec (488)
// for an offer we cannot take (no codec in common, a WebRTC offer without
// ICE credentials or fingerprint).
func classifyOffer(body []byte) (webRTC bool, err error) {
	if !isWebRTCSDP(body) {
		_, err := parseSDP(body)
		return false, err
	}
	if _, err := webrtc.InspectSDP(body); err != nil {
		if errors.Is(err, webrtc.ErrMalformedSDP) {
			return true, fmt.Errorf("%w: %w", ErrBadSDP, err)
		}
		return true, fmt.Errorf("%w: %w", ErrNoCodec, err)
	}
	return true, nil
}

// isWebRTCSDP reports whether the first audio stream of body is secure RTP
// over DTLS, as WebRTC endpoints offer it.
func isWebRTCSDP(body []byte) bool {
	var s sdp.SessionDescription
	if err := s.Unmarshal(body); err != nil {
		// pion/sdp wants RFC 4566's line order, which some endpoints do not
		// keep: look at the m= line itself.
		for _, line := range strings.Split(string(body), "\n") {
			if f := strings.Fields(strings.TrimSpace(line)); len(f) >= 3 && strings.EqualFold(f[0], "m=audio") {
				return secureProto(f[2])
			}
		}
		return false
	}
	for _, m := range s.MediaDescriptions {
		if strings.EqualFold(m.MediaName.Media, "audio") {
			return secureProto(strings.Join(m.MediaName.Protos, "/"))
		}
	}
	return false
}

func secureProto(proto string) bool {
	p := strings.ToUpper(proto)
	return strings.Contains(p, "SAVP") && (strings.Contains(p, "TLS") || strings.Contains(p, "DTLS"))
}
