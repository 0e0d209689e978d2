package contentfile

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with one content file. Loaders report every
// problem they find, not only the first, so a writer can fix them all at
// once.
type Problem struct {
	File string
	Line int // 0 when unknown
	Msg  string
}

func (p Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is the error a loader returns: one entry per problem, in file
// order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Add records a problem at a line of file (0 when unknown).
func (ps *Problems) Add(file string, line int, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// OnLine reports whether a problem was already found on a line of file.
func (ps Problems) OnLine(file string, line int) bool {
	if line <= 0 { // unknown lines match nothing
		return false
	}
	for _, p := range ps {
		if p.File == file && p.Line == line {
			return true
		}
	}
	return false
}
