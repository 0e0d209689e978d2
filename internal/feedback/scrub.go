package feedback

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Removed is what Scrub puts in place of what it takes out.
const Removed = "[removed]"

// Scrub replaces what could identify a reader in a comment with Removed:
//   - e-mail addresses, also written name (at) example (dot) com;
//   - phone numbers, UK and international: 07700 900123, +44 (0)20 7946
//     0958, (555) 123-4567, +33 1 23 45 67 89;
//   - any other run of 9 or more digits, alone or in groups joined by
//     spaces, dashes, dots or brackets: NHS numbers (943 476 5919),
//     payment cards (4111-1111-1111-1111), reference numbers.
//
// It keeps what a comment about health needs: dates (2025-11-10,
// 10/11/2025), times (10:30), doses and durations (10 mg, 3 days), years,
// short numbers (111, 999) and numbers written with commas (1,000,000). A
// run with a leading + goes from 7 digits, as international numbers can
// be that short. Invalid UTF-8 comes back as U+FFFD. Scrub is idempotent:
// scrubbing its result changes nothing.
func Scrub(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = emailPattern.ReplaceAllLiteralString(s, Removed)
	return scrubNumbers(s)
}

// emailPattern finds e-mail addresses, with @ or "(at)", and dots or
// "(dot)" between the domain's labels. Brackets never appear in the
// parts, so a Removed left by one match cannot become part of another.
var emailPattern = regexp.MustCompile(`(?i)[\p{L}\p{N}._%+\-]+` +
	`(?:\s*[@＠]\s*|\s*[(\[{]\s*at\s*[)\]}]\s*)` +
	`[\p{L}\p{N}\-]+(?:(?:\.|\s*[(\[{]\s*dot\s*[)\]}]\s*)[\p{L}\p{N}\-]+)+`)

// datePattern and timePattern find what looks like a date or a time of
// day, which numberRuns then treats as words, not digits: otherwise "on
// 2025-11-10 3 days later" would be 9 digits in a row.
var (
	datePattern = regexp.MustCompile(`\b(?:` +
		`(\d{4})([-/.])(\d{1,2})[-/.](\d{1,2})` + // 2025-11-10
		`|(\d{1,2})([-/.])(\d{1,2})[-/.](\d{2}|\d{4})` + // 10/11/2025, 11-10-25
		`)\b`)
	timePattern = regexp.MustCompile(`\b([0-2]?\d):([0-5]\d)(?::[0-5]\d)?\b`)
)

// dateOrTimeSpans are the byte ranges of s that are dates or times, in
// order. A candidate that continues into more digits through a dash, dot,
// slash or colon (0161-12-11-2025) is not a date but part of a longer
// number, so it is left to numberRuns.
func dateOrTimeSpans(s string) [][2]int {
	var spans [][2]int
	add := func(start, end int) {
		if continues(s[:start], true) || continues(s[end:], false) {
			return
		}
		spans = append(spans, [2]int{start, end})
	}
	for _, m := range datePattern.FindAllStringSubmatchIndex(s, -1) {
		num := func(i int) int { n, _ := strconv.Atoi(s[m[2*i]:m[2*i+1]]); return n }
		if m[2] >= 0 { // year first: month, then day
			if month, day := num(3), num(4); month >= 1 && month <= 12 && day >= 1 && day <= 31 {
				add(m[0], m[1])
			}
		} else { // day and month in either order
			a, b := num(5), num(7)
			if a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12) {
				add(m[0], m[1])
			}
		}
	}
	for _, m := range timePattern.FindAllStringSubmatchIndex(s, -1) {
		if h, _ := strconv.Atoi(s[m[2]:m[3]]); h <= 24 {
			add(m[0], m[1])
		}
	}
	// The two lists merged into one order. A date and a time should never
	// overlap (a time needs a colon, a date has none), but if one did,
	// the first would win.
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	kept := spans[:0]
	for _, sp := range spans {
		if len(kept) == 0 || sp[0] >= kept[len(kept)-1][1] {
			kept = append(kept, sp)
		}
	}
	return kept
}

// continues reports whether side (the text before a candidate when before
// is true, else after it) joins it to another digit through one of - / . :
func continues(side string, before bool) bool {
	var sep, digit rune
	if before {
		var n int
		sep, n = utf8.DecodeLastRuneInString(side)
		digit, _ = utf8.DecodeLastRuneInString(side[:len(side)-n])
	} else {
		var n int
		sep, n = utf8.DecodeRuneInString(side)
		digit, _ = utf8.DecodeRuneInString(side[n:])
	}
	return strings.ContainsRune("-/.:", sep) && unicode.IsDigit(digit)
}

// group is a maximal sequence of digits.
type group struct{ start, end, digits int }

// scrubNumbers removes runs of digit groups that are phone numbers or
// long numbers (see Scrub).
func scrubNumbers(s string) string {
	masks := dateOrTimeSpans(s)
	var groups []group
	for i := 0; i < len(s); {
		if len(masks) > 0 && i == masks[0][0] {
			// A date or time: a barrier no run crosses.
			i = masks[0][1]
			masks = masks[1:]
			groups = append(groups, group{start: -1})
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsDigit(r) {
			i += n
			continue
		}
		g := group{start: i}
		for i < len(s) && (len(masks) == 0 || i < masks[0][0]) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsDigit(r) {
				break
			}
			g.digits++
			i += n
		}
		g.end = i
		groups = append(groups, g)
	}

	var b strings.Builder
	copied := 0 // s[:copied] is in b
	for i := 0; i < len(groups); {
		if groups[i].start < 0 {
			i++
			continue
		}
		// The run: this group and those joined to it.
		j, digits := i, groups[i].digits
		for j+1 < len(groups) && groups[j+1].start >= 0 && joins(s[groups[j].end:groups[j+1].start]) {
			j++
			digits += groups[j].digits
		}
		start, end := groups[i].start, groups[j].end
		// A + and an opening bracket before it belong to the number.
		plus := false
		for range 2 {
			r, n := utf8.DecodeLastRuneInString(s[:start])
			if r == '+' && !plus {
				plus = true
			} else if r != '(' {
				break
			}
			start -= n
		}
		if digits >= 9 || (plus && digits >= 7) {
			// Its closing bracket too, if it opened one.
			inner := s[start:end]
			if strings.Count(inner, "(") > strings.Count(inner, ")") && strings.HasPrefix(s[end:], ")") {
				end++
			}
			b.WriteString(s[copied:start])
			b.WriteString(Removed)
			copied = end
		}
		i = j + 1
	}
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

// joins reports whether the text between two groups of digits makes them
// one number: at most three characters, of spaces (one), dashes (one),
// dots (one) and brackets, as in "+44 (0)20 7946-0958". A comma does not
// join (1,000,000 is one number, but it is not anybody's), nor a slash or
// a colon (dates, ratios, times), nor two spaces.
func joins(between string) bool {
	if utf8.RuneCountInString(between) > 3 {
		return false
	}
	var spaces, dashes, dots int
	for _, r := range between {
		switch r {
		case ' ', '\u00a0', '\u2009', '\u202f':
			spaces++
		case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2212':
			dashes++
		case '.':
			dots++
		case '(', ')':
		default:
			return false
		}
	}
	return spaces <= 1 && dashes <= 1 && dots <= 1
}
