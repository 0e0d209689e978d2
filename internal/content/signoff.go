package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// What a clinician's sign-off of an article approves (see contentfile's
// SignOff, and internal/signoff for the command that writes one).

// ArticleTextHash is the hash a sign-off of an article approves: its
// title, its summary and its body (the Markdown after the front matter),
// with line endings and the space around the body made uniform, so that
// saving the file on another system does not lapse a sign-off.
func ArticleTextHash(title, summary string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(strings.TrimSpace(title)))
	h.Write([]byte{0})
	h.Write([]byte(strings.TrimSpace(summary)))
	h.Write([]byte{0})
	h.Write(bytes.TrimSpace(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))))
	return hex.EncodeToString(h.Sum(nil))
}

// ArticleBody is the Markdown of an article file after its front matter
// (all of src when it has none), found as goldmark's front matter
// extension finds it (afterFrontMatter).
func ArticleBody(src []byte) []byte { return afterFrontMatter(src) }
