package demokit

import "errors"

// ErrVoiceRate: a colleague's phone asked for audio at a rate other than
// 8 kHz (the demo center speaks G.711 only).
var ErrVoiceRate = errors.New("demokit: colleague's voice runs at 8000 Hz only")
