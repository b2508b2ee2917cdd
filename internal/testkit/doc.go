// Package testkit holds the test helpers the platform harnesses share: a
// virtual headset that speaks a tone and an ear that records what it
// plays. It is an ordinary package so that tests of several packages can
// import it; only tests do.
package testkit
