package introspect

// CacheLen reports how many outcomes v's cache holds.
func CacheLen(v *Verifier) int {
	if v.cache == nil {
		return 0
	}
	v.cache.mu.Lock()
	defer v.cache.mu.Unlock()
	return len(v.cache.entries)
}
