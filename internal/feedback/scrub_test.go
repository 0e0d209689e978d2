package feedback

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// scrubCases are comments as readers write them, and what must be left of
// them. The first group must lose something; the second must come back
// exactly as written.
var scrubCases = []struct {
	name, in, want string
}{
	// E-mail addresses.
	{"email", "write to me at jane.doe@example.com please", "write to me at [removed] please"},
	{"email with plus and subdomain", "jane+nhs@mail.example.co.uk", "[removed]"},
	{"email in brackets", "(jane@example.org)", "([removed])"},
	{"email at end of sentence", "Email jane@example.org. Thanks", "Email [removed]. Thanks"},
	{"email with spaces round @", "jane @ example.org", "[removed]"},
	{"email obfuscated", "jane (at) example (dot) org", "[removed]"},
	{"email obfuscated in square brackets", "jane[at]example[dot]com", "[removed]"},
	{"email with accents", "josé.garcía@correo.es", "[removed]"},
	{"email fullwidth at", "jane＠example.org", "[removed]"},
	{"two emails", "a@b.co and c@d.org", "[removed] and [removed]"},

	// UK phone numbers.
	{"UK mobile", "call 07700 900123", "call [removed]"},
	{"UK mobile no spaces", "07700900123", "[removed]"},
	{"UK mobile dashes", "07700-900-123", "[removed]"},
	{"UK mobile international", "+44 7700 900123", "[removed]"},
	{"UK mobile +44 (0)", "+44 (0)7700 900123", "[removed]"},
	{"UK mobile +44 (0) spaced", "+44 (0) 7700 900 123", "[removed]"},
	{"UK mobile 0044", "0044 7700 900123", "[removed]"},
	{"London", "020 7946 0958", "[removed]"},
	{"London bracketed", "(020) 7946 0958", "[removed]"},
	{"Manchester", "0161 496 0000", "[removed]"},
	{"small town", "01632 960001", "[removed]"},
	{"freephone", "0800 123 4567", "[removed]"},
	{"phone after Tel:", "Tel:07700900123", "Tel:[removed]"},
	{"phone after a time", "ring at 10:30 on 07700 900123", "ring at 10:30 on [removed]"},
	{"phone in brackets", "my number (07700 900123) is private", "my number [removed] is private"},

	// International phone numbers.
	{"US", "+1 (555) 123-4567", "[removed]"},
	{"US dashes", "+1-555-123-4567", "[removed]"},
	{"US local", "(555) 123-4567", "[removed]"},
	{"US dots", "555.123.4567", "[removed]"},
	{"France", "+33 1 23 45 67 89", "[removed]"},
	{"Germany", "+49 30 123456", "[removed]"},
	{"Ireland", "+353 1 234 5678", "[removed]"},
	{"short international", "+354 5512345", "[removed]"},
	{"international in brackets", "(+44) 20 7946 0958", "[removed]"},
	{"non-breaking spaces", "07700\u00a0900\u00a0123", "[removed]"},
	{"Arabic-Indic digits", "٠٧٧٠٠٩٠٠١٢٣", "[removed]"},

	// NHS numbers, cards and other long numbers.
	{"NHS number spaced", "my NHS number is 943 476 5919", "my NHS number is [removed]"},
	{"NHS number plain", "NHS no. 9434765919.", "NHS no. [removed]."},
	{"NHS number dashed", "943-476-5919", "[removed]"},
	{"card spaced", "card 4111 1111 1111 1111 was charged", "card [removed] was charged"},
	{"card dashed", "4111-1111-1111-1111", "[removed]"},
	{"card plain", "4111111111111111", "[removed]"},
	{"Amex", "3782 822463 10005", "[removed]"},
	{"digit by digit", "9 4 3 4 7 6 5 9 1 9", "[removed]"},
	{"reference in a word", "ref ABC123456789", "ref ABC[removed]"},
	{"a date that runs into a number", "0161-12-11-2025", "[removed]"},
	{"date beside a phone", "on 2025-11-10 07700 900123", "on 2025-11-10 [removed]"},
	{"both kinds", "jane@example.org or 07700 900123", "[removed] or [removed]"},

	// What must stay.
	{"ISO date", "since 2025-11-10 it hurts", "since 2025-11-10 it hurts"},
	{"ISO date then a number", "on 2025-11-10 3 days after the massage", "on 2025-11-10 3 days after the massage"},
	{"UK date", "from 10/11/2025 to 12/11/2025", "from 10/11/2025 to 12/11/2025"},
	{"dotted date", "10.11.2025", "10.11.2025"},
	{"dashed date then a year", "10-11-2025 2026", "10-11-2025 2026"},
	{"short date", "10/11/25", "10/11/25"},
	{"date range", "2025-11-10 - 2025-11-12", "2025-11-10 - 2025-11-12"},
	{"days", "3 days", "3 days"},
	{"dose", "10 mg twice a day, 500mg at night", "10 mg twice a day, 500mg at night"},
	{"doses in a row", "2 x 500 mg", "2 x 500 mg"},
	{"time", "woke at 03:00 and again at 14:30:15", "woke at 03:00 and again at 14:30:15"},
	{"time range", "10:00-12:00", "10:00-12:00"},
	{"short numbers", "call 111 or 999", "call 111 or 999"},
	{"years", "in 2019, 2020 and 2024", "in 2019, 2020 and 2024"},
	{"decade", "since the 1990s", "since the 1990s"},
	{"ages", "ages 18-65", "ages 18-65"},
	{"minutes", "5-10 minutes", "5-10 minutes"},
	{"odds", "1 in 1000", "1 in 1000"},
	{"big number with commas", "1,000,000 people", "1,000,000 people"},
	{"money", "£1,250.50", "£1,250.50"},
	{"blood pressure", "BP 120/80, pulse 72", "BP 120/80, pulse 72"},
	{"eight digits", "12345678", "12345678"},
	{"short + number", "+5 degrees", "+5 degrees"},
	{"section numbers", "see 1.2.3", "see 1.2.3"},
	{"version", "v2.3.1", "v2.3.1"},
	{"no digits", "The page did not say what to do at night.", "The page did not say what to do at night."},
	{"at in prose", "I looked at nhs.uk first", "I looked at nhs.uk first"},
	{"empty", "", ""},
	{"already scrubbed", "call [removed] or [removed]", "call [removed] or [removed]"},
}

func TestScrub(t *testing.T) {
	for _, tt := range scrubCases {
		t.Run(tt.name, func(t *testing.T) {
			if got := Scrub(tt.in); got != tt.want {
				t.Errorf("Scrub(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestScrubMakesInvalidUTF8Valid(t *testing.T) {
	if got, want := Scrub("ok \xff\xfe 07700 900123"), "ok \uFFFD [removed]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzScrub: whatever a reader sends, Scrub does not panic, returns valid
// UTF-8, leaves no 9 digits in a row, and scrubbing again changes nothing.
func FuzzScrub(f *testing.F) {
	for _, tt := range scrubCases {
		f.Add(tt.in)
	}
	f.Add("\xff+44 (0)\xfe7700 900123")
	f.Fuzz(func(t *testing.T, in string) {
		once := Scrub(in)
		if !utf8.ValidString(once) {
			t.Fatalf("Scrub(%q) = %q, not valid UTF-8", in, once)
		}
		if twice := Scrub(once); twice != once {
			t.Fatalf("not idempotent:\n   in %q\n once %q\ntwice %q", in, once, twice)
		}
		run := 0
		for _, r := range once {
			if unicode.IsDigit(r) {
				if run++; run >= 9 {
					t.Fatalf("Scrub(%q) = %q keeps 9 digits in a row", in, once)
				}
			} else {
				run = 0
			}
		}
		if strings.Count(once, "@") > strings.Count(in, "@") {
			t.Fatalf("Scrub(%q) = %q added an @", in, once)
		}
	})
}
