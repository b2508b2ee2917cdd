// Package control is agentbar's local control API: the same engine that the
// window drives is driven here by CRMs, scripts and tests, and by the
// `agentbar ctl` command line.
//
// The server listens on a loopback address only. Commands are JSON over
// HTTP (POST /v1/<command>, GET /v1/status ...); the engine's events arrive
// in order over a WebSocket (GET /v1/events), starting with a "hello"
// snapshot. Every request carries a bearer token kept in <dir>/control-token
// (mode 0600); requests from web pages must come from an origin the user
// listed. <dir>/control.json tells local clients where the running instance
// listens. docs/control-api.md is the contract.
//
// Errors reach the caller as JSON with a stable code, the technical text and
// a sentence for the agent in Chinese and English; the Go Client turns them
// back into *APIError. RunCtl and RunHandoff are the command-line front ends.
package control
