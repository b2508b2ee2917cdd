// Package audio is the sound path of agentbar: G.711 codecs, 16-bit WAV files,
// signal analysis for tests, tone generators, an adaptive jitter buffer,
// resampling, and the Pipeline that owns the sound devices (through malgo /
// miniaudio) or, headless, WAV files, and hands one Port to each call.
//
// Threads. Two kinds of code run here:
//
//   - REAL-TIME code, called from the device's audio thread (the malgo data
//     callback) or from the headless pacer that stands in for it. It never
//     allocates, never blocks and takes no lock that another goroutine can
//     hold. It talks to the rest of the program only through preallocated
//     single-producer single-consumer rings and atomics. FrameSource.Pull is
//     real-time code.
//   - Everything else (Port.ReadFrame, JitterBuffer.Push, Pipeline methods),
//     which may block and allocate.
//
// Rates. The device runs at its own rate (usually 48000 Hz); each Port
// exchanges 20 ms frames at its codec's rate and the pipeline resamples.
//
// Opus hook. CodecByName knows PCMU and PCMA. A wide-band codec is added by
// implementing Codec; NewCodecSet accepts extra codecs so a build with Opus can
// register it without package-level state.
package audio
