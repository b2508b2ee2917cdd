package media

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
)

// bindPair binds an even RTP port and the odd RTCP port above it, within
// [min, max] (both 0: anywhere), starting at a random even port so that
// consecutive calls do not reuse the same pair (stale packets of the last
// call would land in the new one).
func bindPair(ip net.IP, minPort, maxPort int) (rtpConn, rtcpConn *net.UDPConn, err error) {
	network := "udp"
	if ip4 := ip.To4(); ip4 != nil {
		network = "udp4"
	}
	if minPort == 0 && maxPort == 0 {
		for range 64 {
			rtpConn, err = net.ListenUDP(network, &net.UDPAddr{IP: ip})
			if err != nil {
				return nil, nil, err
			}
			port := rtpConn.LocalAddr().(*net.UDPAddr).Port
			if port%2 == 0 && port < 65535 {
				if rtcpConn, err = net.ListenUDP(network, &net.UDPAddr{IP: ip, Port: port + 1}); err == nil {
					return rtpConn, rtcpConn, nil
				}
			}
			rtpConn.Close()
		}
		return nil, nil, ErrNoPort
	}
	if minPort < 1 || maxPort > 65535 || minPort > maxPort {
		return nil, nil, fmt.Errorf("%w: bad range %d-%d", ErrNoPort, minPort, maxPort)
	}
	first := minPort + minPort%2 // even
	if first+1 > maxPort {
		return nil, nil, fmt.Errorf("%w: range %d-%d holds no even/odd pair", ErrNoPort, minPort, maxPort)
	}
	pairs := (maxPort - first + 1) / 2
	start := rand.IntN(pairs)
	var lastErr error
	for i := range pairs {
		port := first + 2*((start+i)%pairs)
		rtpConn, err = net.ListenUDP(network, &net.UDPAddr{IP: ip, Port: port})
		if err != nil {
			lastErr = err
			continue
		}
		rtcpConn, err = net.ListenUDP(network, &net.UDPAddr{IP: ip, Port: port + 1})
		if err != nil {
			rtpConn.Close()
			lastErr = err
			continue
		}
		return rtpConn, rtcpConn, nil
	}
	return nil, nil, errors.Join(ErrNoPort, lastErr)
}
