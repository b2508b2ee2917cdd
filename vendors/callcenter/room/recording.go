package room

import "agentbar/audio"

// recording is one party's stereo WAV: left what it said, right what it
// heard. Written from the mixer goroutine (the WAV writer buffers).
type recording struct {
	wav    *audio.WAVWriter
	stereo [2 * FrameSamples]int16
	err    error
}

func newRecording(path string) (*recording, error) {
	w, err := audio.CreateWAVFile(path, audio.WAVFormat{SampleRate: Rate, Channels: 2})
	if err != nil {
		return nil, err
	}
	return &recording{wav: w}, nil
}

func (r *recording) write(said, heard []int16) {
	if r.err != nil {
		return
	}
	for i := range said {
		r.stereo[2*i], r.stereo[2*i+1] = said[i], heard[i]
	}
	r.err = r.wav.Write(r.stereo[:])
}

func (r *recording) close() error {
	err := r.wav.Close()
	if r.err != nil {
		return r.err
	}
	return err
}
