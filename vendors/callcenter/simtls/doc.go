// Package simtls makes the throwaway TLS identity of a simulator that
// listens on loopback: a self-signed certificate for 127.0.0.1, ::1 and
// localhost, and the pool that trusts it. The simulators (emicsim's WSS
// event socket, the SIP front's WSS for the Udesk web phone), their demos
// and their tests use it; nobody else ever connects to such a server, so
// nothing is written to disk and nothing is trusted system-wide.
package simtls
