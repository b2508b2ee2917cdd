// Package demokit is what the built-in demos share (vendors/demo, emicdemo,
// udeskdemo): the simulated colleagues, real SIP phones registered with the
// demo center that answer what rings them and speak; the demo account's
// common fields (login_as, arrival_seconds, speech) and the center they
// configure; and the bilingual banner the demo shows on sign-in. Each demo
// keeps what is its own: its platform's front, its adapter and its extra
// fields.
package demokit
