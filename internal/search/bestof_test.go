package search

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// bestOf keeps the same postings in the same order as offering all of
// them to a heap, whether the head is in order (merged) or not (sorted),
// with ties in weight broken by row.
func TestBestOfIsTheHeapsBest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []posting {
		ps := make([]posting, n)
		for i := range ps {
			ps[i] = posting{row: int64(r.IntN(100000)), w: float64(r.IntN(50)) / 7}
		}
		return ps
	}
	for i := range 200 {
		head, fresh := random(r.IntN(headLen+100)), random(r.IntN(40))
		var h postingHeap
		for _, p := range head {
			h.offer(p)
		}
		if i%4 != 0 { // mostly a head as written, best first
			head = h.sorted()
		}
		var want postingHeap
		for _, p := range append(slices.Clone(head), fresh...) {
			want.offer(p)
		}
		if got := bestOf(head, slices.Clone(fresh)); !slices.Equal(got, want.sorted()) {
			t.Fatalf("case %d: %d postings, the heap's %d, or another order", i, len(got), len(want))
		}
	}
}
