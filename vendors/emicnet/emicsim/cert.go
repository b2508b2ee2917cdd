package emicsim

import (
	"crypto/tls"
	"crypto/x509"

	"agentbar/vendors/callcenter/simtls"
)

// selfSigned is the WSS listener's certificate (127.0.0.1, ::1, localhost;
// a day) and the pool that trusts it: a simulator nobody else connects to.
func selfSigned() (*tls.Config, *x509.CertPool, error) { return simtls.LoopbackTLS("emicsim") }
