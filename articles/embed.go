// Package articles holds the bundled health articles, embedded so the
// binary serves a full site with no files beside it.
package articles

import "embed"

// FS holds the article files (*.md), search's synonyms (synonyms.yaml) and
// the symptom checker's rules, one file per complaint, in complaints/.
//
//go:embed *.md *.yaml complaints/*.yaml
var FS embed.FS
