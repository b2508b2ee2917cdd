package voice

import "errors"

var (
	// ErrNoSpeech: espeak-ng is not installed (or failed); tones are used.
	ErrNoSpeech = errors.New("voice: no speech synthesiser")
	// ErrClosed: the library has been closed.
	ErrClosed = errors.New("voice: library closed")
)
