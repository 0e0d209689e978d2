package main

import "testing"

func TestGCPercentFor(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int
	}{
		{0, 100},                // nothing read yet: the default
		{heapFloor / 4, 400},    // a small site: may grow by the floor
		{heapFloor / 100, 1000}, // at most ten times what is live
		{heapFloor, 100},        // a large site: as by default
		{heapFloor * 10, 100},
	} {
		if got := gcPercentFor(tt.live); got != tt.want {
			t.Errorf("gcPercentFor(%d) = %d, want %d", tt.live, got, tt.want)
		}
	}
}
