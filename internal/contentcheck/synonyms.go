package contentcheck

import (
	"fmt"
	"strings"
	"time"

	"healthsite/internal/content"
	"healthsite/internal/search"
)

// checkSynonyms reviews search's synonyms against the articles: a term
// no article uses is a warning (the file is meant to group the words the
// articles use), a group none of whose terms any article uses an error (it
// can never find anything), and a review date that is due a warning, as
// for the articles.
//
// used holds every word of the articles, folded as search compares them.
func checkSynonyms(site *content.Site, used map[string]bool, now time.Time) []Finding {
	syn := site.Synonyms
	if syn == nil {
		return nil
	}
	var out []Finding
	if msg := reviewDue(syn.NextReview, now); msg != "" {
		out = append(out, Finding{File: syn.File, Severity: Warning, Msg: msg})
	}
	for _, g := range syn.Groups {
		var unused []int
		for i, term := range g.Terms {
			for _, w := range strings.Fields(term) {
				if !used[search.Fold(w)] {
					unused = append(unused, i)
					break
				}
			}
		}
		if len(unused) == len(g.Terms) {
			out = append(out, Finding{File: syn.File, Line: g.Line, Severity: Warning, Msg: fmt.Sprintf(
				"no article uses any term of the group [%s]: it can find nothing; group words the articles use", strings.Join(g.Terms, ", "))})
			continue
		}
		for _, i := range unused {
			out = append(out, Finding{File: syn.File, Line: g.TermLines[i], Severity: Warning, Msg: fmt.Sprintf(
				"no article uses the term %q: keep to words the articles use for the same thing as the rest of its group", g.Terms[i])})
		}
	}
	return out
}
