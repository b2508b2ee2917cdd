package main

import (
	"agentbar/audio"
	"agentbar/core/app"
)

// openAudio opens what calls hear and speak through: the WAV files of
// headless mode, else the sound devices from the settings. A machine with
// no usable sound device still runs, on silent virtual devices, and says so
// in the log and to the agent (a DeviceNone notice on the pipeline's events,
// which the window shows).
func openAudio(o runOptions, a *app.App) (*audio.Pipeline, error) {
	if o.audioIn != "" || o.audioOut != "" {
		return audio.NewFilePipeline(audio.FileOptions{In: o.audioIn, Out: o.audioOut, Logger: a.Log})
	}
	s := a.Config.Settings().Audio
	p, err := audio.NewPipeline(audio.Options{
		CaptureID: s.CaptureDevice, PlaybackID: s.PlaybackDevice, RingerID: s.RingerDevice,
		Logger: a.Log,
	})
	if err == nil {
		return p, nil
	}
	a.Log.Warn("audio: no usable sound device; calls run on silent virtual devices", "err", err)
	return audio.NewVirtualPipeline(audio.VirtualOptions{Logger: a.Log, StandIn: err})
}
