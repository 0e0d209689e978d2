// Package static holds the desk's own stylesheet and embeds it. The desk
// serves it after the public site's site.css, whose look it reuses, and
// neither is served by the public listener under the desk's paths.
package static

import "embed"

// FS holds desk.css.
//
//go:embed *.css
var FS embed.FS
