// Package udeskdemo is `agentbar --demo=udesk`: the simulated call center
// on loopback with its SIP front (UDP for the IP phone, WSS for the web
// phone, with a certificate the session makes and trusts) and its Udesk
// front (token service, WebSocket, HTTP queries), two simulated colleagues
// whose IP phones answer by themselves, and the real Udesk adapter signed
// in to it in the chosen phone mode (voip, webrtc or cellphone). Everything the
// agent does goes through the Udesk wire contract, as with a real tenant;
// only the platform is simulated.
//
// The platform registers as "demo-udesk" with Demo set; main.go must import
// this package for --demo=udesk to find it.
package udeskdemo
