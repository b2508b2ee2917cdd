package audio

import (
	"fmt"
	"os"
	"strings"

	"github.com/gen2brain/malgo"
)

// Backend names the sound system miniaudio talks to.
type Backend string

// Backends. BackendNull is miniaudio's null backend: devices that tick in
// real time with silence in and nowhere out, for machines without sound
// hardware (CI).
const (
	BackendAuto       Backend = "auto"
	BackendNull       Backend = "null"
	BackendPulseAudio Backend = "pulseaudio"
	BackendALSA       Backend = "alsa"
)

// BackendEnv is the environment variable that overrides the configured
// backend: AGENTBAR_AUDIO_BACKEND=null runs without sound hardware.
const BackendEnv = "AGENTBAR_AUDIO_BACKEND"

// miniaudio's null backend. malgo's Go enum lacks ma_backend_custom, so its
// BackendNull (13) is really the custom backend; the null backend is 14.
const malgoNullBackend = malgo.Backend(14)

// ParseBackend reads a backend name; "" is auto.
func ParseBackend(s string) (Backend, error) {
	switch b := Backend(strings.ToLower(strings.TrimSpace(s))); b {
	case "":
		return BackendAuto, nil
	case BackendAuto, BackendNull, BackendPulseAudio, BackendALSA:
		return b, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownBackend, s)
}

// effectiveBackend applies the environment override.
func effectiveBackend(configured Backend) (Backend, error) {
	if env := os.Getenv(BackendEnv); env != "" {
		return ParseBackend(env)
	}
	if configured == "" {
		return BackendAuto, nil
	}
	return ParseBackend(string(configured))
}

// malgoBackends is the list to give miniaudio; nil lets it try its default
// order.
func (b Backend) malgoBackends() []malgo.Backend {
	switch b {
	case BackendNull:
		return []malgo.Backend{malgoNullBackend}
	case BackendPulseAudio:
		return []malgo.Backend{malgo.BackendPulseaudio}
	case BackendALSA:
		return []malgo.Backend{malgo.BackendAlsa}
	}
	return nil
}

// DeviceInfo describes one capture or playback device.
type DeviceInfo struct {
	// ID is miniaudio's device ID as a string: what settings persist.
	ID      string
	Name    string
	Default bool
}

// DeviceList is what ListDevices finds.
type DeviceList struct {
	Capture, Playback []DeviceInfo
}

// ListDevices enumerates the devices of a backend (after the environment
// override).
func ListDevices(backend Backend) (DeviceList, error) {
	b, err := effectiveBackend(backend)
	if err != nil {
		return DeviceList{}, err
	}
	ctx, err := malgo.InitContext(b.malgoBackends(), malgo.ContextConfig{}, nil)
	if err != nil {
		return DeviceList{}, fmt.Errorf("%w: %s backend: %w", ErrNoDevice, b, err)
	}
	defer func() {
		_ = ctx.Uninit()
		ctx.Free()
	}()
	var list DeviceList
	for _, kind := range []malgo.DeviceType{malgo.Capture, malgo.Playback} {
		infos, err := ctx.Devices(kind)
		if err != nil {
			return DeviceList{}, fmt.Errorf("audio: listing devices: %w", err)
		}
		out := make([]DeviceInfo, 0, len(infos))
		for i := range infos {
			out = append(out, DeviceInfo{ID: infos[i].ID.String(), Name: infos[i].Name(), Default: infos[i].IsDefault != 0})
		}
		if kind == malgo.Capture {
			list.Capture = out
		} else {
			list.Playback = out
		}
	}
	return list, nil
}
