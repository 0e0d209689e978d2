package password

import "testing"

// FuzzParse: whatever a hash column holds, Parse does not panic, accepts
// only parameters within bounds, and what it accepts prints back as the
// same string.
func FuzzParse(f *testing.F) {
	f.Add(New("seed", fast))
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Add("$argon2id$v=19$m=4294967295,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=,t=,p=$$")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s)
		if err != nil {
			if err != ErrMalformed {
				t.Fatalf("Parse(%q): error %v, want ErrMalformed", s, err)
			}
			return
		}
		if h.MemoryKiB > maxMemoryKiB || h.Time > maxTime || h.Threads > maxThreads || h.Time == 0 || h.Threads == 0 {
			t.Fatalf("Parse(%q) accepted parameters out of bounds: %+v", s, h.Params)
		}
		if got := h.String(); got != s {
			t.Fatalf("Parse(%q).String() = %q", s, got)
		}
	})
}
