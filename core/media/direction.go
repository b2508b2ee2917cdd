package media

import "fmt"

// Direction is a stream's direction as SDP's a=sendrecv/sendonly/recvonly/
// inactive attributes say it. In Params it is OUR direction: what we do.
type Direction int

// The four SDP directions. The zero value is SendRecv, the SDP default.
const (
	SendRecv Direction = iota
	SendOnly
	RecvOnly
	Inactive
)

// String is the SDP attribute name.
func (d Direction) String() string {
	switch d {
	case SendRecv:
		return "sendrecv"
	case SendOnly:
		return "sendonly"
	case RecvOnly:
		return "recvonly"
	case Inactive:
		return "inactive"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// ParseDirection reads an SDP direction attribute name.
func ParseDirection(s string) (Direction, error) {
	switch s {
	case "sendrecv":
		return SendRecv, nil
	case "sendonly":
		return SendOnly, nil
	case "recvonly":
		return RecvOnly, nil
	case "inactive":
		return Inactive, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrUnknownDirection, s)
}

// Sends reports whether RTP goes out in this direction.
func (d Direction) Sends() bool { return d == SendRecv || d == SendOnly }

// Receives reports whether incoming RTP is played in this direction.
func (d Direction) Receives() bool { return d == SendRecv || d == RecvOnly }

// Reverse is the direction the peer should have for ours: the answer to an
// offer of d.
func (d Direction) Reverse() Direction {
	switch d {
	case SendOnly:
		return RecvOnly
	case RecvOnly:
		return SendOnly
	}
	return d
}
