package desk

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseQueue: whatever query string reaches the comment queue, the
// parser does not panic; what it accepts is valid text and asks for the
// same queue once written back; what it refuses comes with messages.
func FuzzParseQueue(f *testing.F) {
	for _, seed := range []string{
		"", "state=new", "page=%2Farticles%2Fa&from=2026-01-01&to=2026-12-31",
		"after=2026-12-04~" + strings.Repeat("A", 43), "after=2026-12-04~x", "from=2026-02-30", "page=%ff",
		"state=spam&state=new", "to=0001-01-01", "page=/a%00b", "from=2026-12-05&to=2026-12-04",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		qq, form, errs := parseQueue(q)
		if len(errs) > 0 {
			for _, e := range errs {
				if e.Message == "" || e.Field == "" {
					t.Fatalf("%q: a problem without words: %+v", raw, e)
				}
			}
			return
		}
		if p := qq.filter.Page; p != "" && (!utf8.ValidString(p) || !strings.HasPrefix(p, "/") || len(p) > maxPagePath) {
			t.Fatalf("%q: accepted page %q", raw, p)
		}
		again, _, errs := parseQueue(qq.values(true))
		if len(errs) > 0 || again != qq {
			t.Fatalf("%q: written back as %q, read as %+v (%v), want %+v", raw, qq.values(true).Encode(), again, errs, qq)
		}
		_ = form
	})
}

// FuzzSafeNext: where a sign-in sends the editor is "" or a path under
// /desk on this origin, whatever the form said.
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"/desk", "/desk/comments?state=new", "//evil.example", "/\\evil", "https://evil.example/desk",
		"/desk/../x", "/desk%2F..%2F..", "/desk/sign-out", "/desk?x=%0d%0aSet-Cookie:", "/desk/\t/x", "/desk#frag"} {
		f.Add(seed)
	}
	base, _ := url.Parse("https://desk.example.org/desk/sign-in")
	f.Fuzz(func(t *testing.T, s string) {
		next := safeNext(s)
		if next == "" {
			return
		}
		u, err := url.Parse(next)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q, which does not parse", s, next)
		}
		to := base.ResolveReference(u)
		if to.Host != base.Host || to.Scheme != base.Scheme || (to.Path != "/desk" && !strings.HasPrefix(to.Path, "/desk/")) ||
			strings.ContainsAny(next, "\r\n\\") {
			t.Fatalf("safeNext(%q) = %q, which leads to %s", s, next, to)
		}
	})
}
