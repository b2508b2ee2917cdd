// Command agentbar is a desktop softphone and agent bar for call-center
// agents and supervisors.
package main

import (
	"fmt"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "--version" || os.Args[1] == "version") {
		fmt.Println("agentbar", version)
		return
	}
	fmt.Fprintln(os.Stderr, "agentbar: under construction")
	os.Exit(1)
}
