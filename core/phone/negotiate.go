package phone

import "strings"

// chooseForAnswer picks the codec of our answer to offer: the offer's first
// format that we support (the offerer's preference), except that keep — the
// codec a call already uses — wins when the offer still lists it, so a
// re-INVITE never switches codecs under a running audio port.
func chooseForAnswer(offer *remoteMedia, ours []codecSpec, keep string) (codecSpec, bool) {
	if keep != "" {
		for _, f := range offer.formats {
			if strings.EqualFold(f.name, keep) {
				for _, c := range ours {
					if c.name == f.name && c.clock == f.clock {
						return codecSpec{name: c.name, pt: f.pt, clock: c.clock}, true
					}
				}
			}
		}
	}
	for _, f := range offer.formats {
		for _, c := range ours {
			if c.name == f.name && c.clock == f.clock {
				return codecSpec{name: c.name, pt: f.pt, clock: c.clock}, true
			}
		}
	}
	return codecSpec{}, false
}

// chooseFromAnswer picks the codec once our offer is answered: the answer's
// first format that we offered (RFC 3264 §6.1: the answerer's order is its
// preference).
func chooseFromAnswer(answer *remoteMedia, offered []codecSpec) (codecSpec, bool) {
	for _, f := range answer.formats {
		for _, c := range offered {
			if c.name == f.name && c.clock == f.clock {
				return codecSpec{name: c.name, pt: f.pt, clock: c.clock}, true
			}
		}
	}
	return codecSpec{}, false
}

// preferFirst reorders codecs so that name comes first (re-offers keep the
// running codec on top).
func preferFirst(codecs []codecSpec, name string) []codecSpec {
	out := make([]codecSpec, 0, len(codecs))
	for _, c := range codecs {
		if c.name == name {
			out = append(out, c)
		}
	}
	for _, c := range codecs {
		if c.name != name {
			out = append(out, c)
		}
	}
	return out
}
