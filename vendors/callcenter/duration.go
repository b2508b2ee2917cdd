package callcenter

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration that reads and writes JSON as "1.5s" (a Go
// duration string) or as a number of seconds, so scripts and fault knobs are
// easy to type at the admin endpoint.
type Duration time.Duration

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes the Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "1.5s", "250ms" or 1.5 (seconds).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		*d = Duration(v)
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("duration must be a string such as \"1.5s\" or a number of seconds: %s", b)
	}
	if secs > 1e6 || secs < -1e6 {
		return fmt.Errorf("duration %v s out of range", secs)
	}
	*d = Duration(secs * float64(time.Second))
	return nil
}
