package server

import (
	"sync"

	"healthsite/internal/prepared"
)

// answerPage is a page rendered for a set of answers, with its status.
type answerPage struct {
	response *prepared.Response
}

// answerCache keeps the pages made from readers' answers. There are few
// combinations of answers that people actually tick, and rendering and
// compressing a page costs tens of microseconds, against under one for
// serving a kept copy. It holds at most max pages; when full, an arbitrary
// one is dropped, so random links from a scanner cannot grow it. It is
// memory only: answers are never written anywhere.
type answerCache struct {
	mu    sync.RWMutex
	pages map[string]answerPage
	max   int
}

func newAnswerCache(max int) *answerCache {
	return &answerCache{pages: make(map[string]answerPage), max: max}
}

func (c *answerCache) get(key string) (answerPage, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.pages[key]
	return p, ok
}

func (c *answerCache) put(key string, p answerPage) {
	if c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pages) >= c.max {
		for k := range c.pages { // Go picks a pseudo-random entry
			delete(c.pages, k)
			break
		}
	}
	c.pages[key] = p
}
