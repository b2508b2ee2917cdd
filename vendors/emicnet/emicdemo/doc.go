// Package emicdemo is `agentbar --demo=emicnet`: the simulated call center
// on loopback with its Emicnet front (the account API, SIP over WSS with
// WebRTC audio, the command and event MESSAGEs), two simulated colleagues
// whose phones answer by themselves and talk, customers who call at a
// gentle rate and speak, and the real Emicnet adapter (vendors/emicnet)
// signed in to it as the demo agent 8001 or the demo supervisor 8000.
// Everything the agent does goes through the Emicnet wire contract, as
// with a real enterprise; only the platform is simulated.
//
// The platform registers as "demo-emicnet" with Demo set; main.go must
// import this package for --demo=emicnet to find it.
package emicdemo
