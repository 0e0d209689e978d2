// Package symptoms turns the answers ticked in the symptom checker into a
// result: red-flag advice first, then the article sections to read. It has
// no HTTP in it; the server parses the request and renders what this returns.
package checker

import (
	"errors"
	"fmt"
	"net/url"
	"unicode/utf8"
)

// Limits on a result link. Real answers are far below them; anything over
// is a broken or hostile link.
const (
	MaxAnswers    = 50
	MaxAnswerSize = 64 // bytes
	// Param is the query parameter that carries each ticked answer.
	Param = "symptom"
)

// ErrBadQuery means the link cannot be read at all (status 400).
var ErrBadQuery = errors.New("bad symptom query")

// ParseQuery reads the ticked answers from a raw query string. Duplicates
// count once and the order of first appearance is kept, so the same link
// always gives the same page. Other parameters are ignored.
func ParseQuery(rawQuery string) ([]string, error) {
	values, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	raw := values[Param]
	if len(raw) > MaxAnswers {
		return nil, fmt.Errorf("%w: %d answers, at most %d", ErrBadQuery, len(raw), MaxAnswers)
	}
	ids := make([]string, 0, len(raw))
	seen := make(map[string]bool, len(raw))
	for _, v := range raw {
		if len(v) > MaxAnswerSize {
			return nil, fmt.Errorf("%w: an answer of %d bytes, at most %d", ErrBadQuery, len(v), MaxAnswerSize)
		}
		if !utf8.ValidString(v) {
			return nil, fmt.Errorf("%w: an answer that is not UTF-8", ErrBadQuery)
		}
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		ids = append(ids, v)
	}
	return ids, nil
}

// Query is the query string for a list of answers, for "change your
// answers" and share links.
func Query(ids []string) string {
	v := url.Values{Param: ids}
	return v.Encode()
}
