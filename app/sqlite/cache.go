package sqlite

import "sync"

// Every signed-in request reads its session and its account. A SQLite
// database belongs to one server process (several processes share
// PostgreSQL instead, which has no such cache), and every change to
// sessions and accounts goes through its handle, so the handle keeps what
// it read of them in memory and forgets an entry whenever it writes it:
// the request is then answered without a read transaction. (The `user
// create` command may add accounts from another process while a server
// runs; nothing absent is cached, so a new account is read when first
// asked for.)

// maxCached bounds each cache: past it, the cache starts again empty.
const maxCached = 10_000

// readCache is a bounded map of rows read from the database. Its
// generation changes with every write that forgets entries, so that a read
// that began before a write cannot cache what it read (put ignores it).
type readCache[K comparable, V any] struct {
	mu  sync.Mutex
	m   map[K]V
	gen uint64
}

// get returns the cached value of k.
func (c *readCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

// generation is the cache's generation, to read before reading the
// database and give to put after.
func (c *readCache[K, V]) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put caches v under k, unless something was forgotten since generation
// gen was read: the row read may be older than the write.
func (c *readCache[K, V]) put(gen uint64, k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[K]V{}
	}
	c.m[k] = v
}

// forget drops every entry whose key matches, after a write to them.
func (c *readCache[K, V]) forget(match func(K) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k := range c.m {
		if match(k) {
			delete(c.m, k)
		}
	}
}

// forgetKey drops the entry of k, after a write to it.
func (c *readCache[K, V]) forgetKey(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.m, k)
}
