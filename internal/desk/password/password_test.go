package password

import (
	"strings"
	"testing"
)

// fast keeps the tests quick: the same code, a tenth of the memory.
var fast = Params{MemoryKiB: 1024, Time: 1, Threads: 1}

func TestHashAndVerify(t *testing.T) {
	stored := New("correct horse battery staple", fast)
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("New = %q, want a PHC string with its parameters", stored)
	}
	if again := New("correct horse battery staple", fast); again == stored {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, tt := range []struct {
		name, password string
		want           Params
		ok, rehash     bool
	}{
		{"right password", "correct horse battery staple", fast, true, false},
		{"wrong password", "correct horse battery stapler", fast, false, false},
		{"empty password", "", fast, false, false},
		{"right password, weaker than wanted", "correct horse battery staple", Default, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := Verify(stored, tt.password, tt.want)
			if err != nil || ok != tt.ok || rehash != tt.rehash {
				t.Errorf("Verify = %v, %v, %v; want %v, %v, nil", ok, rehash, err, tt.ok, tt.rehash)
			}
		})
	}
}

func TestDefaultMeetsOWASP(t *testing.T) {
	// OWASP's argon2id floor: m=19 MiB, t=2, p=1 (or stronger trades).
	if Default.MemoryKiB < 19*1024 || Default.Time < 2 || Default.Threads < 1 {
		t.Errorf("Default = %+v, weaker than m=19456, t=2, p=1", Default)
	}
	stored := New("correct horse battery staple", Default)
	h, err := Parse(stored)
	if err != nil || h.Params != Default || len(h.Salt) != saltLen || len(h.Key) != keyLen {
		t.Errorf("Parse(New(..., Default)) = %+v, %v", h, err)
	}
}

func TestParseRefusesWhatItCannotTrust(t *testing.T) {
	good := New("x", fast)
	salt, key := strings.Split(good, "$")[4], strings.Split(good, "$")[5]
	for _, tt := range []struct{ name, phc string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"},
		{"argon2i", "$argon2i$v=19$m=1024,t=1,p=1$" + salt + "$" + key},
		{"old version", "$argon2id$v=16$m=1024,t=1,p=1$" + salt + "$" + key},
		{"no version", "$argon2id$m=1024,t=1,p=1$" + salt + "$" + key},
		{"parameters out of order", "$argon2id$v=19$t=1,m=1024,p=1$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=01024,t=1,p=1$" + salt + "$" + key},
		{"huge memory", "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + key},
		{"too many passes", "$argon2id$v=19$m=1024,t=1000,p=1$" + salt + "$" + key},
		{"no threads", "$argon2id$v=19$m=1024,t=1,p=0$" + salt + "$" + key},
		{"memory under 8 per thread", "$argon2id$v=19$m=8,t=1,p=2$" + salt + "$" + key},
		{"padded salt", "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "==$" + key},
		{"short salt", "$argon2id$v=19$m=1024,t=1,p=1$AAAA$" + key},
		{"short key", "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$AAAA"},
		{"extra field", good + "$x"},
		{"negative", "$argon2id$v=19$m=-1,t=1,p=1$" + salt + "$" + key},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if h, err := Parse(tt.phc); err != ErrMalformed {
				t.Errorf("Parse = %+v, %v; want ErrMalformed", h, err)
			}
			if _, _, err := Verify(tt.phc, "x", fast); err != ErrMalformed {
				t.Errorf("Verify: %v, want ErrMalformed", err)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		password string
		ok       bool
		why      string // part of the reason, when refused
	}{
		{"correct horse battery staple", true, ""},
		{"Tr0ub4dor&3xyz", true, ""},
		{"short pass", false, "at least 12"},
		{"ñandú ñandú x", true, ""},           // 13 characters, more bytes
		{"ñandúñandú1", false, "at least 12"}, // 11 characters, 13 bytes
		{strings.Repeat("long enough ", 22), false, "at most 256"},
		{"qwerty123456", false, "most common"},
		{"qwertyuiop123", false, "digits or symbols added"},
		{"1qaz2wsx3edc", false, "most common"},
		{"QWERTY123456", false, "most common"}, // case does not hide it
		{"password1234", false, "digits or symbols added"},
		{"2024!!dragon!!", false, "digits or symbols added"},
		{"aaaaaaaaaaaa", false, "repeats"},
		{"abcabcabcabc", false, "repeats"},
		{"345678901234", false, "sequence"},
		{"zyxwvutsrqpo", false, "sequence"},
		{"my name is jane.doe truly", false, "e-mail name"},
		{"HealthSite editors rock", false, "site's name"},
		{"tab\tin the middle", false, "control characters"},
		{"bad utf8 \xff\xfe here", false, "not valid text"},
	} {
		t.Run(tt.password, func(t *testing.T) {
			err := Check(tt.password, "jane.doe@example.org")
			if (err == nil) != tt.ok {
				t.Fatalf("Check = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), tt.why) {
				t.Errorf("Check = %q, want it to say %q", err, tt.why)
			}
			if err != nil && len(tt.password) > 3 && strings.Contains(err.Error(), tt.password) {
				t.Errorf("the reason %q repeats the password", err)
			}
		})
	}
}

func TestCommonListIsLoaded(t *testing.T) {
	if n := len(common()); n != 10000 {
		t.Errorf("%d common passwords, want 10,000", n)
	}
	for _, w := range []string{"123456", "password", "iloveyou"} {
		if !common()[w] {
			t.Errorf("%q is not in the list", w)
		}
	}
}

func TestGenerate(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p := Generate("jane@example.org")
		if err := Check(p, "jane@example.org"); err != nil {
			t.Fatalf("Generate made %q, which Check refuses: %v", p, err)
		}
		if len(p) != 30 || seen[p] {
			t.Fatalf("Generate made %q (%d characters, seen before %v)", p, len(p), seen[p])
		}
		seen[p] = true
	}
}
