package room

import "errors"

var (
	// ErrClosed: the room or the mixer is closed.
	ErrClosed = errors.New("room: closed")
	// ErrUnknownParty: no party has that id in the room.
	ErrUnknownParty = errors.New("room: unknown party")
	// ErrDuplicateParty: a party with that id is already in the room.
	ErrDuplicateParty = errors.New("room: party already in the room")
	// ErrRate: a port was asked for a rate other than 8000 Hz.
	ErrRate = errors.New("room: only 8000 Hz is mixed")
)
