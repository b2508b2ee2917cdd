package audio

// Mixing several streams into one frame: sum in 32 bits, then clip once.
// REAL-TIME: no allocation.

// Accumulate adds src into acc sample by sample (acc must be at least as
// long as src).
func Accumulate(acc []int32, src []int16) {
	acc = acc[:len(src)]
	for i, s := range src {
		acc[i] += int32(s)
	}
}

// AccumulateScaled adds src·gain into acc, gain in 1/256 steps (256 = unity),
// for ducking tones under speech.
func AccumulateScaled(acc []int32, src []int16, gain int32) {
	acc = acc[:len(src)]
	for i, s := range src {
		acc[i] += int32(s) * gain >> 8
	}
}

// Clip writes acc to dst, saturating at the int16 limits. It returns the
// number of samples that had to be clipped.
func Clip(dst []int16, acc []int32) int {
	clipped := 0
	dst = dst[:len(acc)]
	for i, v := range acc {
		switch {
		case v > 32767:
			dst[i] = 32767
			clipped++
		case v < -32768:
			dst[i] = -32768
			clipped++
		default:
			dst[i] = int16(v)
		}
	}
	return clipped
}

// MixInto adds src into dst with saturation: the two-stream shortcut.
func MixInto(dst, src []int16) {
	dst = dst[:len(src)]
	for i, s := range src {
		v := int32(dst[i]) + int32(s)
		dst[i] = int16(min(max(v, -32768), 32767))
	}
}
