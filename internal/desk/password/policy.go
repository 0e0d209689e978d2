package password

import (
	"bufio"
	"crypto/rand"
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MinLength and MaxLength bound a new password, in characters. NIST SP
// 800-63B asks for at least 8 and allows at least 64; the desk asks for 12,
// as the issue does, and takes up to 256 (a passphrase, or a manager's).
const (
	MinLength = 12
	MaxLength = 256
)

// PolicyError says why a new password is refused, in words for the
// person choosing it. It never repeats the password.
type PolicyError struct{ Reason string }

func (e *PolicyError) Error() string { return e.Reason }

// Check refuses a new password that is too short or too long, one of the
// most common passwords, a common password with digits or symbols added
// before or after it, one character or a short run repeated, a sequence
// like 123456789012, or one that contains the account's own name (the
// part of its e-mail before the @) or the site's. These are the checks
// NIST SP 800-63B section 3.1.1.2 asks for: a blocklist, repetitive or
// sequential characters, context-specific words. There are no
// composition rules (a digit, a capital), which it advises against.
func Check(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return &PolicyError{"Use only characters you can type: the password is not valid text."}
	case n < MinLength:
		return &PolicyError{"Use at least 12 characters: a few words in a row are easy to remember."}
	case n > MaxLength:
		return &PolicyError{"Use at most 256 characters."}
	case strings.ContainsFunc(password, unicode.IsControl):
		return &PolicyError{"Use only characters you can type: the password has control characters."}
	}
	lower := strings.ToLower(password)
	if common()[lower] {
		return &PolicyError{"This is one of the most common passwords: choose another."}
	}
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if core != lower && common()[core] {
		return &PolicyError{"This is a common password with digits or symbols added: choose another."}
	}
	if repeated(lower) {
		return &PolicyError{"The password repeats a few characters: choose something less predictable."}
	}
	if sequence(lower) {
		return &PolicyError{"The password is a sequence, like 123456789012: choose something less predictable."}
	}
	if name, _, _ := strings.Cut(strings.ToLower(email), "@"); len(name) >= 4 && strings.Contains(lower, name) {
		return &PolicyError{"The password contains your e-mail name: choose something others cannot guess from it."}
	}
	if strings.Contains(lower, "healthsite") {
		return &PolicyError{"The password contains the site's name: choose something others cannot guess from it."}
	}
	return nil
}

// repeated reports whether s is a run of at most 4 characters repeated,
// like "aaaaaaaaaaaa" or "abcabcabcabc".
func repeated(s string) bool {
	r := []rune(s)
	for size := 1; size <= 4 && size < len(r); size++ {
		if len(r)%size != 0 {
			continue
		}
		same := true
		for i := size; i < len(r) && same; i++ {
			same = r[i] == r[i-size]
		}
		if same {
			return true
		}
	}
	return false
}

// sequence reports whether every character of s is one more (or every one
// less) than the one before: "123456789012" counts, wrapping 9 to 0.
func sequence(s string) bool {
	r := []rune(s)
	next := func(a, b rune, step rune) bool {
		if a == '9' && b == '0' && step == 1 || a == '0' && b == '9' && step == -1 {
			return true
		}
		return b-a == step
	}
	for _, step := range []rune{1, -1} {
		all := true
		for i := 1; i < len(r) && all; i++ {
			all = next(r[i-1], r[i], step)
		}
		if all {
			return true
		}
	}
	return false
}

// commonText is the 10,000 most common passwords, most common first, one
// a line, lower-case. They are the first 10,000 of the "passwords" list in
// zxcvbn 4.4.2 (npm package zxcvbn, lib/frequency_lists.js, MIT licence,
// Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.), which its
// authors ranked from Xato's corpus of 10 million leaked passwords. Most
// are shorter than MinLength, and are refused for that first; they are
// kept because Check also refuses them with digits or symbols around
// them ("password1234", "dragon!!2024").
//
//go:embed common.txt
var commonText string

var common = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 10000)
	sc := bufio.NewScanner(strings.NewReader(commonText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			m[w] = true
		}
	}
	return m
})

// Generate makes a password for an account that did not choose one: 26
// random characters (130 bits) in groups of five or six, easy to read
// out and to type. It passes Check for the account email names (it draws
// again in the unlikely case that it does not).
func Generate(email string) string {
	for {
		t := rand.Text() // 26 characters of base32: A-Z and 2-7
		p := t[0:5] + "-" + t[5:10] + "-" + t[10:15] + "-" + t[15:20] + "-" + t[20:]
		if Check(p, email) == nil {
			return p
		}
	}
}
