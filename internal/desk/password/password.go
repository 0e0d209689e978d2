// Package password hashes editors' passwords with argon2id and decides
// which passwords the desk accepts. It knows nothing of accounts or
// databases: it turns a password into a PHC string and checks one against
// it, and it says why a new password is refused.
//
// Hashes are PHC strings, $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH, so the
// parameters are stored with each hash and can be raised later: Verify
// reports when a hash was made with weaker ones than Default, and the
// caller rehashes at the next sign-in.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs.
type Params struct {
	MemoryKiB uint32 // m
	Time      uint32 // t, passes over the memory
	Threads   uint8  // p
}

// Default are OWASP's first recommendation for argon2id (Password Storage
// Cheat Sheet): 19 MiB of memory, 2 passes, 1 thread. About 30-60 ms on
// one core of this project's machines; one sign-in holds 19 MiB while it
// hashes.
var Default = Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16 // bytes, as RFC 9106 recommends
	keyLen  = 32 // bytes of hash
)

// Bounds a stored hash's parameters must keep within, so that a damaged
// or hostile row cannot make a sign-in allocate gigabytes or spin for
// minutes. Default is well inside them.
const (
	maxMemoryKiB = 256 * 1024
	maxTime      = 16
	maxThreads   = 16
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
)

// Hash is a parsed PHC string.
type Hash struct {
	Params
	Salt []byte
	Key  []byte
}

var b64 = base64.RawStdEncoding // PHC's B64: standard alphabet, no padding

// String is the PHC string.
func (h Hash) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.MemoryKiB, h.Time, h.Threads, b64.EncodeToString(h.Salt), b64.EncodeToString(h.Key))
}

// ErrMalformed is a stored hash Parse cannot read. Its text never quotes
// the hash.
var ErrMalformed = errors.New("password: malformed argon2id hash")

// Parse reads a PHC string made by New (or by another argon2id library
// with version 19), refusing parameters outside sane bounds.
func Parse(s string) (Hash, error) {
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Hash{}, ErrMalformed
	}
	var h Hash
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return Hash{}, ErrMalformed
	}
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(params[i], name+"=")
		if !ok || v == "" || (len(v) > 1 && v[0] == '0') {
			return Hash{}, ErrMalformed // a leading zero would not round-trip
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return Hash{}, ErrMalformed
		}
		switch name {
		case "m":
			h.MemoryKiB = uint32(n)
		case "t":
			h.Time = uint32(n)
		case "p":
			if n > 255 {
				return Hash{}, ErrMalformed
			}
			h.Threads = uint8(n)
		}
	}
	if h.Time < 1 || h.Time > maxTime || h.Threads < 1 || h.Threads > maxThreads ||
		h.MemoryKiB < 8*uint32(h.Threads) || h.MemoryKiB > maxMemoryKiB {
		return Hash{}, ErrMalformed
	}
	// The decoder skips newlines; a salt or key is only what encodes back
	// to the same text, so that a hash is read one way only.
	var err error
	if h.Salt, err = b64.Strict().DecodeString(parts[4]); err != nil || len(h.Salt) < minSaltLen || len(h.Salt) > maxSaltLen || b64.EncodeToString(h.Salt) != parts[4] {
		return Hash{}, ErrMalformed
	}
	if h.Key, err = b64.Strict().DecodeString(parts[5]); err != nil || len(h.Key) < minKeyLen || len(h.Key) > maxKeyLen || b64.EncodeToString(h.Key) != parts[5] {
		return Hash{}, ErrMalformed
	}
	return h, nil
}

// New hashes password with p and a new random salt, and returns the PHC
// string.
func New(password string, p Params) string {
	salt := make([]byte, saltLen)
	rand.Read(salt) // never fails: it crashes the program instead
	return Hash{Params: p, Salt: salt, Key: derive(password, p, salt, keyLen)}.String()
}

func derive(password string, p Params, salt []byte, n int) []byte {
	derived.Add(1)
	return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(n))
}

// derived counts argon2id computations.
var derived atomic.Int64

// Derived is how many argon2id hashes this process has computed: tests
// read it to check that a sign-in did the same work however it failed.
func Derived() int64 { return derived.Load() }

// Verify reports whether password matches the PHC string stored, in time
// that does not depend on where they differ, and whether the hash should
// be remade with want's parameters (it was made with weaker ones). It
// returns ErrMalformed for a hash it cannot read.
func Verify(stored, password string, want Params) (ok, rehash bool, err error) {
	h, err := Parse(stored)
	if err != nil {
		return false, false, err
	}
	got := derive(password, h.Params, h.Salt, len(h.Key))
	ok = subtle.ConstantTimeCompare(got, h.Key) == 1
	rehash = h.MemoryKiB < want.MemoryKiB || h.Time < want.Time || len(h.Key) < keyLen
	return ok, rehash, nil
}

// dummy is a hash of nothing anyone can type (its password is random and
// forgotten), made once with Default: a sign-in for an unknown or
// disabled account verifies against it, so that it takes as long as one
// for a real account and says nothing about which accounts exist.
// It is made on first use, not when a program that only checks articles
// starts.
var dummy = sync.OnceValue(func() string { return New(rand.Text()+rand.Text(), Default) })

// Prepare makes the dummy hash now, so that the first sign-in for an
// unknown account does not take twice as long as the others. A server
// calls it when it starts.
func Prepare() { dummy() }

// VerifyDummy does the work of Verify for an account that does not exist,
// and always reports false.
func VerifyDummy(password string) {
	_, _, _ = Verify(dummy(), password, Default)
}
