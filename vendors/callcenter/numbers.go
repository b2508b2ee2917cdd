package callcenter

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Location is where a number was given out, from the offline data of
// github.com/nyaruka/phonenumbers ("江苏省常州市" for 13912345678), in Chinese;
// "" for extensions and numbers the data does not place.
func Location(number string) string {
	n := strings.TrimSpace(number)
	if len(n) < 7 || len(n) > 20 {
		return ""
	}
	num, err := phonenumbers.Parse(n, "CN")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return ""
	}
	place, err := phonenumbers.GetGeocodingForNumber(num, "zh")
	if err != nil {
		return ""
	}
	return place
}

// locate caches Location. Caller holds cc.mu.
func (cc *Center) locate(number string) string {
	if l, ok := cc.located[number]; ok {
		return l
	}
	l := Location(number)
	if len(cc.located) > 4096 {
		clear(cc.located)
	}
	cc.located[number] = l
	return l
}

// knownCallerID reports whether id names a caller-ID entry or a pool.
// Caller holds cc.mu.
func (cc *Center) knownCallerID(id string) bool {
	if name, ok := strings.CutPrefix(id, "pool:"); ok {
		return len(cc.cfg.Pools[name]) > 0
	}
	for _, c := range cc.cfg.CallerIDs {
		if c.ID == id {
			return true
		}
	}
	return false
}

// callerIDFor is the number an agent's outbound call shows: its chosen
// caller ID, the next number of its chosen pool, else the first trunk of
// its tenant. Caller holds cc.mu.
func (cc *Center) callerIDFor(a *agent) string { return cc.callerIDOf(a, a.callerID) }

// callerIDOf is the number caller-ID choice id (an entry, a pool, "") shows
// for agent a. Caller holds cc.mu.
func (cc *Center) callerIDOf(a *agent, id string) string {
	if name, ok := strings.CutPrefix(id, "pool:"); ok {
		pool := cc.cfg.Pools[name]
		if len(pool) > 0 {
			i := cc.pools[name] % len(pool)
			cc.pools[name] = i + 1
			return pool[i]
		}
	}
	for _, c := range cc.cfg.CallerIDs {
		if c.ID == id {
			return c.Number
		}
	}
	for _, n := range cc.trunkOrd {
		if cc.trunks[n].Tenant == a.Tenant {
			return n
		}
	}
	return a.ID
}
