// Package admin is the simulated center's control panel over HTTP on
// loopback: its state, its CDRs, customers calling on demand, arrival rate,
// supervisor commands and the fault knobs. Tests and curious users drive
// the center with it while agentbar is connected to the center's front-ends.
//
//	GET    /admin/state                  the center's snapshot (+ the front-ends' state)
//	GET    /admin/cdrs                   finished calls, oldest first
//	POST   /admin/customer   {"number":"13912345678","trunk":"4008001234","script":[...]}
//	POST   /admin/fault      {"kind":"delay","args":{"method":"REGISTER","for":"2s"}}
//	DELETE /admin/fault?kind=delay       clear one persistent knob (no kind: all)
//	POST   /admin/arrivals   {"per_minute":2}
//	POST   /admin/agent      {"agent":"8002","state":"ready"|"busy"|"break","break_code":"101"}
//	POST   /admin/monitor    {"supervisor":"8000","agent":"8001","mode":"listen"}
//
// Answers are JSON; errors are {"error": "..."} with 400 (bad request), 404
// (unknown agent, call or queue), 409 (not now) or 500. The server listens on
// loopback only and refuses requests that carry a non-loopback Origin, so a
// web page cannot drive it.
package admin
