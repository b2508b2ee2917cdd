package audio

import "fmt"

// DeviceEventKind says what happened to a sound device.
type DeviceEventKind int

const (
	// DeviceMissing: the chosen device is not present (at start, or when
	// choosing); the system default is used instead.
	DeviceMissing DeviceEventKind = iota + 1
	// DeviceLost: the device stopped in use (unplugged, server gone).
	DeviceLost
	// DeviceFallback: audio now runs on the system default device.
	DeviceFallback
	// DeviceFailed: no device could be opened; audio is silent until one can.
	DeviceFailed
	// DeviceNone: there was no usable sound device at start, so silent
	// virtual devices stand in for this run (NewVirtualPipeline with
	// VirtualOptions.StandIn): only a restart picks up a headset.
	DeviceNone
)

func (k DeviceEventKind) String() string {
	switch k {
	case DeviceMissing:
		return "missing"
	case DeviceLost:
		return "lost"
	case DeviceFallback:
		return "fallback"
	case DeviceFailed:
		return "failed"
	case DeviceNone:
		return "none"
	}
	return fmt.Sprintf("DeviceEventKind(%d)", int(k))
}

// DeviceEvent is a notice about the sound devices for the agent (and the
// log). Pipeline.Events delivers them in order.
type DeviceEvent struct {
	Kind DeviceEventKind
	Role string // "capture", "playback", "duplex" or "ringer"
	Name string // the device's name or ID, when known
	Err  error
}

func (e DeviceEvent) String() string {
	s := fmt.Sprintf("audio %s device %s: %s", e.Role, quoteOrDefault(e.Name), e.Kind)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Sentence tells the agent what happened, in lang ("zh" or "en").
func (e DeviceEvent) Sentence(lang string) string {
	en := lang == "en"
	switch e.Kind {
	case DeviceMissing:
		if en {
			return "The chosen sound device is not connected; using the system default."
		}
		return "所选音频设备未连接，已改用系统默认设备。"
	case DeviceLost:
		if en {
			return "The sound device was disconnected."
		}
		return "音频设备已断开。"
	case DeviceFallback:
		if en {
			return "Sound now goes through the system default device."
		}
		return "声音已切换到系统默认设备。"
	case DeviceFailed:
		if en {
			return "No sound device can be used. Plug in a headset; the call continues without sound until then."
		}
		return "没有可用的音频设备。请插入耳麦；在此之前通话将没有声音。"
	case DeviceNone:
		if en {
			return "No sound device could be opened, so calls have no sound. Plug in a headset, then restart agentbar."
		}
		return "没有能打开的音频设备，通话将没有声音。请插入耳麦后重新启动 agentbar。"
	}
	return e.String()
}
