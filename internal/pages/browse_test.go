package pages

import (
	"errors"
	"slices"
	"testing"

	"healthsite/internal/deps"
	"healthsite/internal/search"
	"healthsite/web"
)

func TestLetterOf(t *testing.T) {
	for title, want := range map[string]string{"Ankle pain": "a", "back pain": "b", "Zebra": "z", "3 causes": "0-9", "Ödème": "0-9", "": "0-9", "“Quoted”": "0-9"} {
		if got := deps.LetterOf(title); got != want {
			t.Errorf("deps.LetterOf(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestTopicName(t *testing.T) {
	for tag, want := range map[string]string{"neck": "Neck", "muscles-and-joints": "Muscles and joints", "x-rays": "X rays"} {
		if got := TopicName(tag); got != want {
			t.Errorf("TopicName(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestPageNumber(t *testing.T) {
	for raw, want := range map[string]int{"": 1, "page=1": 1, "page=7": 7, "utm=x&page=2": 2, "page=10000": 10000} {
		if got, err := PageNumber(raw); err != nil || got != want {
			t.Errorf("PageNumber(%q) = %d, %v; want %d", raw, got, err, want)
		}
	}
	for _, raw := range []string{"page=0", "page=-1", "page=01", "page=x", "page=10001", "page=2&page=3", "page=%zz", "page=1e3"} {
		if _, err := PageNumber(raw); !errors.Is(err, errBadPage) {
			t.Errorf("PageNumber(%q): %v, want errBadPage", raw, err)
		}
	}
}

// The pages of a cached list have one key each, whatever else the query
// holds, so no query string can fill the cache with copies of a page.
func TestPagedKey(t *testing.T) {
	for raw, want := range map[string]string{"": "/a-z/a", "page=1": "/a-z/a", "utm=x": "/a-z/a", "page=2&utm=y": "/a-z/a?page=2"} {
		if got, err := PagedKey(Env{}, Request{Path: "/a-z/a", RawQuery: raw}); err != nil || got != want {
			t.Errorf("PagedKey(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	if _, err := PagedKey(Env{}, Request{Path: "/a-z/a", RawQuery: "page=x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("a bad page: %v, want ErrNotFound", err)
	}
}

func TestPagination(t *testing.T) {
	numbers := func(p web.Pagination) []int {
		var out []int
		for _, l := range p.Pages {
			out = append(out, l.Number)
		}
		return out
	}
	if p := pagination("/t", 1, 1); len(p.Pages) != 0 {
		t.Errorf("one page: %+v, want no pagination", p)
	}
	p := pagination("/t", 1, 3)
	if !slices.Equal(numbers(p), []int{1, 2, 3}) || p.Prev != "" || p.Next != "/t?page=2" || p.Pages[0].URL != "/t" {
		t.Errorf("page 1 of 3: %+v", p)
	}
	p = pagination("/search?q=neck", 10, 20)
	if !slices.Equal(numbers(p), []int{1, 0, 8, 9, 10, 11, 12, 0, 20}) {
		t.Errorf("page 10 of 20 shows %v", numbers(p))
	}
	if p.Prev != "/search?q=neck&page=9" || p.Next != "/search?q=neck&page=11" {
		t.Errorf("prev %q next %q", p.Prev, p.Next)
	}
	if p := pagination("/t", 20, 20); p.Next != "" || !slices.Equal(numbers(p), []int{1, 0, 18, 19, 20}) {
		t.Errorf("the last page: %+v", p)
	}
}

func TestSearchKey(t *testing.T) {
	for raw, want := range map[string]string{
		"q=neck+pain":          "search:1:neck pain",
		"q=++neck%00%00pain++": "search:1:neck pain",
		"q=neck&page=2":        "search:2:neck",
		"":                     "search:1:",
	} {
		if got, err := SearchKey(Env{}, Request{Path: "/search", RawQuery: raw}); err != nil || got != want {
			t.Errorf("SearchKey(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}

// The search boxes' maxlength is the engine's limit: web cannot import
// the engine, so the two constants are kept equal here.
func TestSearchBoxesTakeWhatSearchAccepts(t *testing.T) {
	if web.SearchMaxChars != search.MaxQueryChars {
		t.Errorf("web.SearchMaxChars = %d, search.MaxQueryChars = %d", web.SearchMaxChars, search.MaxQueryChars)
	}
}
