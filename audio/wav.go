package audio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// 16-bit PCM RIFF/WAVE, mono or multi-channel, any rate; no dependencies.

// WAVFormat describes the samples of a WAVE file.
type WAVFormat struct {
	SampleRate int
	Channels   int
}

// WAV is a whole 16-bit PCM file in memory, samples interleaved by channel.
type WAV struct {
	Format  WAVFormat
	Samples []int16
}

// Frames is the number of sample frames (samples per channel).
func (w *WAV) Frames() int {
	if w.Format.Channels <= 0 {
		return 0
	}
	return len(w.Samples) / w.Format.Channels
}

// Duration is the playing time.
func (w *WAV) Duration() time.Duration {
	if w.Format.SampleRate <= 0 {
		return 0
	}
	return time.Duration(int64(w.Frames()) * int64(time.Second) / int64(w.Format.SampleRate))
}

// Channel returns a copy of one channel (0 = left).
func (w *WAV) Channel(ch int) []int16 {
	n := w.Format.Channels
	if ch < 0 || ch >= n {
		return nil
	}
	out := make([]int16, w.Frames())
	for i := range out {
		out[i] = w.Samples[i*n+ch]
	}
	return out
}

// Mono returns the average of all channels.
func (w *WAV) Mono() []int16 {
	n := w.Format.Channels
	if n == 1 {
		return append([]int16(nil), w.Samples...)
	}
	out := make([]int16, w.Frames())
	for i := range out {
		var sum int
		for c := range n {
			sum += int(w.Samples[i*n+c])
		}
		out[i] = int16(sum / n)
	}
	return out
}

const (
	wavHeaderSize     = 44
	wavFormatPCM      = 1
	wavFormatExtended = 0xFFFE
	wavMaxChannels    = 16
	wavMaxRate        = 768000
	// wavMaxData bounds what ReadWAV accepts, so a hostile header cannot make
	// it allocate gigabytes.
	wavMaxData = 1 << 30
	// wavUnknownSize is the data size streaming writers leave in the header.
	wavUnknownSize = 0xFFFFFFFF
)

// ReadWAV reads a 16-bit PCM WAVE file. It skips chunks it does not know,
// accepts WAVE_FORMAT_EXTENSIBLE with the PCM sub-format, and reads a data
// chunk of unknown (0 or 0xFFFFFFFF) or overstated size up to the end of the
// input, keeping whole sample frames.
func ReadWAV(r io.Reader) (*WAV, error) {
	var riff [12]byte
	if _, err := io.ReadFull(r, riff[:]); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotWAV, err)
	}
	if string(riff[0:4]) != "RIFF" || string(riff[8:12]) != "WAVE" {
		return nil, ErrNotWAV
	}
	var format WAVFormat
	haveFormat := false
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil, fmt.Errorf("%w: no data chunk: %w", ErrCorruptWAV, err)
		}
		id := string(hdr[0:4])
		size := binary.LittleEndian.Uint32(hdr[4:8])
		switch id {
		case "fmt ":
			f, err := readWAVFormatChunk(r, size)
			if err != nil {
				return nil, err
			}
			format, haveFormat = f, true
		case "data":
			if !haveFormat {
				return nil, fmt.Errorf("%w: data chunk before fmt chunk", ErrCorruptWAV)
			}
			samples, err := readWAVData(r, size, format.Channels)
			if err != nil {
				return nil, err
			}
			return &WAV{Format: format, Samples: samples}, nil
		default:
			if err := skipChunk(r, size); err != nil {
				return nil, fmt.Errorf("%w: chunk %q: %w", ErrCorruptWAV, id, err)
			}
		}
	}
}

func readWAVFormatChunk(r io.Reader, size uint32) (WAVFormat, error) {
	if size < 16 || size > 1024 {
		return WAVFormat{}, fmt.Errorf("%w: fmt chunk of %d bytes", ErrCorruptWAV, size)
	}
	buf := make([]byte, size+size%2)
	if _, err := io.ReadFull(r, buf); err != nil {
		return WAVFormat{}, fmt.Errorf("%w: fmt chunk: %w", ErrCorruptWAV, err)
	}
	tag := binary.LittleEndian.Uint16(buf[0:2])
	channels := int(binary.LittleEndian.Uint16(buf[2:4]))
	rate := int(binary.LittleEndian.Uint32(buf[4:8]))
	blockAlign := int(binary.LittleEndian.Uint16(buf[12:14]))
	bits := int(binary.LittleEndian.Uint16(buf[14:16]))
	if tag == wavFormatExtended {
		// WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) GUID(16);
		// the GUID starts with the plain format tag.
		if size < 40 {
			return WAVFormat{}, fmt.Errorf("%w: short extensible fmt chunk", ErrCorruptWAV)
		}
		tag = binary.LittleEndian.Uint16(buf[24:26])
	}
	if tag != wavFormatPCM || bits != 16 {
		return WAVFormat{}, fmt.Errorf("%w: format tag %d, %d bits", ErrUnsupportedWAV, tag, bits)
	}
	if channels < 1 || channels > wavMaxChannels || rate < 1 || rate > wavMaxRate || blockAlign != 2*channels {
		return WAVFormat{}, fmt.Errorf("%w: %d channels, %d Hz, block align %d", ErrCorruptWAV, channels, rate, blockAlign)
	}
	return WAVFormat{SampleRate: rate, Channels: channels}, nil
}

func readWAVData(r io.Reader, size uint32, channels int) ([]int16, error) {
	var limit int64 = wavMaxData
	if size != 0 && size != wavUnknownSize && int64(size) < limit {
		limit = int64(size)
	}
	data, err := io.ReadAll(io.LimitReader(r, limit))
	if err != nil {
		return nil, fmt.Errorf("%w: data chunk: %w", ErrCorruptWAV, err)
	}
	frameBytes := 2 * channels
	data = data[:len(data)-len(data)%frameBytes]
	samples := make([]int16, len(data)/2)
	for i := range samples {
		samples[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
	}
	return samples, nil
}

func skipChunk(r io.Reader, size uint32) error {
	n := int64(size) + int64(size%2)
	if s, ok := r.(io.Seeker); ok {
		_, err := s.Seek(n, io.SeekCurrent)
		return err
	}
	_, err := io.CopyN(io.Discard, r, n)
	return err
}

// ReadWAVFile reads a WAVE file from disk.
func ReadWAVFile(path string) (*WAV, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w, err := ReadWAV(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return w, nil
}

// WriteWAV writes a whole 16-bit PCM WAVE file.
func WriteWAV(w io.Writer, wav *WAV) error {
	if err := checkWAVFormat(wav.Format); err != nil {
		return err
	}
	if len(wav.Samples)%wav.Format.Channels != 0 {
		return fmt.Errorf("audio: %d samples is not a whole number of %d-channel frames", len(wav.Samples), wav.Format.Channels)
	}
	bw := bufio.NewWriter(w)
	hdr := wavHeader(wav.Format, uint32(2*len(wav.Samples)))
	if _, err := bw.Write(hdr[:]); err != nil {
		return err
	}
	if err := writeSamplesLE(bw, wav.Samples); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteWAVFile writes a whole WAVE file to disk.
func WriteWAVFile(path string, wav *WAV) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := WriteWAV(f, wav); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func checkWAVFormat(f WAVFormat) error {
	if f.Channels < 1 || f.Channels > wavMaxChannels {
		return fmt.Errorf("audio: WAVE with %d channels", f.Channels)
	}
	if f.SampleRate < 1 || f.SampleRate > wavMaxRate {
		return fmt.Errorf("%w: %d Hz", ErrBadRate, f.SampleRate)
	}
	return nil
}

func wavHeader(f WAVFormat, dataBytes uint32) [wavHeaderSize]byte {
	var h [wavHeaderSize]byte
	le := binary.LittleEndian
	copy(h[0:4], "RIFF")
	le.PutUint32(h[4:8], 36+dataBytes)
	copy(h[8:12], "WAVE")
	copy(h[12:16], "fmt ")
	le.PutUint32(h[16:20], 16)
	le.PutUint16(h[20:22], wavFormatPCM)
	le.PutUint16(h[22:24], uint16(f.Channels))
	le.PutUint32(h[24:28], uint32(f.SampleRate))
	le.PutUint32(h[28:32], uint32(f.SampleRate*f.Channels*2))
	le.PutUint16(h[32:34], uint16(f.Channels*2))
	le.PutUint16(h[34:36], 16)
	copy(h[36:40], "data")
	le.PutUint32(h[40:44], dataBytes)
	return h
}

func writeSamplesLE(w io.Writer, samples []int16) error {
	var buf [1024]byte
	for len(samples) > 0 {
		n := min(len(samples), len(buf)/2)
		for i, s := range samples[:n] {
			binary.LittleEndian.PutUint16(buf[2*i:], uint16(s))
		}
		if _, err := w.Write(buf[:2*n]); err != nil {
			return err
		}
		samples = samples[n:]
	}
	return nil
}

// WAVWriter streams samples into a WAVE file and fixes the sizes in the
// header on Close, so a recording is valid however long it gets. If the
// program dies first the header says "unknown size", which ReadWAV (and
// most players) read to the end of the file.
type WAVWriter struct {
	dst    io.WriteSeeker
	closer io.Closer // the file, when CreateWAVFile opened it
	buf    *bufio.Writer
	format WAVFormat
	bytes  int64
	closed bool
}

// NewWAVWriter writes a header to dst and returns a writer for the samples.
func NewWAVWriter(dst io.WriteSeeker, f WAVFormat) (*WAVWriter, error) {
	if err := checkWAVFormat(f); err != nil {
		return nil, err
	}
	w := &WAVWriter{dst: dst, buf: bufio.NewWriterSize(dst, 64<<10), format: f}
	hdr := wavHeader(f, wavUnknownSize-36)
	if _, err := w.buf.Write(hdr[:]); err != nil {
		return nil, err
	}
	return w, nil
}

// CreateWAVFile creates (or truncates) path and returns a writer into it.
func CreateWAVFile(path string, f WAVFormat) (*WAVWriter, error) {
	file, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w, err := NewWAVWriter(file, f)
	if err != nil {
		file.Close()
		return nil, err
	}
	w.closer = file
	return w, nil
}

// Format is the format given at creation.
func (w *WAVWriter) Format() WAVFormat { return w.format }

// Write appends interleaved samples.
func (w *WAVWriter) Write(samples []int16) error {
	if w.closed {
		return ErrClosed
	}
	if err := writeSamplesLE(w.buf, samples); err != nil {
		return err
	}
	w.bytes += int64(2 * len(samples))
	return nil
}

// Close flushes, writes the final sizes into the header and closes the file
// if CreateWAVFile opened it.
func (w *WAVWriter) Close() error {
	if w.closed {
		return ErrClosed
	}
	w.closed = true
	err := w.finish()
	if w.closer != nil {
		err = errors.Join(err, w.closer.Close())
	}
	return err
}

func (w *WAVWriter) finish() error {
	if err := w.buf.Flush(); err != nil {
		return err
	}
	dataBytes := uint32(min(w.bytes, wavUnknownSize-36))
	hdr := wavHeader(w.format, dataBytes)
	if _, err := w.dst.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := w.dst.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.dst.Seek(0, io.SeekEnd)
	return err
}
