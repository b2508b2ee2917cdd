// Package sip is the plain SIP account: any registrar (FreeSWITCH,
// Asterisk, Kamailio ...) with digest auth, or direct IP calls without
// registration. It drives the shared SIP user agent (core/phone); agent
// states are local here: Busy is do-not-disturb (incoming calls are answered
// 486, or 603 if configured).
package sip
