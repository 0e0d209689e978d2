// Package static holds the site's stylesheet, scripts and images, embedded
// in the binary.
package static

import "embed"

// FS holds every asset served under /static/ and the favicon.
//
//go:embed *.css *.ico *.js *.png
var FS embed.FS
