// Package app assembles agentbar from its parts: the engine, the account
// and settings files, the keyring, the call history, the redacting log and
// the local control API. The desktop app and headless mode both run one App;
// only the front differs.
package app
