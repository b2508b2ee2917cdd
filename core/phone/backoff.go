package phone

import (
	"math/rand/v2"
	"time"
)

// Registration retry schedule: 1, 2, 4 ... 60 s, each ±20 % so that a
// call center's phones do not all come back in the same second.
const (
	backoffFirst = time.Second
	backoffMax   = 60 * time.Second
)

// registrationBackoff is the wait before retry number attempt (0-based).
func registrationBackoff(attempt int) time.Duration {
	d := backoffFirst
	for i := 0; i < attempt && d < backoffMax; i++ {
		d *= 2
	}
	d = min(d, backoffMax)
	jitter := time.Duration(rand.Int64N(int64(d)*2/5+1)) - d/5
	return d + jitter
}
