// Package callcenter is a small but real contact center that runs in
// process: tenants, agents with skills and the supervisor role, queues with
// longest-idle routing, ring timeouts, re-queueing and overflow, simulated
// customers (scripted or Poisson arrivals) with patience, voices and DTMF,
// IVR flows with a satisfaction survey, trunk and caller-ID numbers and
// pools, caller locations, wrap-up timers, break reasons, CDRs, and fault
// knobs.
//
// It is the server side that every platform simulator is a front-end of:
// the SIP registrar and B2BUA in sipfront (and the Udesk, Emicnet ...
// fronts later) translate their protocol into calls of this package's API
// and its events back into their protocol. It keeps its own truth: who is
// in each call and who hears whom (Mix), which the media front-ends carry
// out and tests check against what each party actually hears.
//
// Some parties have no front-end leg: the simulated customer, outside
// numbers rung for transfers and consults (OutsideLeg events), agents'
// devices elsewhere (SetAgentDevice; DeviceLeg events) and the center's
// own voice. The center plays them itself; its events say when each joins
// or leaves a call's room and how it sounds. Platform-placed calls
// (PlaceCall) ring the agent's own device before dialling.
//
// # Concurrency
//
// One mutex guards the model; every method is short and never blocks on
// the network. Timers (a Clock's AfterFunc) re-enter through the mutex and
// check that they are still current. Events leave through Subscriptions,
// in order, each with its own unbounded queue and goroutine, so a slow
// front-end cannot stall the center. With a FakeClock, timers run in the
// goroutine that calls Advance: a test sees every consequence of a step
// before Advance returns.
//
// # Determinism
//
// Every random choice (arrival gaps, customer numbers, patience, talk
// times, voices) comes from one math/rand/v2 PCG source seeded by
// Config.Seed, drawn under the mutex, so the same seed and the same clock
// give the same calls and CDRs.
//
// See docs/simulator.md for the rules (routing, states, mixes, faults).
package callcenter
