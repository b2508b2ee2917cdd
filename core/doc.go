// Package core is agentbar's agent engine: the one model every platform maps
// into (agent state, calls, capabilities, events) and the single owner of that
// state at run time.
//
// The shape follows baresip's one-header core and database/sql's drivers: a
// platform adapter implements the small Vendor interface plus whichever
// optional capability interfaces (Holder, Transferrer, Supervisor ...) its
// platform really has; the engine finds them by type assertion and reports
// everything else as unsupported. Adapters register themselves with Register
// from their package's init function. Nothing in this package names a
// platform.
//
// Concurrency: one goroutine (the loop) owns all state. Commands are methods
// that validate on the loop, then talk to the platform outside it, bounded by
// a context; the platform's answers come back through the Sink as Updates,
// which the loop applies in arrival order and publishes as Events to every
// subscriber, in order.
package core
