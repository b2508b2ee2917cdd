package audio

import "errors"

var (
	// ErrUnknownCodec is returned by CodecByName for an encoding name that has
	// no implementation here.
	ErrUnknownCodec = errors.New("audio: unknown codec")

	// ErrShortBuffer means a destination slice cannot hold the result.
	ErrShortBuffer = errors.New("audio: destination buffer too short")

	// ErrNotWAV means the input is not a RIFF/WAVE file.
	ErrNotWAV = errors.New("audio: not a RIFF WAVE file")

	// ErrUnsupportedWAV means a WAVE file in a format other than 16-bit PCM.
	ErrUnsupportedWAV = errors.New("audio: unsupported WAVE format (need 16-bit PCM)")

	// ErrCorruptWAV means a WAVE file whose chunks are truncated or inconsistent.
	ErrCorruptWAV = errors.New("audio: corrupt WAVE file")

	// ErrBadRate means a sample rate that is zero, negative or does not give a
	// whole number of samples per 20 ms frame.
	ErrBadRate = errors.New("audio: unsupported sample rate")

	// ErrClosed is returned by operations on a closed Port, Pipeline or writer.
	ErrClosed = errors.New("audio: closed")

	// ErrNoDevice means no capture or playback device could be opened.
	ErrNoDevice = errors.New("audio: no usable sound device")

	// ErrUnknownBackend is returned for a backend name other than auto, null,
	// pulseaudio or alsa.
	ErrUnknownBackend = errors.New("audio: unknown backend")

	// ErrRecording is returned when a recording is started twice on one port.
	ErrRecording = errors.New("audio: already recording")
)

// DeviceError is the agent-facing error for a sound device that cannot be
// used. Error keeps the technical detail; Sentence gives the agent a sentence.
type DeviceError struct {
	Kind string // "capture", "playback" or "ringer"
	Name string // device name as the system reports it, may be empty
	Err  error
}

func (e *DeviceError) Error() string {
	return "audio: " + e.Kind + " device " + quoteOrDefault(e.Name) + ": " + e.Err.Error()
}

func (e *DeviceError) Unwrap() error { return e.Err }

// Sentence describes the problem for the agent in lang ("zh" or "en").
func (e *DeviceError) Sentence(lang string) string {
	if lang == "en" {
		switch e.Kind {
		case "capture":
			return "The microphone cannot be used. Check that the headset is plugged in, or pick another microphone in Settings."
		case "ringer":
			return "The ringer device cannot be used; incoming calls will ring on the headset."
		default:
			return "The speaker or headset cannot be used. Check that it is plugged in, or pick another device in Settings."
		}
	}
	switch e.Kind {
	case "capture":
		return "无法使用麦克风。请检查耳麦是否插好，或在设置中选择其他麦克风。"
	case "ringer":
		return "无法使用振铃设备，来电将在耳麦中响铃。"
	default:
		return "无法使用扬声器或耳机。请检查是否插好，或在设置中选择其他设备。"
	}
}

func quoteOrDefault(name string) string {
	if name == "" {
		return "(default)"
	}
	return `"` + name + `"`
}
