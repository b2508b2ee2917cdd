// Package room mixes the audio of the center's calls: one Room per call,
// one Party per participant (a SIP leg, a simulated customer, the center's
// own voice), and a matrix saying who hears whom. One Mixer goroutine
// clocks every room: each 20 ms it pulls one frame from every party's
// voice, builds each party's mix from the voices it may hear, hands it to
// the party (a leg's RTP sender, or nowhere) and keeps the last seconds of
// what every party said and heard, which is the center's truth about
// "what each party hears" that tests measure.
//
// Everything runs at 8000 Hz, G.711's rate: the center speaks G.711 only.
//
// Threads. The Mixer goroutine is the only caller of the voices' Pull
// (jitter buffers and tones have one consumer) and of the parties' outputs.
// Room and Party methods may be called from any goroutine; they take the
// room's mutex, which the tick holds for the few microseconds a room's mix
// takes.
package room
