// Package server serves the site over HTTP: it is where any request goes.
// This is the map; the README is the tour.
//
// # Where a request goes
//
// cmd/healthsite wires a listener (with internal/coalesce) to a Server,
// which is an http.Handler whose router is made from the page table
// (pagetable.go). The middleware runs first, in this order, for every
// request: a request id; the security headers (security.go), which
// withhold the referrer under the addresses of the table's private pages;
// the access log (middleware.go, internal/accesslog), which never holds a
// query string, and counts the request by its row for /metrics
// (metrics.go); panics made into a friendly 500; limits on what a request
// may make the server read (security.go: 400, 414, 501). Then the router
// finds the request's row of the table.
//
// # What a page is
//
// A page is one row of the table: its name and path pattern, the function
// in internal/pages that builds its view model from the loaded site, the
// web component that draws it, and everything about how it is served:
// its privacy (public, answers, private), how long caches may keep it,
// which of the server's caches keeps it and under what key, its rate-limit
// class, the statuses and methods it answers with. Nothing else decides
// how a page is treated. servePage answers from the page's cache, or makes
// the page once (a single flight per key) and keeps it; errors become
// friendly pages with their status (errors.go), and on a page whose
// address can name red flags they show their care cards first: the 414
// for an address too long too, which limitRequests refuses before routing
// and so finds its page with pageAt.
//
// # The caches
//
// Made responses are kept in memory, bounded in bytes (internal/prepared
// keeps each with its encodings and validators): public pages by path (or
// a page of a list by path and page), pages made from a reader's answers
// by the answers the checker recognises, and search pages by query. Each
// holds only pages of the current version of the site: a reload drops what
// it touched (internal/deps), and a page made from an old version is served
// to its reader but not kept. Just after midnight (UTC) every page is
// dropped, so review notices appear on their day.
//
// # Privacy
//
// A reader's answers and searches are health data. Pages whose address can
// hold them send no referrer, are stored by no cache (not even the
// browser's), are kept by the server in memory only, and the private ones
// ask not to be indexed; the query string reaches no log. All of it comes
// from the page's row (TestPrivacyComesFromTheRow).
//
// # Reload
//
// In the authoring preview (-dev) internal/devreload hands the server each
// new version of the site (Apply), made by content.Site.Reload from the
// files a save changed; the search index moves to it in the same step
// (search.go), and the open pages are told to refresh (dev.go). A save with
// problems keeps the last good site and shows them in a banner.
//
// # Six questions, answered
//
//   - Where does an article request go? Here, to the "article" row of the
//     table (pagetable.go): servePage answers from prepared.Cache, or makes
//     the page with pages.Article (internal/pages/pages.go), whose text is
//     content.Render's HTML (or the HTML a pack kept), drawn by
//     web.ArticlePage (web/article.templ); prepared.Response sends it.
//   - Where is an article validated? content.Parse (internal/content/load.go)
//     and its front matter (frontmatter.go), then the checks across files in
//     content.LoadWith (links.go: links and pictures; internal/checker for
//     the symptom checker's rules and triage cases), with the options this
//     package gives (ContentOptions, in pagetable.go). The server, the
//     preview, healthsite check and healthsite build all load this way; a
//     server refuses to start in openSite (cmd/healthsite/pack.go).
//   - Where is a page drawn? In its web component (web/*.templ), from the
//     view model (web/views.go) that its builder in internal/pages made.
//   - How is a page added? A builder in internal/pages, a component in web,
//     and one row in the table (pagetable.go); TestPageTableIsTheRouter
//     checks the router has nothing else, and asks every row for a page
//     (a new path parameter needs a sample value in its samplePath, and
//     a page that does not answer GET with 200 a case of its own). Add
//     the page to the README's table of pages, and to the sitemap
//     (internal/sitefiles) if it is for readers.
//   - How does a form become a result? The checker's form is a GET form:
//     /symptoms/{complaint}/results?symptom=... reaches the
//     "symptom-results" row, pages.SymptomResults reads the answers
//     (readIDs: checker.ParseQuery, a 400 when they cannot be read) and
//     calls checker.Evaluate
//     (internal/checker/evaluate.go), whose Outcome becomes
//     web.SymptomResultsPage: the result, or the form again with what is
//     wrong (422).
//   - Where is search built? IndexSearch (search.go) builds it in the
//     background once the server listens, with search.Build
//     (internal/search/index.go), from each article's sections
//     (internal/search/text.go); until then search answers 503.
//     healthsite build builds it the same way into a pack, and a server
//     started from a pack (-pack, or one kept in -pack-cache) reads it
//     from there (ServeIndex) and answers at once.
package server
