package numbers

import "sync"

// DefaultCacheSize is the capacity NewCache uses when given none.
const DefaultCacheSize = 1024

// Cache remembers lookups, keyed by normalized number and language, so that
// a call history or a supervisor wall showing the same callers again costs
// a map read instead of the library's pattern matching. It holds at most
// its capacity; when full, an arbitrary entry makes room (Go's map order),
// which is cheaper than LRU bookkeeping and good enough for a hint cache.
// Safe for concurrent use. Errors are not cached.
type Cache struct {
	mu       sync.Mutex
	capacity int
	entries  map[cacheKey]Info
}

type cacheKey struct {
	number string
	lang   string
}

// NewCache returns an empty cache holding up to capacity lookups
// (DefaultCacheSize when capacity <= 0).
func NewCache(capacity int) *Cache {
	if capacity <= 0 {
		capacity = DefaultCacheSize
	}
	return &Cache{capacity: capacity, entries: make(map[cacheKey]Info, min(capacity, 64))}
}

// Lookup is LookupLang through the cache.
func (c *Cache) Lookup(number, lang string) (Info, error) {
	n, err := Normalize(number)
	if err != nil {
		return Info{}, err
	}
	key := cacheKey{number: n, lang: dataLang(lang)}

	c.mu.Lock()
	info, ok := c.entries[key]
	c.mu.Unlock()
	if ok {
		return info, nil
	}

	// Described outside the lock: the first call may load data for
	// hundreds of milliseconds and must not block hits for other numbers.
	info = describe(key.number, key.lang)

	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.capacity {
		for victim := range c.entries {
			delete(c.entries, victim)
			break
		}
	}
	c.entries[key] = info
	return info, nil
}

// Len returns how many lookups the cache holds.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
