package prepared

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

func page(n int) *Response {
	return New(http.StatusOK, "text/html; charset=utf-8", "no-store", bytes.Repeat([]byte("x"), n))
}

func loadPage(t *testing.T, c *Cache, key string, n int, deps ...string) *Response {
	t.Helper()
	r, err := c.Load(key, 0, func() (*Response, []string, error) { return page(n), deps, nil })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCacheStaysWithinItsByteBound(t *testing.T) {
	const max = 20_000
	c := NewCache(max)
	for i := range 50 {
		loadPage(t, c, fmt.Sprintf("/p%d", i), 1000+i*37)
		if st := c.Stats(); st.Bytes > max {
			t.Fatalf("after %d pages the cache holds %d bytes, more than its bound %d", i+1, st.Bytes, max)
		}
	}
	st := c.Stats()
	if st.Entries == 0 || st.Entries == 50 {
		t.Fatalf("cache holds %d of 50 pages; want some but not all", st.Entries)
	}
	if st.Bytes < max/2 {
		t.Errorf("cache holds %d bytes of %d: it evicts far more than it needs to", st.Bytes, max)
	}
}

// Encodings are made after a page is stored, on the first request that
// asks for them; the bound must count them too.
func TestCacheCountsEncodingsMadeLater(t *testing.T) {
	body := bytes.Repeat([]byte("<p>neck pain after a massage</p>\n"), 300) // compressible
	c := NewCache(int64(len(body)*3 + 3*entryOverhead))
	for i := range 3 {
		key := fmt.Sprintf("/p%d", i)
		r, _ := c.Load(key, 0, func() (*Response, []string, error) {
			return New(http.StatusOK, "text/html; charset=utf-8", "no-store", bytes.Clone(body)), nil, nil
		})
		before := c.Stats().Bytes
		r.EncodeAll()
		after := c.Stats()
		if after.Bytes <= before && slices.Contains(c.Keys(), key) {
			t.Errorf("%s: encodings made after storing did not count: %d bytes before, %d after", key, before, after.Bytes)
		}
		if after.Bytes > after.Max {
			t.Fatalf("%d bytes held, bound %d", after.Bytes, after.Max)
		}
	}
}

func TestCacheDropsLeastRecentlyUsed(t *testing.T) {
	c := NewCache(3 * (1000 + entryOverhead + 3))
	loadPage(t, c, "/a", 1000)
	loadPage(t, c, "/b", 1000)
	loadPage(t, c, "/c", 1000)
	if _, ok := c.Get("/a"); !ok { // /a is now the most recent; /b the least
		t.Fatal("/a missing before the cache was full")
	}
	loadPage(t, c, "/d", 1000)
	if got, want := c.Keys(), []string{"/d", "/a", "/c"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v (the least recently used, /b, dropped)", got, want)
	}
}

// A Get that misses and the Load after it, as the server does, are one
// miss; a page dropped for room is an eviction, one dropped because its
// content changed is not.
func TestCacheCountsHitsMissesAndEvictions(t *testing.T) {
	c := NewCache(2 * (1000 + entryOverhead + 3))
	for _, key := range []string{"/a", "/b", "/a", "/c", "/a"} {
		if _, ok := c.Get(key); !ok {
			loadPage(t, c, key, 1000)
		}
	}
	c.Advance(1, func([]string) bool { return true })
	got := c.Stats()
	if got.Hits != 2 || got.Misses != 3 || got.Evictions != 1 {
		t.Errorf("hits %d, misses %d, evictions %d; want 2, 3 and 1", got.Hits, got.Misses, got.Evictions)
	}
}

func TestCacheOfZeroKeepsNothing(t *testing.T) {
	c := NewCache(0)
	made := 0
	for range 3 {
		_, _ = c.Load("/a", 0, func() (*Response, []string, error) { made++; return page(10), nil, nil })
	}
	if made != 3 || c.Stats().Entries != 0 {
		t.Errorf("made %d times, %d entries; want 3 and 0", made, c.Stats().Entries)
	}
}

func TestCacheTooBigAPageIsServedButNotKept(t *testing.T) {
	c := NewCache(1000)
	if r := loadPage(t, c, "/big", 5000); len(r.Body()) != 5000 {
		t.Fatal("the page was not returned")
	}
	if c.Stats().Entries != 0 {
		t.Error("a page bigger than the whole cache was kept")
	}
}

func TestCacheMakesConcurrentFirstRequestsOnce(t *testing.T) {
	c := NewCache(1 << 20)
	const callers = 20
	var arrived, made atomic.Int32
	var wg sync.WaitGroup
	results := make([]*Response, callers)
	for i := range results {
		wg.Go(func() {
			arrived.Add(1)
			r, err := c.Load("/popular", 0, func() (*Response, []string, error) {
				made.Add(1)
				// Hold the first make until every caller has arrived, so
				// that without single-flighting they would all make it. A
				// caller arriving after it finished finds it kept.
				for arrived.Load() < callers {
					runtime.Gosched()
				}
				return page(100), nil, nil
			})
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		})
	}
	wg.Wait()
	if got := made.Load(); got != 1 {
		t.Errorf("made %d times for %d concurrent requests, want 1", got, callers)
	}
	for _, r := range results {
		if r != results[0] {
			t.Fatal("callers got different responses")
		}
	}
}

func TestCacheErrorsAreNotKept(t *testing.T) {
	c := NewCache(1 << 20)
	boom := errors.New("boom")
	if _, err := c.Load("/x", 0, func() (*Response, []string, error) { return nil, nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if c.Stats().Entries != 0 {
		t.Error("a failed make was kept")
	}
}

func TestCacheAdvanceDropsOnlyStaleEntries(t *testing.T) {
	c := NewCache(1 << 20)
	loadPage(t, c, "/articles/a", 100, "article:a")
	loadPage(t, c, "/articles/b", 100, "article:b")
	loadPage(t, c, "/", 100, "site")
	changed := map[string]bool{"article:a": true, "site": true}
	c.Advance(1, func(deps []string) bool { return slices.ContainsFunc(deps, func(d string) bool { return changed[d] }) })
	if got := c.Keys(); !slices.Equal(got, []string{"/articles/b"}) {
		t.Errorf("after a change to a: keys = %v, want only /articles/b", got)
	}
}

// A page made from the content before a change must not be kept after it:
// it would be served as current.
func TestCacheKeepsNothingMadeForAnOldGeneration(t *testing.T) {
	c := NewCache(1 << 20)
	c.Advance(5, nil)
	if _, err := c.Load("/old", 4, func() (*Response, []string, error) { return page(10), nil, nil }); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("/old"); ok {
		t.Error("a page made for generation 4 was kept in generation 5")
	}
	loadNew, _ := c.Load("/new", 5, func() (*Response, []string, error) { return page(10), nil, nil })
	if got, ok := c.Get("/new"); !ok || got != loadNew {
		t.Error("a page made for the current generation was not kept")
	}
}

func TestCachedResponseServes(t *testing.T) {
	c := NewCache(1 << 20)
	r := loadPage(t, c, "/a", 2000)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/a", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	r.Serve(rec, req)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("status %d, Content-Encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
}
