// Package articles holds the bundled health articles, embedded so the
// binary serves a full site with no files beside it.
package articles

import "embed"

// FS holds the article files (*.md) and the symptom rules beside them.
//
//go:embed *.md *.yaml
var FS embed.FS
