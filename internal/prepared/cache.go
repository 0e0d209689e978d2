package prepared

import (
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

// Cache keeps responses up to a total number of body bytes, dropping the
// least recently used first, so a site of any size renders each page on
// its first request and serves the pages people read from memory.
//
// Each entry names what it was made from (its dependencies, like
// "article:back-pain"), so that when content changes only the entries made
// from it are dropped. Generations keep a page made from old content out:
// a response is kept only if it was made for the current generation.
type Cache struct {
	max    int64
	flight singleflight.Group

	mu    sync.Mutex
	size  int64
	items map[string]*entry
	lru   entry // sentinel of a ring: lru.next is the most recently used
	gen   uint64

	// hits, misses and evictions are read by monitoring while requests
	// count them; misses are counted outside mu.
	hits, misses, evictions atomic.Uint64
}

type entry struct {
	key        string
	resp       *Response
	deps       []string
	size       int64
	prev, next *entry
}

// entryOverhead is what an entry costs besides its bodies: the key, the
// header values and the bookkeeping, roughly.
const entryOverhead = 512

// NewCache keeps at most maxBytes of responses; 0 or less keeps none, and
// every Load makes its response.
func NewCache(maxBytes int64) *Cache {
	c := &Cache{max: maxBytes, items: map[string]*entry{}}
	c.lru.next, c.lru.prev = &c.lru, &c.lru
	return c
}

// Get returns the response kept under key, marking it recently used. A
// hit is counted here, a miss by the Load that makes the response, so
// that a Get followed by a Load counts one miss.
func (c *Cache) Get(key string) (*Response, bool) {
	r, ok := c.lookup(key)
	if ok {
		c.hits.Add(1)
	}
	return r, ok
}

// lookup is Get without counting.
func (c *Cache) lookup(key string) (*Response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.moveToFront(e)
	return e.resp, true
}

// Load returns the response kept under key, or makes it with create.
// Callers asking for the same key and generation at once share one call of
// create. The response is kept only while gen is the current generation;
// create returns the dependencies that later invalidate it.
func (c *Cache) Load(key string, gen uint64, create func() (*Response, []string, error)) (*Response, error) {
	if r, ok := c.Get(key); ok {
		return r, nil
	}
	// Every caller that waits counts, not only the one that makes it: a
	// miss is a response not served from memory.
	c.misses.Add(1)
	v, err, _ := c.flight.Do(strconv.FormatUint(gen, 10)+" "+key, func() (any, error) {
		// Another flight may have finished between Get and Do.
		if r, ok := c.lookup(key); ok {
			return r, nil
		}
		r, deps, err := create()
		if err != nil {
			return nil, err
		}
		c.put(key, gen, r, deps)
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Response), nil
}

func (c *Cache) put(key string, gen uint64, r *Response, deps []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	size := int64(r.Size() + entryOverhead + len(key))
	if gen != c.gen || size > c.max {
		return
	}
	if old, ok := c.items[key]; ok {
		c.remove(old)
	}
	e := &entry{key: key, resp: r, deps: deps, size: size}
	c.items[key] = e
	c.size += size
	c.pushFront(e)
	// Encodings made later are counted when they are made. The hook is set
	// before any reader can reach r through the cache; the caller that made
	// r serves it only after Load returns.
	r.grew = func(n int) { c.grow(e, int64(n)) }
	c.evict()
}

// grow counts an encoding made after e was stored.
func (c *Cache) grow(e *entry, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items[e.key] != e { // dropped meanwhile
		return
	}
	e.size += n
	c.size += n
	c.evict()
}

// evict drops least recently used entries until the cache fits.
func (c *Cache) evict() {
	for c.size > c.max && c.lru.prev != &c.lru {
		c.remove(c.lru.prev)
		c.evictions.Add(1)
	}
}

// Advance starts generation gen: from now on only responses made for gen
// are kept, and every entry whose dependencies stale reports on is
// dropped. A nil stale keeps every entry; drop everything with
// func([]string) bool { return true }.
func (c *Cache) Advance(gen uint64, stale func(deps []string) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen = gen
	if stale == nil {
		return
	}
	for _, e := range c.items {
		if stale(e.deps) {
			c.remove(e)
		}
	}
}

// Stats are what the cache holds, and its counts since NewCache.
type Stats struct {
	Entries int
	Bytes   int64
	Max     int64
	// Hits are responses served from the cache, Misses those that had to
	// be made (or waited for while another request made them).
	// Evictions are entries dropped to make room; entries dropped because
	// the content they were made from changed (Advance) are not counted.
	Hits, Misses, Evictions uint64
}

// Stats reports what the cache holds and has done.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{
		Entries: len(c.items), Bytes: c.size, Max: c.max,
		Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evictions.Load(),
	}
}

// Keys lists the keys held, most recently used first, for tests.
func (c *Cache) Keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var keys []string
	for e := c.lru.next; e != &c.lru; e = e.next {
		keys = append(keys, e.key)
	}
	return keys
}

func (c *Cache) remove(e *entry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
	delete(c.items, e.key)
	c.size -= e.size
}

func (c *Cache) pushFront(e *entry) {
	e.prev, e.next = &c.lru, c.lru.next
	c.lru.next.prev = e
	c.lru.next = e
}

func (c *Cache) moveToFront(e *entry) {
	if c.lru.next == e {
		return
	}
	e.prev.next, e.next.prev = e.next, e.prev
	c.pushFront(e)
}
