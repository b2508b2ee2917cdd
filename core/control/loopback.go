package control

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// defaultAddr: loopback, any free port.
const defaultAddr = "127.0.0.1:0"

// listenAddr turns Options.Addr into an address to listen on, refusing
// anything but a loopback IP. "localhost" is mapped to 127.0.0.1 here
// rather than resolved, because a hosts file can point it elsewhere.
func listenAddr(addr string) (string, error) {
	if addr == "" {
		return defaultAddr, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrNotLoopback, addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return net.JoinHostPort("127.0.0.1", port), nil
	}
	if err := checkLoopback(addr); err != nil {
		return "", err
	}
	return addr, nil
}

// checkLoopback accepts only "IP:port" where IP is a loopback address.
func checkLoopback(addr string) error {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return fmt.Errorf("%w: %q is not IP:port", ErrNotLoopback, addr)
	}
	if !ap.Addr().Unmap().IsLoopback() {
		return fmt.Errorf("%w: %q", ErrNotLoopback, addr)
	}
	return nil
}

// hostIsLoopback checks a request's Host header. A web page that rebinds
// its own DNS name to 127.0.0.1 sends its name here; refusing it closes
// DNS rebinding even before the token and Origin checks.
func hostIsLoopback(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}
