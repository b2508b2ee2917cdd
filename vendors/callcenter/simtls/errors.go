package simtls

import "errors"

// ErrCertificate: the key or certificate could not be made (the system's
// random source or x509 failed; the wrapped error says which).
var ErrCertificate = errors.New("simtls: cannot make the loopback certificate")
