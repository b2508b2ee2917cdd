package udesk

import "time"

// timerC is a one-shot channel for selects that are left early; the timer
// is collected once it fires (Go 1.23+ timers need no Stop for that).
func timerC(d time.Duration) <-chan time.Time { return time.NewTimer(d).C }
