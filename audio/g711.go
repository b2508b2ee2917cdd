package audio

// G.711 (ITU-T G.711, 1988) µ-law and A-law, table driven. The tables are
// built once from the reference algorithm (the widely used Sun Microsystems
// g711.c, which follows the ITU tables) and are read-only afterwards.

const g711ClockRate = 8000

// PCMU is G.711 µ-law, RTP static payload type 0.
type PCMU struct{}

// PCMA is G.711 A-law, RTP static payload type 8.
type PCMA struct{}

var (
	_ Codec = PCMU{}
	_ Codec = PCMA{}
)

// Name implements Codec.
func (PCMU) Name() string { return "PCMU" }

// ClockRate implements Codec.
func (PCMU) ClockRate() int { return g711ClockRate }

// SampleRate implements Codec.
func (PCMU) SampleRate() int { return g711ClockRate }

// Encode implements Codec: one byte per sample.
func (PCMU) Encode(pcm []int16, dst []byte) (int, error) {
	if len(dst) < len(pcm) {
		return 0, ErrShortBuffer
	}
	dst = dst[:len(pcm)]
	for i, s := range pcm {
		dst[i] = ulawEncodeTable[uint16(s)>>2]
	}
	return len(pcm), nil
}

// Decode implements Codec.
func (PCMU) Decode(payload []byte, dst []int16) (int, error) {
	if len(dst) < len(payload) {
		return 0, ErrShortBuffer
	}
	dst = dst[:len(payload)]
	for i, b := range payload {
		dst[i] = ulawDecodeTable[b]
	}
	return len(payload), nil
}

// Name implements Codec.
func (PCMA) Name() string { return "PCMA" }

// ClockRate implements Codec.
func (PCMA) ClockRate() int { return g711ClockRate }

// SampleRate implements Codec.
func (PCMA) SampleRate() int { return g711ClockRate }

// Encode implements Codec: one byte per sample.
func (PCMA) Encode(pcm []int16, dst []byte) (int, error) {
	if len(dst) < len(pcm) {
		return 0, ErrShortBuffer
	}
	dst = dst[:len(pcm)]
	for i, s := range pcm {
		dst[i] = alawEncodeTable[uint16(s)>>3]
	}
	return len(pcm), nil
}

// Decode implements Codec.
func (PCMA) Decode(payload []byte, dst []int16) (int, error) {
	if len(dst) < len(payload) {
		return 0, ErrShortBuffer
	}
	dst = dst[:len(payload)]
	for i, b := range payload {
		dst[i] = alawDecodeTable[b]
	}
	return len(payload), nil
}

// Lookup tables, indexed by the top 14 (µ-law) or 13 (A-law) bits of the
// sample seen as unsigned, which is all G.711 looks at.
var (
	ulawEncodeTable = buildEncodeTable(1<<14, 2, linearToULaw)
	alawEncodeTable = buildEncodeTable(1<<13, 3, linearToALaw)
	ulawDecodeTable = buildDecodeTable(uLawToLinear)
	alawDecodeTable = buildDecodeTable(aLawToLinear)
)

func buildEncodeTable(size int, shift uint, encode func(int) byte) []byte {
	table := make([]byte, size)
	for i := range table {
		sample := int(int16(uint16(i) << shift))
		table[i] = encode(sample)
	}
	return table
}

func buildDecodeTable(decode func(byte) int) *[256]int16 {
	var table [256]int16
	for i := range table {
		table[i] = int16(decode(byte(i)))
	}
	return &table
}

const (
	g711SignBit   = 0x80
	g711QuantMask = 0x0f
	g711SegShift  = 4
	g711SegMask   = 0x70
	ulawBias      = 0x84
	ulawClip      = 8159
)

var (
	ulawSegEnd = [8]int{0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF}
	alawSegEnd = [8]int{0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF}
)

func segmentOf(v int, ends *[8]int) int {
	for i, end := range ends {
		if v <= end {
			return i
		}
	}
	return len(ends)
}

// linearToULaw is the reference µ-law encoder for a 16-bit sample.
func linearToULaw(pcm int) byte {
	pcm >>= 2
	mask := 0xFF
	if pcm < 0 {
		pcm = -pcm
		mask = 0x7F
	}
	if pcm > ulawClip {
		pcm = ulawClip
	}
	pcm += ulawBias >> 2
	seg := segmentOf(pcm, &ulawSegEnd)
	if seg >= 8 {
		return byte(0x7F ^ mask)
	}
	return byte(((seg << 4) | ((pcm >> (seg + 1)) & 0xF)) ^ mask)
}

// uLawToLinear is the reference µ-law decoder, giving a 16-bit sample.
func uLawToLinear(u byte) int {
	u = ^u
	t := (int(u&g711QuantMask) << 3) + ulawBias
	t <<= (uint(u) & g711SegMask) >> g711SegShift
	if u&g711SignBit != 0 {
		return ulawBias - t
	}
	return t - ulawBias
}

// linearToALaw is the reference A-law encoder for a 16-bit sample.
func linearToALaw(pcm int) byte {
	pcm >>= 3
	mask := 0xD5
	if pcm < 0 {
		mask = 0x55
		pcm = -pcm - 1
	}
	seg := segmentOf(pcm, &alawSegEnd)
	if seg >= 8 {
		return byte(0x7F ^ mask)
	}
	aval := seg << g711SegShift
	if seg < 2 {
		aval |= (pcm >> 1) & g711QuantMask
	} else {
		aval |= (pcm >> seg) & g711QuantMask
	}
	return byte(aval ^ mask)
}

// aLawToLinear is the reference A-law decoder, giving a 16-bit sample.
func aLawToLinear(a byte) int {
	a ^= 0x55
	t := int(a&g711QuantMask) << 4
	seg := (uint(a) & g711SegMask) >> g711SegShift
	switch seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t += 0x108
		t <<= seg - 1
	}
	if a&g711SignBit != 0 {
		return t
	}
	return -t
}
