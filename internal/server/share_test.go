package server

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/net/html"

	"healthsite/internal/content"
	"healthsite/internal/htmltest"
	"healthsite/internal/signoff"
	"healthsite/static"
)

const testBase = "https://health.example.org"

func meta(t *testing.T, doc *html.Node, attrName, key string) string {
	t.Helper()
	n := htmltest.One(t, doc, `meta[`+attrName+`="`+key+`"]`)
	return attr(n, "content")
}

func TestShareTagsOnEveryPage(t *testing.T) {
	s, _ := newTestServer(t)
	paths := []string{"/", "/about", "/symptoms", "/articles/" + seedSlug}
	titles := map[string]string{}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			rec := do(t, s, "GET", path)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d", rec.Code)
			}
			doc := htmltest.Parse(t, rec.Body.Bytes())
			canonical := attr(htmltest.One(t, doc, `link[rel="canonical"]`), "href")
			if canonical != testBase+path {
				t.Errorf("canonical = %q, want %q", canonical, testBase+path)
			}
			title := htmltest.Text(htmltest.One(t, doc, "title"))
			if other, dup := titles[title]; dup {
				t.Errorf("title %q is also the title of %s", title, other)
			}
			titles[title] = path
			desc := meta(t, doc, "name", "description")
			if len(desc) < 30 {
				t.Errorf("description %q is not descriptive", desc)
			}
			if got := meta(t, doc, "property", "og:url"); got != canonical {
				t.Errorf("og:url = %q, want the canonical %q", got, canonical)
			}
			if got := meta(t, doc, "property", "og:description"); got != desc {
				t.Errorf("og:description = %q, want %q", got, desc)
			}
			if got := meta(t, doc, "property", "og:site_name"); got != "Healthsite" {
				t.Errorf("og:site_name = %q", got)
			}
			if meta(t, doc, "property", "og:title") == "" {
				t.Error("og:title is empty")
			}
			wantType := "website"
			if strings.HasPrefix(path, "/articles/") {
				wantType = "article"
			}
			if got := meta(t, doc, "property", "og:type"); got != wantType {
				t.Errorf("og:type = %q, want %q", got, wantType)
			}
			img := meta(t, doc, "property", "og:image")
			if !strings.HasPrefix(img, testBase+"/static/share.") || !strings.HasSuffix(img, ".png") {
				t.Errorf("og:image = %q, want the default share image as an absolute URL", img)
			}
			if w, h := meta(t, doc, "property", "og:image:width"), meta(t, doc, "property", "og:image:height"); w != "1200" || h != "630" {
				t.Errorf("og:image size = %sx%s, want 1200x630", w, h)
			}
			if meta(t, doc, "property", "og:image:alt") == "" || meta(t, doc, "name", "twitter:image:alt") == "" {
				t.Error("share image has no alt text")
			}
			if got := meta(t, doc, "name", "twitter:card"); got != "summary_large_image" {
				t.Errorf("twitter:card = %q", got)
			}
			// The share image itself is served.
			u, _ := url.Parse(img)
			if rec := do(t, s, "GET", u.Path); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
				t.Errorf("GET %s: %d %s", u.Path, rec.Code, rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestArticleDatesAndStructuredData(t *testing.T) {
	s, _ := newTestServer(t)
	doc := htmltest.Parse(t, do(t, s, "GET", "/articles/"+seedSlug).Body.Bytes())
	if got := meta(t, doc, "property", "article:published_time"); got != "2026-11-24T00:00:00Z" {
		t.Errorf("article:published_time = %q", got)
	}
	if got := meta(t, doc, "property", "article:modified_time"); got != "2026-11-24T00:00:00Z" {
		t.Errorf("article:modified_time = %q", got)
	}
	ld := decodeJSONLD(t, doc)
	want := map[string]any{
		"@context":      "https://schema.org",
		"@type":         "MedicalWebPage",
		"headline":      "Neck pain after a neck massage or manipulation",
		"url":           testBase + "/articles/" + seedSlug,
		"datePublished": "2026-11-24",
		"lastReviewed":  "2026-11-24",
	}
	for k, v := range want {
		if ld[k] != v {
			t.Errorf("JSON-LD %s = %v, want %v", k, ld[k], v)
		}
	}
	if d, _ := ld["description"].(string); !strings.HasPrefix(d, "Why your neck can hurt more") {
		t.Errorf("description = %q", d)
	}
	for _, k := range []string{"author", "publisher"} {
		if m, _ := ld[k].(map[string]any); m["name"] == "" || m["name"] == nil {
			t.Errorf("%s = %v, want a name", k, ld[k])
		}
	}
	if about, _ := ld["about"].([]any); len(about) == 0 {
		t.Error("about is empty")
	}
	cites, _ := ld["citation"].([]any)
	if len(cites) != 1 {
		t.Fatalf("citation = %v, want the one source", ld["citation"])
	}
	cite := cites[0].(map[string]any)
	if cite["name"] != "Why does my neck hurt more after cervical massage?" || cite["datePublished"] != "2025-11-10" {
		t.Errorf("citation = %v", cite)
	}
	if pub, _ := cite["publisher"].(map[string]any); pub["name"] != "Cainiu Health" {
		t.Errorf("citation publisher = %v", cite["publisher"])
	}
	if _, ok := ld["reviewedBy"]; ok {
		t.Error("reviewedBy present although the article names no reviewer")
	}
}

func decodeJSONLD(t *testing.T, doc *html.Node) map[string]any {
	t.Helper()
	script := htmltest.One(t, doc, `script[type="application/ld+json"]`)
	var ld map[string]any
	if err := json.Unmarshal([]byte(script.FirstChild.Data), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, script.FirstChild.Data)
	}
	return ld
}

// The schema.org data names a reviewer only while the text is the one
// they signed off.
func TestJSONLDNamesOnlyACurrentReviewer(t *testing.T) {
	src := "---\ntitle: T\nsummary: S\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\nsources:\n  - {title: S, publisher: P, author: A, date: 2025-01-01}\n---\n\nText.\n\n## When to get medical help\n\nNow.\n"
	signed, err := signoff.Sign("x.md", []byte(src), "Dr A. Example", time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, src, want string
	}{
		{"signed off", string(signed), "Dr A. Example"},
		{"changed since", strings.Replace(string(signed), "Text.", "Other text.", 1), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site, err := content.Load(fstest.MapFS{"x.md": {Data: []byte(tt.src)}})
			if err != nil {
				t.Fatal(err)
			}
			s, err := New(site, testConfig())
			if err != nil {
				t.Fatal(err)
			}
			doc := htmltest.Parse(t, do(t, s, "GET", "/articles/x").Body.Bytes())
			rb, _ := decodeJSONLD(t, doc)["reviewedBy"].(map[string]any)
			if got, _ := rb["name"].(string); got != tt.want {
				t.Errorf("reviewedBy name = %q, want %q", got, tt.want)
			}
		})
	}
}

// A title that tries to close the script element must stay inside it.
func TestJSONLDCannotBreakOutOfItsScript(t *testing.T) {
	hostile := `Neck pain </script><script>alert(1)</script>`
	fm := "---\ntitle: '" + hostile + "'\nsummary: 'A summary with </script> too & <b>tags</b>'\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\nsources:\n  - {title: 'S </script>', publisher: P, author: A, date: 2025-01-01}\n---\n"
	body := "\n## When to get medical help\n\nNow.\n"
	signed, err := signoff.Sign("x.md", []byte(fm+body), "Dr A. Example </script>", time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	site, err := content.Load(fstest.MapFS{"x.md": {Data: signed}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	rec := do(t, s, "GET", "/articles/x")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	scripts := htmltest.All(t, doc, "script")
	for _, sc := range scripts {
		if typ := attr(sc, "type"); typ != "application/ld+json" && attr(sc, "src") == "" {
			t.Errorf("an inline executable script appeared: %s", htmltest.Text(sc))
		}
	}
	ld := decodeJSONLD(t, doc)
	if ld["headline"] != hostile {
		t.Errorf("headline = %q, want %q", ld["headline"], hostile)
	}
	if rb, _ := ld["reviewedBy"].(map[string]any); rb["name"] != "Dr A. Example </script>" {
		t.Errorf("reviewedBy = %v", ld["reviewedBy"])
	}
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != hostile {
		t.Errorf("h1 = %q, want the title as text", got)
	}
}

func TestArticleShareImageFromFrontMatter(t *testing.T) {
	fm := "---\ntitle: T\nsummary: S\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\nimage: %s\nimage_alt: A drawing of a neck\nsources:\n  - {title: S, publisher: P, author: A, date: 2025-01-01}\n---\n\n## When to get medical help\n\nNow.\n"
	// Loading with the server's options checks share images.
	load := func(image string) (*Server, error) {
		site, err := content.LoadWith(fstest.MapFS{"x.md": {Data: []byte(strings.Replace(fm, "%s", image, 1))}}, ContentOptions(static.FS))
		if err != nil {
			return nil, err
		}
		return New(site, testConfig())
	}
	_, err := load("favicon.ico")
	if err == nil {
		t.Fatal("an image that is not a PNG or JPEG was accepted")
	}
	if _, err = load("missing.png"); err == nil || !strings.Contains(err.Error(), `"missing.png" is not in static/`) {
		t.Errorf("missing image: err = %v", err)
	}
	s, err := load("share.png")
	if err != nil {
		t.Fatal(err)
	}
	doc := htmltest.Parse(t, do(t, s, "GET", "/articles/x").Body.Bytes())
	if got := meta(t, doc, "property", "og:image:alt"); got != "A drawing of a neck" {
		t.Errorf("og:image:alt = %q, want the article's own", got)
	}
}

func TestSitemapFeedAndRobots(t *testing.T) {
	s, _ := newTestServer(t)
	get := func(path, wantType string) []byte {
		t.Helper()
		rec := do(t, s, "GET", path)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, rec.Code)
		}
		if got := rec.Header().Get("Content-Type"); got != wantType {
			t.Errorf("GET %s: Content-Type = %q, want %q", path, got, wantType)
		}
		return rec.Body.Bytes()
	}
	answers := func(abs string) {
		t.Helper()
		if !strings.HasPrefix(abs, testBase+"/") {
			t.Errorf("%q is not an absolute URL on %s", abs, testBase)
			return
		}
		if rec := do(t, s, "GET", strings.TrimPrefix(abs, testBase)); rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d", abs, rec.Code)
		}
	}

	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(get("/sitemap.xml", "application/xml; charset=utf-8"), &set); err != nil {
		t.Fatalf("sitemap does not parse: %v", err)
	}
	locs := map[string]string{}
	for _, u := range set.URLs {
		locs[u.Loc] = u.LastMod
		answers(u.Loc)
	}
	for _, want := range []string{testBase + "/", testBase + "/symptoms", testBase + "/articles/" + seedSlug, testBase + "/articles", testBase + "/topics"} {
		if _, ok := locs[want]; !ok {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	if got := locs[testBase+"/articles/"+seedSlug]; got != "2026-11-24" {
		t.Errorf("article lastmod = %q, want its last review", got)
	}

	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Links   []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(get("/feed.xml", "application/atom+xml; charset=utf-8"), &feed); err != nil {
		t.Fatalf("feed does not parse: %v", err)
	}
	if len(feed.Entries) != 1 || feed.Entries[0].Title != "Neck pain after a neck massage or manipulation" || feed.Updated == "" {
		t.Errorf("feed = %+v", feed)
	}
	for _, e := range feed.Entries {
		answers(e.Link.Href)
		answers(e.ID)
	}
	for _, l := range feed.Links {
		answers(l.Href)
	}

	robots := string(get("/robots.txt", "text/plain; charset=utf-8"))
	if !strings.Contains(robots, "Sitemap: "+testBase+"/sitemap.xml") {
		t.Errorf("robots.txt does not point to the sitemap:\n%s", robots)
	}
}

func TestFeedNewestReviewFirst(t *testing.T) {
	art := func(title, reviewed string) string {
		return "---\ntitle: " + title + "\nsummary: S\nlast_reviewed: " + reviewed + "\nnext_review: 2030-01-01\nsources:\n  - {title: S, publisher: P, author: A, date: 2025-01-01}\n---\n\n## When to get medical help\n\nNow.\n"
	}
	site, err := content.Load(fstest.MapFS{
		"a.md": {Data: []byte(art("Aa", "2026-01-01"))},
		"b.md": {Data: []byte(art("Bb", "2026-06-01"))},
		"c.md": {Data: []byte(art("Cc", "2026-03-01"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Updated string `xml:"updated"`
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(do(t, s, "GET", "/feed.xml").Body.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range feed.Entries {
		got = append(got, e.Title)
	}
	if strings.Join(got, ",") != "Bb,Cc,Aa" || feed.Updated != "2026-06-01T00:00:00Z" {
		t.Errorf("feed order = %v updated %s, want Bb,Cc,Aa updated at the newest review", got, feed.Updated)
	}
}

func TestShareBlock(t *testing.T) {
	s, _ := newTestServer(t)
	doc := htmltest.Parse(t, do(t, s, "GET", "/articles/"+seedSlug).Body.Bytes())
	share := htmltest.One(t, doc, "section.share")
	pageURL := testBase + "/articles/" + seedSlug
	if got := attr(htmltest.One(t, share, "button[data-copy-url]"), "data-copy-url"); got != pageURL {
		t.Errorf("copy button copies %q, want %q", got, pageURL)
	}
	// Without JavaScript a button that cannot work stays hidden.
	if _, hidden := htmltest.Attr(htmltest.One(t, share, ".share-copy"), "hidden"); !hidden {
		t.Error("the copy button's item is not hidden for readers without JavaScript")
	}
	links := htmltest.All(t, share, "a")
	if len(links) < 3 {
		t.Fatalf("%d share links, want email and at least two networks", len(links))
	}
	if href := attr(links[0], "href"); !strings.HasPrefix(href, "mailto:?") || !strings.Contains(href, url.QueryEscape(pageURL)) {
		t.Errorf("email link = %q", href)
	}
	for _, l := range links[1:] {
		href := attr(l, "href")
		if !strings.HasPrefix(href, "https://") || !strings.Contains(href, url.QueryEscape(pageURL)) {
			t.Errorf("share link %q does not carry the page address", href)
		}
	}
	if n := len(htmltest.All(t, doc, `script[src^="http"]`)); n != 0 {
		t.Errorf("%d third-party scripts", n)
	}
	if got := htmltest.Text(htmltest.One(t, doc, ".print-page-url")); !strings.Contains(got, pageURL) {
		t.Errorf("printed page address = %q", got)
	}
}
