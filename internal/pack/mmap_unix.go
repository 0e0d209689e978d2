//go:build unix

package pack

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only, for the life of the process: its pages
// are read from disk when first touched and the system may drop them
// again, so a large pack costs the process only what its readers use.
func mapFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() == 0 {
		return nil, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
}
