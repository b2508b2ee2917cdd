// Package voice makes the sounds of the simulated center: customers' voices
// (a steady tone tests can measure, or Chinese sentences spoken by
// espeak-ng when it is installed), IVR prompts, queue and hold music,
// ringback. Speech is generated at run time into a temporary directory;
// no audio is committed. Without espeak-ng every voice falls back to tones.
//
// Every FrameSource here runs at 8000 Hz and is pulled by one goroutine
// (the room mixer).
package voice
