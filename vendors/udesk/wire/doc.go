// Package wire is the Udesk CC PaaS wire contract that agentbar defines for
// the 2.1.0 API SDK (docs/vendors/udesk.md): JSON frames on a WebSocket at
// Domain, the same envelopes over HTTP at HttpDomain, and the token the
// customer's backend hands out. The SDK documents JavaScript methods, not a
// wire format; this package carries exactly the SDK's method, event and
// field names, so that both the adapter (vendors/udesk) and the simulator
// (vendors/udesk/udesksim) speak one contract, and correcting it against a
// real server touches one place.
//
// Nothing here knows the engine's model: vendors/udesk/mapping.go maps these
// names and values into it.
package wire
