//go:build !unix

package pack

import "os"

// mapFile reads the file into memory where mapping is not available.
func mapFile(path string) ([]byte, error) { return os.ReadFile(path) }
