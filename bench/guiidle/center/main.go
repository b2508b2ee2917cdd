// Command center hosts the simulated call center (vendors/callcenter with
// its SIP front, the demo's agents and queues) in a process of its own, for
// bench/gui-idle.sh: the desktop app signs in to it as a plain SIP account,
// as it would to a real platform, so the app's idle cost is measured
// without the simulator in its process. No customers call (no arrivals).
//
//	center [-addr 127.0.0.1:0]
//
// It prints one JSON line, {"sip":"127.0.0.1:PORT","agent":"8001",
// "password":"..."}, then serves until SIGINT or SIGTERM.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/sipfront"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "SIP listen address")
	flag.Parse()
	if err := run(*addr); err != nil {
		fmt.Fprintln(os.Stderr, "center:", err)
		os.Exit(1)
	}
}

func run(addr string) error {
	password := randomSecret()
	cfg := callcenter.DemoConfig(password, randomSecret())
	cfg.Arrivals.PerMinute = 0 // idle: nobody calls
	cfg.Arrivals.Speech = false
	cc, err := callcenter.New(cfg)
	if err != nil {
		return err
	}
	defer cc.Close()
	front, err := sipfront.New(cc, sipfront.Options{Addr: addr, MaxExpiry: 300 * time.Second})
	if err != nil {
		return err
	}
	if err := front.Start(); err != nil {
		return err
	}
	defer front.Close()
	cc.Start()
	if err := json.NewEncoder(os.Stdout).Encode(map[string]string{
		"sip": front.Addr(), "agent": callcenter.DemoAgent, "password": password,
	}); err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return nil
}

func randomSecret() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
