package udesksim

import (
	"crypto/tls"
	"crypto/x509"

	"agentbar/vendors/callcenter/simtls"
)

// LoopbackTLS makes a self-signed certificate for 127.0.0.1, ::1 and
// localhost, valid for a day, and a pool that trusts it: the server side of
// the web phone's WSS on loopback (the SIP front's Options.TLS) and what
// the adapter verifies it with (udesk.Options.TLSRootCAs). Tests and the
// demo use it; nobody else connects to such a server.
func LoopbackTLS() (*tls.Config, *x509.CertPool, error) { return simtls.LoopbackTLS("udesksim") }
