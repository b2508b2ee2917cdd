package phone

import "agentbar/core/media"

// directionBits splits an SDP direction into "sends" and "receives".
func directionBits(d media.Direction) (send, recv bool) {
	switch d {
	case media.SendRecv:
		return true, true
	case media.SendOnly:
		return true, false
	case media.RecvOnly:
		return false, true
	}
	return false, false
}

func directionFromBits(send, recv bool) media.Direction {
	switch {
	case send && recv:
		return media.SendRecv
	case send:
		return media.SendOnly
	case recv:
		return media.RecvOnly
	}
	return media.Inactive
}

// agree is what we may do given what we want and what the other side said
// (RFC 3264 §6.1): we send only if they receive, and receive only if they
// send. The same rule gives the direction of our answer to their offer and
// our direction once they answer our offer.
func agree(ours, theirs media.Direction) media.Direction {
	os, or := directionBits(ours)
	ts, tr := directionBits(theirs)
	return directionFromBits(os && tr, or && ts)
}

// holdsUs tells whether the other side's direction puts us on hold: it no
// longer wants to receive what we send.
func holdsUs(theirs media.Direction) bool {
	_, recv := directionBits(theirs)
	return !recv
}

// directionAttributeName is the SDP attribute for d (RFC 4566 §6).
func directionAttributeName(d media.Direction) string {
	switch d {
	case media.SendOnly:
		return "sendonly"
	case media.RecvOnly:
		return "recvonly"
	case media.Inactive:
		return "inactive"
	}
	return "sendrecv"
}
