// Command agentbar is a desktop softphone and agent bar for call-center
// agents and supervisors.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "agentbar: under construction")
	os.Exit(1)
}
